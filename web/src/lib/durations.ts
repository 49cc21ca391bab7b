/**
 * Human durations ("30s", "2m", "1h30m", "45") to seconds: the syntax of the CLI's --duration and
 * --stages (plan/durations.py), so the form accepts what the docs show.
 */
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h)/g
const UNIT_S: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600 }

export const DURATION_HINT = 'Like 30s, 2m or 1h30m; a plain number is seconds.'

/** Seconds in `text`, or NaN when it is not a duration. */
export function parseDuration(text: string): number {
  const s = text.trim().toLowerCase()
  if (/^\d+(?:\.\d+)?$/.test(s)) return Number(s)
  const parts = [...s.matchAll(PART)]
  if (!s || parts.map((m) => m[0]).join('') !== s) return Number.NaN
  return parts.reduce((sum, m) => sum + Number(m[1]) * UNIT_S[m[2]], 0)
}
