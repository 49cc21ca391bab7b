/** Class-name recipes shared by components that render different elements (button, link, select). */
import { cx } from './cx'

export type Variant = 'primary' | 'secondary' | 'danger' | 'ghost'

const VARIANTS: Record<Variant, string> = {
  primary: 'bg-indigo-600 text-white shadow-sm hover:bg-indigo-500 disabled:bg-indigo-600/50',
  secondary: 'bg-white text-slate-700 ring-1 ring-inset ring-slate-300 hover:bg-slate-50 dark:bg-slate-800 dark:text-slate-200 dark:ring-slate-700 dark:hover:bg-slate-700',
  danger: 'bg-white text-rose-700 ring-1 ring-inset ring-rose-300 hover:bg-rose-50 dark:bg-slate-800 dark:text-rose-300 dark:ring-rose-900 dark:hover:bg-rose-950',
  ghost: 'text-slate-600 hover:bg-slate-100 hover:text-slate-900 dark:text-slate-300 dark:hover:bg-slate-800 dark:hover:text-white',
}

export const buttonClass = (variant: Variant = 'primary', extra?: string) => cx(
  'inline-flex items-center justify-center gap-2 rounded-lg px-3.5 py-2 text-sm font-medium',
  'transition-colors disabled:cursor-not-allowed', VARIANTS[variant], extra,
)

export const inputClass = (invalid: boolean) => cx(
  'block w-full rounded-lg border bg-white px-3 py-2 text-sm shadow-xs placeholder:text-slate-400',
  'focus:outline-2 focus:-outline-offset-1 focus:outline-indigo-500 dark:bg-slate-950 dark:placeholder:text-slate-600',
  invalid
    ? 'border-rose-400 text-rose-900 dark:border-rose-700 dark:text-rose-200'
    : 'border-slate-300 text-slate-900 dark:border-slate-700 dark:text-slate-100',
)

