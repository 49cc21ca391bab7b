/** Chart points for a run: accumulated from 1 s polls while it runs, from the summary after. */
import type { LivePublic, TimePoint } from '../client/api'

export interface ChartPoint {
  t: number
  rps: number
  errors: number
  errors_total?: number
  active_users: number
  p50_ms: number
  p95_ms: number
}

/** Add one polled `live` sample; a repeat of the same instant replaces the last point. */
export function appendLive(points: ChartPoint[], live: LivePublic, maxPoints = 3600): ChartPoint[] {
  const t = Math.round(live.elapsed_s * 10) / 10
  const last = points.at(-1)
  if (last && t < last.t) return points // an out-of-order response
  const base = last && last.t === t ? points.slice(0, -1) : points
  const before = base.at(-1)?.errors_total ?? 0
  const point: ChartPoint = {
    t,
    rps: live.rps,
    // `live.errors` is cumulative; the chart shows errors per interval.
    errors: Math.max(0, live.errors - before),
    errors_total: live.errors,
    active_users: live.active_users,
    p50_ms: live.p50_ms,
    p95_ms: live.p95_ms,
  }
  const next = [...base, point]
  return next.length > maxPoints ? next.slice(next.length - maxPoints) : next
}

export function fromTimeseries(series: TimePoint[]): ChartPoint[] {
  return series.map((p) => ({
    t: p.t, rps: p.rps, errors: p.errors, active_users: p.active_users,
    p50_ms: p.p50_ms, p95_ms: p.p95_ms,
  }))
}
