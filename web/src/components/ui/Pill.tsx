import type { ReactNode } from 'react'
import { cx } from './cx'

/** A small inline tag next to a value: "partial data", "lost". */
export function Pill({ tone = 'warning', title, children }: { tone?: 'warning' | 'danger'; title?: string; children: ReactNode }) {
  return (
    <span title={title} className={cx(
      'inline-flex shrink-0 items-center rounded px-1.5 py-0.5 text-[10px] font-medium whitespace-nowrap',
      tone === 'warning' && 'bg-amber-100 text-amber-800 dark:bg-amber-950 dark:text-amber-300',
      tone === 'danger' && 'bg-rose-100 text-rose-800 dark:bg-rose-950 dark:text-rose-300',
    )}>
      {children}
    </span>
  )
}
