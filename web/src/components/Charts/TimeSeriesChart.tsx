import { Area, CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts'
import { formatDuration } from '../../lib/format'

export interface Series {
  key: string
  label: string
  color: string
  area?: boolean
  step?: boolean
}

const tooltipStyle = {
  background: 'var(--chart-tooltip-bg)',
  border: '1px solid var(--chart-tooltip-border)',
  borderRadius: 8,
  fontSize: 12,
  boxShadow: '0 4px 12px rgb(0 0 0 / 0.08)',
}

/** One metric (or a few) over elapsed seconds; no animation so 1 s updates don't jitter. */
export function TimeSeriesChart<T extends { t: number }>({ data, series, format, height = 180, label, xMax }: {
  data: T[]
  series: Series[]
  format: (v: number) => string
  height?: number
  label: string
  /** Fix the axis end (a live run's planned length) so the chart fills as the run goes. */
  xMax?: number
}) {
  return (
    <figure aria-label={label} data-points={data.length} className="min-w-0">
      <div style={{ height }}>
        <ResponsiveContainer width="100%" height="100%" minWidth={0} initialDimension={{ width: 320, height }}>
          <ComposedChart data={data} margin={{ top: 6, right: 8, bottom: 0, left: -8 }}>
            <CartesianGrid vertical={false} />
            <XAxis dataKey="t" type="number" domain={xMax ? [0, (max: number) => Math.max(max, xMax)] : ['dataMin', 'dataMax']} tickFormatter={(v: number) => `${Math.round(v)}s`}
              tickLine={false} axisLine={false} minTickGap={24} allowDecimals={false} />
            <YAxis tickFormatter={(v: number) => format(v)} tickLine={false} axisLine={false} width={64}
              allowDecimals={false} />
            <Tooltip contentStyle={tooltipStyle} labelFormatter={(v) => `at ${formatDuration(Number(v))}`}
              formatter={(v) => format(Number(v))} isAnimationActive={false} />
            {series.length > 1 && <Legend iconType="plainline" iconSize={14} height={22} verticalAlign="top" align="right" />}
            {series.map((s) => s.area ? (
              <Area key={s.key} dataKey={s.key} name={s.label} stroke={s.color} fill={s.color} fillOpacity={0.15}
                strokeWidth={2} type={s.step ? 'stepAfter' : 'linear'} isAnimationActive={false} dot={false} />
            ) : (
              <Line key={s.key} dataKey={s.key} name={s.label} stroke={s.color} strokeWidth={2}
                type={s.step ? 'stepAfter' : 'linear'} isAnimationActive={false} dot={false} />
            ))}
          </ComposedChart>
        </ResponsiveContainer>
      </div>
    </figure>
  )
}
