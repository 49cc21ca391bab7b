/** Number and time formatting shared by every view, so the same value reads the same everywhere. */
import type { RunSummary } from '../client/api'

const nf = (digits: number) =>
  new Intl.NumberFormat('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 })

export function formatCount(n: number): string {
  if (!Number.isFinite(n)) return '–'
  if (Math.abs(n) >= 1_000_000) return `${nf(1).format(n / 1_000_000)}M`
  if (Math.abs(n) >= 10_000) return `${nf(1).format(n / 1000)}k`
  return nf(0).format(n)
}

/** Latency: sub-ms values keep two decimals, seconds switch unit. */
export function formatMs(ms: number | null | undefined): string {
  if (ms == null || !Number.isFinite(ms)) return '–'
  if (ms >= 10_000) return `${nf(1).format(ms / 1000)} s`
  if (ms >= 1000) return `${nf(2).format(ms / 1000)} s`
  if (ms >= 100) return `${nf(0).format(ms)} ms`
  if (ms >= 1) return `${nf(1).format(ms)} ms`
  if (ms === 0) return '0 ms'
  return `${nf(2).format(ms)} ms`
}

export function formatRate(perSecond: number | null | undefined): string {
  if (perSecond == null || !Number.isFinite(perSecond)) return '–'
  return `${nf(perSecond >= 100 ? 0 : 1).format(perSecond)}/s`
}

/** A 0..1 ratio as a percentage; tiny non-zero rates never round to a misleading "0%". */
export function formatPercent(ratio: number | null | undefined): string {
  if (ratio == null || !Number.isFinite(ratio)) return '–'
  const pct = ratio * 100
  if (pct === 0) return '0%'
  if (pct < 0.01) return '<0.01%'
  if (pct < 10) return `${nf(2).format(pct)}%`
  return `${nf(1).format(pct)}%`
}

export function formatDuration(seconds: number | null | undefined): string {
  if (seconds == null || !Number.isFinite(seconds) || seconds < 0) return '–'
  if (seconds < 60) return `${nf(seconds < 10 ? 1 : 0).format(seconds)} s`
  const s = Math.round(seconds)
  const h = Math.floor(s / 3600)
  const m = Math.floor((s % 3600) / 60)
  const rest = s % 60
  if (h > 0) return `${h} h ${m} min`
  return rest ? `${m} min ${rest} s` : `${m} min`
}

/** API timestamps are naive UTC when the DB drops the zone; treat zone-less strings as UTC. */
export function parseTimestamp(value: string | null | undefined): Date | null {
  if (!value) return null
  const hasZone = /[zZ]|[+-]\d\d:?\d\d$/.test(value)
  const date = new Date(hasZone ? value : `${value}Z`)
  return Number.isNaN(date.getTime()) ? null : date
}

export function formatRelative(value: string | null | undefined, now: Date = new Date()): string {
  const date = parseTimestamp(value)
  if (!date) return '–'
  const diff = Math.round((now.getTime() - date.getTime()) / 1000)
  if (diff < 45) return 'just now'
  if (diff < 3600) return `${Math.round(diff / 60)} min ago`
  if (diff < 86_400) return `${Math.round(diff / 3600)} h ago`
  return date.toLocaleDateString('en-US', { month: 'short', day: 'numeric', year: 'numeric' })
}

export function formatTimestamp(value: string | null | undefined): string {
  const date = parseTimestamp(value)
  if (!date) return '–'
  return date.toLocaleString('en-US', {
    month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit',
  })
}

/** Seconds between two timestamps (for a run's wall-clock length). */
export function secondsBetween(start: string | null | undefined, end: string | null | undefined,
  now: Date = new Date()): number | null {
  const a = parseTimestamp(start)
  if (!a) return null
  const b = parseTimestamp(end) ?? now
  return Math.max(0, (b.getTime() - a.getTime()) / 1000)
}

/** A URL without the scheme, for compact table cells. */
export function shortUrl(url: string): string {
  return url.replace(/^https?:\/\//, '').replace(/\/$/, '') || url
}

export type Bucket = RunSummary['latency_distribution'][number]

/** "≤5 ms", "≤2 s": a response-time bucket's upper bound as people read it. */
export const bucketLabel = (b: Bucket) => (b.le_ms >= 1000 ? `≤${b.le_ms / 1000} s` : `≤${b.le_ms} ms`)
