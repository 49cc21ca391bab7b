import type { Verdict } from '../../client/api'
import { cx } from './cx'

/** Pass/fail of a finished load (separate from its status): only `passed` is green. */
const VERDICTS: Record<Verdict, { label: string, tone: string }> = {
  passed: { label: 'Passed', tone: 'bg-emerald-600 text-white ring-emerald-700 dark:bg-emerald-500 dark:text-emerald-950' },
  thresholds_failed: { label: 'Failed thresholds', tone: 'bg-rose-600 text-white ring-rose-700 dark:bg-rose-500 dark:text-rose-950' },
  errors: { label: 'Too many errors', tone: 'bg-rose-600 text-white ring-rose-700 dark:bg-rose-500 dark:text-rose-950' },
  aborted: { label: 'Aborted', tone: 'bg-amber-500 text-amber-950 ring-amber-600' },
}

export const verdictLabel = (verdict: Verdict): string => VERDICTS[verdict].label

export function VerdictBadge({ verdict }: { verdict: Verdict | null | undefined }) {
  if (!verdict) return null
  const { label, tone } = VERDICTS[verdict]
  return (
    <span data-verdict={verdict} className={cx(
      'inline-flex items-center rounded-md px-2 py-0.5 text-xs font-semibold ring-1 ring-inset whitespace-nowrap', tone,
    )}>
      {label}
    </span>
  )
}
