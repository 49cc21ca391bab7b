import type { InputHTMLAttributes, ReactNode } from 'react'
import { useId } from 'react'
import { cx } from './cx'
import { inputClass } from './styles'

const UNITS: Record<string, string> = { s: 'seconds', ms: 'milliseconds' }

/** A labelled input with a hint and an inline error wired up for screen readers. */
export function Field({ label, hint, error, suffix, className, ...input }:
  InputHTMLAttributes<HTMLInputElement> & { label: string; hint?: ReactNode; error?: string; suffix?: string }) {
  const id = useId()
  const describedBy = [error && `${id}-error`, hint && `${id}-hint`].filter(Boolean).join(' ') || undefined
  return (
    <div className={cx('min-w-0', className)}>
      <label htmlFor={id} className="block text-sm font-medium text-slate-700 dark:text-slate-300">
        {label}{suffix && <span className="sr-only"> ({UNITS[suffix] ?? suffix})</span>}
      </label>
      <div className="relative mt-1.5">
        <input id={id} aria-invalid={error ? true : undefined} aria-describedby={describedBy}
          className={cx(inputClass(Boolean(error)), suffix && 'pr-10')} {...input} />
        {suffix && (
          <span aria-hidden className="pointer-events-none absolute inset-y-0 right-3 flex items-center text-xs text-slate-400">{suffix}</span>
        )}
      </div>
      {error && <p id={`${id}-error`} className="mt-1.5 text-xs text-rose-600 dark:text-rose-400">{error}</p>}
      {!error && hint && <p id={`${id}-hint`} className="mt-1.5 text-xs text-slate-500 dark:text-slate-400">{hint}</p>}
    </div>
  )
}
