import { Area, AreaChart, ResponsiveContainer, XAxis, YAxis } from 'recharts'
import { COLORS } from './colors'

/** A planned shape (users or arrival rate over seconds) drawn as straight segments between points. */
export function ShapePreview({ data, yKey, label, empty }: {
  data: Record<string, number>[]
  yKey: string
  label: string
  empty: string
}) {
  if (data.length === 0) {
    return <p className="flex h-28 items-center justify-center text-center text-xs text-slate-500">{empty}</p>
  }
  const end = data[data.length - 1].t ?? 0
  const peak = Math.max(...data.map((d) => Number(d[yKey]) || 0))
  return (
    <figure aria-label={label} data-points={data.length}>
      <div className="h-28">
        <ResponsiveContainer width="100%" height="100%" minWidth={0} initialDimension={{ width: 300, height: 112 }}>
          <AreaChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: -16 }}>
            <XAxis dataKey="t" type="number" domain={[0, end]} tickFormatter={(v: number) => `${Math.round(v)}s`}
              tickLine={false} axisLine={false} ticks={[0, end]} />
            <YAxis dataKey={yKey} tickLine={false} axisLine={false} width={48} domain={[0, peak]} ticks={[0, peak]} />
            <Area dataKey={yKey} type="linear" stroke={COLORS.users} fill={COLORS.users} fillOpacity={0.18}
              strokeWidth={2} isAnimationActive={false} />
          </AreaChart>
        </ResponsiveContainer>
      </div>
    </figure>
  )
}
