import type { ReactNode } from 'react'
import { cx } from './cx'

/** A headline number with its label; `tone` flags values that need attention. */
export function Stat({ label, value, hint, tone = 'default' }: {
  label: string
  value: ReactNode
  hint?: ReactNode
  tone?: 'default' | 'bad' | 'good'
}) {
  return (
    <div className="min-w-0 rounded-xl border border-slate-200 bg-white px-4 py-3 shadow-sm dark:border-slate-800 dark:bg-slate-900">
      <dt className="truncate text-xs font-medium uppercase tracking-wide text-slate-500 dark:text-slate-400">{label}</dt>
      <dd className={cx(
        'mt-1 truncate text-2xl font-semibold tabular-nums tracking-tight',
        tone === 'bad' && 'text-rose-600 dark:text-rose-400',
        tone === 'good' && 'text-emerald-600 dark:text-emerald-400',
      )}>{value}</dd>
      {hint && <dd className="mt-0.5 truncate text-xs text-slate-500 dark:text-slate-400">{hint}</dd>}
    </div>
  )
}
