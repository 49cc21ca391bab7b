import type { ReactNode } from 'react'
import { cx } from './cx'

export function Spinner({ className }: { className?: string }) {
  return (
    <svg aria-hidden viewBox="0 0 24 24" className={cx('size-4 animate-spin', className)}>
      <circle cx="12" cy="12" r="10" fill="none" stroke="currentColor" strokeOpacity="0.25" strokeWidth="4" />
      <path d="M22 12a10 10 0 0 0-10-10" fill="none" stroke="currentColor" strokeWidth="4" strokeLinecap="round" />
    </svg>
  )
}

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <div role="status" className="flex items-center justify-center gap-2 py-10 text-sm text-slate-500 dark:text-slate-400">
      <Spinner /> {label}
    </div>
  )
}

export function Notice({ tone = 'error', title, children }: {
  tone?: 'error' | 'info' | 'warning'
  title?: ReactNode
  children?: ReactNode
}) {
  return (
    <div role={tone === 'error' ? 'alert' : 'status'} className={cx(
      'rounded-lg border px-4 py-3 text-sm',
      tone === 'error' && 'border-rose-200 bg-rose-50 text-rose-800 dark:border-rose-900 dark:bg-rose-950/60 dark:text-rose-200',
      tone === 'warning' && 'border-amber-200 bg-amber-50 text-amber-900 dark:border-amber-900 dark:bg-amber-950/60 dark:text-amber-200',
      tone === 'info' && 'border-sky-200 bg-sky-50 text-sky-900 dark:border-sky-900 dark:bg-sky-950/60 dark:text-sky-200',
    )}>
      {title && <p className="font-medium">{title}</p>}
      {children && <div className={cx(Boolean(title) && 'mt-1', 'break-words')}>{children}</div>}
    </div>
  )
}

export function EmptyState({ title, children, action }: { title: string; children?: ReactNode; action?: ReactNode }) {
  return (
    <div className="flex flex-col items-center gap-3 px-4 py-12 text-center">
      <svg aria-hidden viewBox="0 0 48 48" className="size-12 text-slate-300 dark:text-slate-700">
        <rect x="4" y="8" width="40" height="32" rx="6" fill="none" stroke="currentColor" strokeWidth="2.5" />
        <path d="M11 31l8-9 6 5 11-12" fill="none" stroke="currentColor" strokeWidth="2.5" strokeLinecap="round" strokeLinejoin="round" />
      </svg>
      <p className="font-medium text-slate-900 dark:text-slate-100">{title}</p>
      {children && <p className="max-w-sm text-sm text-slate-500 dark:text-slate-400">{children}</p>}
      {action}
    </div>
  )
}
