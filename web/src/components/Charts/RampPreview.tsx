import { Area, AreaChart, ResponsiveContainer, XAxis, YAxis } from 'recharts'
import { usersOverTime } from '../../lib/runForm'
import { COLORS } from './colors'

/** The planned load shape (ramp, then flat) so the numbers in the form have a picture. */
export function RampPreview({ users, durationS, rampUpS }: { users: number; durationS: number; rampUpS: number }) {
  const data = usersOverTime(users, durationS, rampUpS)
  if (data.length === 0) {
    return <p className="flex h-28 items-center justify-center text-xs text-slate-500">Enter users and a duration to preview the load.</p>
  }
  return (
    <figure aria-label={`Planned users: ramp to ${users} over ${rampUpS} s, hold until ${durationS} s`} data-points={data.length}>
      <div className="h-28">
        <ResponsiveContainer width="100%" height="100%" minWidth={0} initialDimension={{ width: 300, height: 112 }}>
          <AreaChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: -16 }}>
            <XAxis dataKey="t" type="number" domain={[0, durationS]} tickFormatter={(v: number) => `${Math.round(v)}s`}
              tickLine={false} axisLine={false} ticks={[0, ...(rampUpS > 0 && rampUpS < durationS ? [rampUpS] : []), durationS]} />
            <YAxis dataKey="users" tickLine={false} axisLine={false} width={48} domain={[0, 'dataMax']} ticks={[0, users]} />
            <Area dataKey="users" type="linear" stroke={COLORS.users} fill={COLORS.users} fillOpacity={0.18}
              strokeWidth={2} isAnimationActive={false} />
          </AreaChart>
        </ResponsiveContainer>
      </div>
    </figure>
  )
}
