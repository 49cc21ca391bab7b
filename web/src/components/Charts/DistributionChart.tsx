import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts'
import { formatCount } from '../../lib/format'
import { Card } from '../ui/Card'
import { COLORS } from './colors'

import { bucketLabel } from '../../lib/format'
import type { Bucket } from '../../lib/format'

/** How many responses took how long, on a 1-2-5 scale: the shape percentiles hide. */
export function DistributionCard({ buckets }: { buckets: Bucket[] }) {
  if (buckets.length === 0) return null
  const data = buckets.map((b) => ({ label: bucketLabel(b), count: b.count }))
  const total = buckets.reduce((sum, b) => sum + b.count, 0)
  return (
    <Card title="Response times" actions={<span className="text-xs text-slate-500 dark:text-slate-400">{formatCount(total)} responses</span>}>
      <figure aria-label="Response time distribution" data-buckets={buckets.length} className="min-w-0">
        <div style={{ height: 180 }}>
          <ResponsiveContainer width="100%" height="100%" minWidth={0} initialDimension={{ width: 320, height: 180 }}>
            <BarChart data={data} margin={{ top: 6, right: 8, bottom: 0, left: -8 }}>
              <CartesianGrid vertical={false} />
              <XAxis dataKey="label" tickLine={false} axisLine={false} interval={0} fontSize={11} />
              <YAxis tickFormatter={(v: number) => formatCount(v)} tickLine={false} axisLine={false} width={64} allowDecimals={false} />
              <Tooltip formatter={(v) => [formatCount(Number(v)), 'responses']} />
              <Bar dataKey="count" fill={COLORS.rps} isAnimationActive={false} />
            </BarChart>
          </ResponsiveContainer>
        </div>
        <figcaption className="sr-only">
          {buckets.map((b) => `${bucketLabel(b)}: ${b.count}`).join(', ')}
        </figcaption>
      </figure>
    </Card>
  )
}
