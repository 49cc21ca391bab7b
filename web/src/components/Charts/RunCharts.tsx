import { formatCount, formatMs, formatRate } from '../../lib/format'
import type { ChartPoint } from '../../lib/liveSeries'
import { Card } from '../ui/Card'
import { COLORS } from './colors'
import { TimeSeriesChart } from './TimeSeriesChart'

/** The four run charts on a shared elapsed-time axis: throughput, latency, errors, users. */
export function RunCharts({ points, live, durationS }: { points: ChartPoint[]; live: boolean; durationS?: number }) {
  const xMax = live ? durationS : undefined
  const latencyNote = live ? 'run so far' : 'per second'
  return (
    <div className="grid gap-4 md:grid-cols-2" data-testid="run-charts">
      <Card title="Throughput" actions={<ChartNote>requests/s</ChartNote>}>
        <TimeSeriesChart xMax={xMax} label="Requests per second" data={points} format={formatRate}
          series={[{ key: 'rps', label: 'req/s', color: COLORS.rps, area: true }]} />
      </Card>
      <Card title="Latency" actions={<ChartNote>{latencyNote}</ChartNote>}>
        <TimeSeriesChart xMax={xMax} label="Latency percentiles" data={points} format={formatMs}
          series={[{ key: 'p50_ms', label: 'p50', color: COLORS.p50 }, { key: 'p95_ms', label: 'p95', color: COLORS.p95 },
            { key: 'p99_ms', label: 'p99', color: COLORS.p99 }]} />
      </Card>
      <Card title="Errors" actions={<ChartNote>per interval</ChartNote>}>
        <TimeSeriesChart xMax={xMax} label="Errors" data={points} format={formatCount}
          series={[{ key: 'errors', label: 'errors', color: COLORS.errors, area: true, step: true }]} />
      </Card>
      <Card title="Active users" actions={<ChartNote>virtual users</ChartNote>}>
        <TimeSeriesChart xMax={xMax} label="Active users" data={points} format={formatCount}
          series={[{ key: 'active_users', label: 'users', color: COLORS.users, area: true, step: true }]} />
      </Card>
    </div>
  )
}

function ChartNote({ children }: { children: string }) {
  return <span className="text-xs text-slate-500 dark:text-slate-400">{children}</span>
}
