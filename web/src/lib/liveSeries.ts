/** Chart points for a run: merged from 1 s polls of its series while it runs, from the summary after. */
import type { LivePublic, MetricPoint, TimePoint } from '../client/api'

export interface ChartPoint {
  t: number
  rps: number
  errors: number
  active_users: number
  p50_ms: number | null  // null: no response that second, drawn as a gap (never as 0 ms)
  p95_ms: number | null
  p99_ms: number | null
}

export function fromTimeseries(series: TimePoint[]): ChartPoint[] {
  return series.map((p) => ({
    t: p.t, rps: p.rps, errors: p.errors, active_users: p.active_users,
    p50_ms: p.p50_ms, p95_ms: p.p95_ms, p99_ms: p.p99_ms,
  }))
}

/** A stored per-second point as a chart point. */
export function fromMetric(p: MetricPoint): ChartPoint {
  return {
    t: p.t, rps: p.rps, errors: p.errors, active_users: p.active_users,
    p50_ms: p.p50_ms ?? null, p95_ms: p.p95_ms ?? null, p99_ms: p.p99_ms ?? null,
  }
}

/**
 * Merge newly polled seconds into what was already fetched: a second seen again replaces the old
 * one (the server rewrites it with exact numbers), new seconds are appended, order is by `t`.
 */
export function mergePoints(points: ChartPoint[], fresh: MetricPoint[], maxPoints = 86_400): ChartPoint[] {
  if (fresh.length === 0) return points
  const byT = new Map(points.map((p) => [p.t, p]))
  for (const p of fresh) byT.set(p.t, fromMetric(p))
  const merged = [...byT.values()].sort((a, b) => a.t - b.t)
  return merged.length > maxPoints ? merged.slice(merged.length - maxPoints) : merged
}

/** The `since` to poll with: the last second already held (the server answers `t > since`). */
export const lastSecond = (points: ChartPoint[]): number => points.at(-1)?.t ?? -1

/**
 * A provisional point for the latest complete second of load (the one `live.rps` counts; the
 * load clock starts at the first request), shown until the stored series has that second.
 */
export function liveTail(points: ChartPoint[], live: LivePublic | null | undefined): ChartPoint | null {
  if (!live || live.requests === 0) return null
  const t = Math.floor(live.elapsed_s) - 1
  if (t < 0) return null
  if (t <= lastSecond(points)) return null
  const counted = points.reduce((sum, p) => sum + p.errors, 0)
  return {
    t, rps: live.rps, errors: Math.max(0, live.errors - counted), active_users: live.active_users,
    p50_ms: live.p50_ms, p95_ms: live.p95_ms, p99_ms: null,
  }
}
