/** A team's quotas as form text and back; an empty field leaves the server's own limit in force. */
import type { Quotas } from '../client/api'

export type QuotaKey = keyof Required<Quotas>

export const QUOTAS: readonly { key: QuotaKey; label: string; unit?: string; integer: boolean }[] = [
  { key: 'max_concurrent_runs', label: 'Runs at once', integer: true },
  { key: 'max_users_per_run', label: 'Users per run', integer: true },
  { key: 'max_duration_s', label: 'Run duration', unit: 's', integer: false },
  { key: 'max_runs_per_day', label: 'Runs per day', integer: true },
]

export type QuotaText = Record<QuotaKey, string>

export function quotasToText(quotas: Quotas): QuotaText {
  return Object.fromEntries(QUOTAS.map(({ key }) => [key, quotas[key] == null ? '' : String(quotas[key])])) as QuotaText
}

/** The quotas to send, or an error per field (whole positive numbers; seconds may have a fraction). */
export function textToQuotas(text: QuotaText): { quotas: Quotas; errors: Partial<QuotaText> } {
  const quotas: Quotas = {}
  const errors: Partial<QuotaText> = {}
  for (const { key, integer } of QUOTAS) {
    const raw = text[key].trim()
    if (!raw) {
      quotas[key] = null
      continue
    }
    const value = Number(raw)
    if (!Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) {
      errors[key] = integer ? 'Enter a whole number above 0, or leave it empty' : 'Enter seconds above 0, or leave it empty'
    } else {
      quotas[key] = value
    }
  }
  return { quotas, errors }
}

export const quotaValue = (value: number | null | undefined, unit?: string): string =>
  value == null ? 'server limit' : `${value.toLocaleString('en-US')}${unit ? ` ${unit}` : ''}`
