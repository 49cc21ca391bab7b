/** Deltas between two runs: which numbers moved, by how much, and whether that is better. */
import type { RunSummary, StepSummary } from '../client/api'

/** `few`: a side has too few samples for the difference to mean anything. */
export type Verdict = 'better' | 'worse' | 'same' | 'na' | 'few'

export interface Delta {
  a: number | null
  b: number | null
  /** b − a */
  diff: number | null
  /** (b − a) / a; null when a is 0 or missing */
  ratio: number | null
  verdict: Verdict
}

export interface DeltaRule {
  /** Which way is good: lower latency and errors, higher throughput. */
  better: 'lower' | 'higher'
  /** Changes within this fraction of the baseline are noise ("same"). */
  minRatio?: number
  /** Changes within this absolute amount are noise (e.g. 0.001 = 0.1 points of error rate). */
  minAbs?: number
}

const finite = (v: number | null | undefined): v is number => v != null && Number.isFinite(v)

/** Compare baseline `a` with candidate `b` under `rule`. */
export function delta(a: number | null | undefined, b: number | null | undefined, rule: DeltaRule): Delta {
  if (!finite(a) || !finite(b)) {
    return { a: finite(a) ? a : null, b: finite(b) ? b : null, diff: null, ratio: null, verdict: 'na' }
  }
  const diff = b - a
  const ratio = a !== 0 ? diff / Math.abs(a) : null
  const noise = Math.max(rule.minAbs ?? 0, (rule.minRatio ?? 0.02) * Math.abs(a))
  if (Math.abs(diff) <= noise) return { a, b, diff, ratio, verdict: 'same' }
  const lower = diff < 0
  return { a, b, diff, ratio, verdict: lower === (rule.better === 'lower') ? 'better' : 'worse' }
}

/** Fewer responses than this on either side: a difference is not called better or worse
 * (the server's LOW_SAMPLE: a p99 of 2 samples is not a p99). */
export const MIN_SAMPLES = 20

/** ``d``, unless either side rests on fewer than MIN_SAMPLES samples: then "few". */
export function judged(d: Delta, samplesA: number | undefined, samplesB: number | undefined): Delta {
  if (d.verdict === 'na' || Math.min(samplesA ?? 0, samplesB ?? 0) >= MIN_SAMPLES) return d
  return { ...d, verdict: 'few' }
}

export const LATENCY: DeltaRule = { better: 'lower', minRatio: 0.02, minAbs: 0.05 }
export const ERROR_RATE: DeltaRule = { better: 'lower', minRatio: 0, minAbs: 0.0005 }
export const THROUGHPUT: DeltaRule = { better: 'higher', minRatio: 0.02 }

export type TotalKey = 'rps' | 'p50' | 'p95' | 'p99' | 'error_rate'

export interface TotalRow {
  key: TotalKey
  label: string
  kind: 'rate' | 'ms' | 'percent'
  delta: Delta
}

/** The headline numbers of two runs; a run without a summary gives "na" deltas. */
export function compareTotals(a: RunSummary | null, b: RunSummary | null): TotalRow[] {
  const ta = a?.totals
  const tb = b?.totals
  const n = (d: Delta) => judged(d, ta?.requests, tb?.requests)
  return [
    { key: 'rps', label: 'Requests/s', kind: 'rate', delta: n(delta(ta?.rps, tb?.rps, THROUGHPUT)) },
    { key: 'p50', label: 'p50 latency', kind: 'ms', delta: n(delta(ta?.latency_ms.p50, tb?.latency_ms.p50, LATENCY)) },
    { key: 'p95', label: 'p95 latency', kind: 'ms', delta: n(delta(ta?.latency_ms.p95, tb?.latency_ms.p95, LATENCY)) },
    { key: 'p99', label: 'p99 latency', kind: 'ms', delta: n(delta(ta?.latency_ms.p99, tb?.latency_ms.p99, LATENCY)) },
    { key: 'error_rate', label: 'Error rate', kind: 'percent', delta: n(delta(ta?.error_rate, tb?.error_rate, ERROR_RATE)) },
  ]
}

export interface StepRow {
  flow: string
  name: string
  method: string
  /** Which runs have this step. */
  in: 'both' | 'a' | 'b'
  p95: Delta
  errorRate: Delta
  rps: Delta
}

const errorRate = (s: StepSummary | undefined) => (s && s.requests > 0 ? s.errors / s.requests : null)
const stepRps = (s: StepSummary | undefined, summary: RunSummary | null) =>
  s && summary && summary.duration_s > 0 ? s.requests / summary.duration_s : null
const stepKey = (s: StepSummary) => `${s.flow}\u0000${s.name}`

/** Steps matched by flow and step name: baseline order first, then steps only the candidate has. */
export function compareSteps(a: RunSummary | null, b: RunSummary | null): StepRow[] {
  const left = new Map((a?.steps ?? []).map((s) => [stepKey(s), s]))
  const right = new Map((b?.steps ?? []).map((s) => [stepKey(s), s]))
  const keys = [...left.keys(), ...[...right.keys()].filter((k) => !left.has(k))]
  return keys.map((key) => {
    const sa = left.get(key)
    const sb = right.get(key)
    const any = (sa ?? sb)!
    return {
      flow: any.flow,
      name: any.name,
      method: any.method,
      in: sa && sb ? 'both' : sa ? 'a' : 'b',
      p95: judged(delta(sa?.latency_ms.p95, sb?.latency_ms.p95, LATENCY), sa?.requests, sb?.requests),
      errorRate: judged(delta(errorRate(sa), errorRate(sb), ERROR_RATE), sa?.requests, sb?.requests),
      rps: judged(delta(stepRps(sa, a), stepRps(sb, b), THROUGHPUT), sa?.requests, sb?.requests),
    }
  })
}

const signed = (text: string, diff: number) => (diff > 0 ? `+${text}` : diff < 0 ? `−${text}` : text)

/** A delta as people read it: "+3.1 ms (+25%)", "−1.2 pts", "+4.0/s (+12%)". */
export function formatDelta(d: Delta, kind: 'rate' | 'ms' | 'percent', fmt: {
  ms: (v: number) => string
  rate: (v: number) => string
}): string {
  if (d.diff === null) return '–'
  if (kind === 'percent') {
    const pts = Math.abs(d.diff * 100)
    return signed(`${pts < 0.01 && pts > 0 ? '<0.01' : pts.toFixed(pts >= 10 ? 1 : 2)} pts`, d.diff)
  }
  const size = kind === 'ms' ? fmt.ms(Math.abs(d.diff)) : fmt.rate(Math.abs(d.diff))
  const pct = d.ratio === null ? '' : ` (${signed(`${Math.abs(d.ratio * 100).toFixed(Math.abs(d.ratio) < 0.1 ? 1 : 0)}%`, d.ratio)})`
  return `${signed(size, d.diff)}${pct}`
}

/** Both runs' per-second series on one elapsed-time axis, for overlaid charts. */
export interface OverlayPoint { t: number; a_rps: number | null; b_rps: number | null; a_p95: number | null; b_p95: number | null }

export function overlay(a: RunSummary | null, b: RunSummary | null): OverlayPoint[] {
  const byT = new Map<number, OverlayPoint>()
  const at = (t: number) => {
    let p = byT.get(t)
    if (!p) byT.set(t, (p = { t, a_rps: null, b_rps: null, a_p95: null, b_p95: null }))
    return p
  }
  for (const p of a?.timeseries ?? []) Object.assign(at(p.t), { a_rps: p.rps, a_p95: p.p95_ms ?? null })
  for (const p of b?.timeseries ?? []) Object.assign(at(p.t), { b_rps: p.rps, b_p95: p.p95_ms ?? null })
  return [...byT.values()].sort((x, y) => x.t - y.t)
}
