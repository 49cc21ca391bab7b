import type { LivePublic } from '../../client/api'
import { formatCount, formatDuration, formatMs, formatPercent, formatRate } from '../../lib/format'
import { Stat } from '../ui/Stat'

/** Numbers of a run under load, refreshed every second. */
export function LivePanel({ live, durationS }: { live: LivePublic; durationS: number }) {
  const progress = durationS > 0 ? Math.min(1, live.elapsed_s / durationS) : 0
  const errorRate = live.requests ? live.errors / live.requests : 0
  return (
    <div className="grid gap-3" data-testid="live-panel">
      <div>
        <div className="mb-1.5 flex justify-between text-xs text-slate-500 dark:text-slate-400">
          <span>Elapsed {formatDuration(live.elapsed_s)}</span>
          <span>{formatDuration(Math.max(0, durationS - live.elapsed_s))} left</span>
        </div>
        <div role="progressbar" aria-label="Load progress" aria-valuemin={0} aria-valuemax={100}
          aria-valuenow={Math.round(progress * 100)}
          className="h-1.5 overflow-hidden rounded-full bg-slate-200 dark:bg-slate-800">
          <div className="h-full rounded-full bg-indigo-500 transition-[width] duration-700 ease-linear"
            style={{ width: `${progress * 100}%` }} />
        </div>
      </div>
      <dl className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-6" aria-label="Live numbers">
        <Stat label="Active users" value={formatCount(live.active_users)} />
        <Stat label="Requests" value={<span data-testid="live-requests">{formatCount(live.requests)}</span>} />
        <Stat label="Throughput" value={formatRate(live.rps)} hint="last second" />
        <Stat label="Errors" value={formatCount(live.errors)} hint={formatPercent(errorRate)}
          tone={errorRate > 0.01 ? 'bad' : 'default'} />
        <Stat label="p50" value={formatMs(live.p50_ms)} hint="run so far" />
        <Stat label="p95" value={formatMs(live.p95_ms)} hint="run so far" />
      </dl>
    </div>
  )
}
