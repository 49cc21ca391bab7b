/** Threshold expressions (`p95<500ms`, `error_rate[step=login]<1%`): a light check before the API's own. */

export const THRESHOLD_RE =
  /^(p50|p90|p95|p99|max|mean|error_rate|rps)(\[(step|flow)=[^\]]+\])?\s*(<|<=|>|>=)\s*[0-9.]+\s*(ms|s|%)?$/

export const THRESHOLD_HINT = 'Write METRIC OP VALUE, e.g. p95<500ms, error_rate<1% or rps>=50'

/** Why `expression` will not be accepted, or undefined when it looks right (blank rows are skipped). */
export function thresholdError(expression: string): string | undefined {
  const text = expression.trim()
  if (!text || THRESHOLD_RE.test(text)) return undefined
  return `Cannot read “${text}”. ${THRESHOLD_HINT}`
}

/** The expressions to send: trimmed, blanks dropped. */
export const cleanThresholds = (rows: string[]): string[] => rows.map((r) => r.trim()).filter(Boolean)
