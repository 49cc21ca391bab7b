import type { RunStatus } from '../../lib/status'
import { isActive } from '../../lib/status'
import { cx } from './cx'

const TONES: Record<RunStatus, string> = {
  queued: 'bg-slate-100 text-slate-700 ring-slate-300 dark:bg-slate-800 dark:text-slate-300 dark:ring-slate-600',
  discovering: 'bg-sky-50 text-sky-700 ring-sky-200 dark:bg-sky-950 dark:text-sky-300 dark:ring-sky-800',
  loading: 'bg-indigo-50 text-indigo-700 ring-indigo-200 dark:bg-indigo-950 dark:text-indigo-300 dark:ring-indigo-800',
  completed: 'bg-emerald-50 text-emerald-700 ring-emerald-200 dark:bg-emerald-950 dark:text-emerald-300 dark:ring-emerald-800',
  failed: 'bg-rose-50 text-rose-700 ring-rose-200 dark:bg-rose-950 dark:text-rose-300 dark:ring-rose-800',
  cancelled: 'bg-amber-50 text-amber-800 ring-amber-200 dark:bg-amber-950 dark:text-amber-300 dark:ring-amber-800',
}

/** The run's lifecycle status; a completed run whose verdict is not `passed` is not drawn green. */
export function StatusBadge({ status, verdict }: { status: RunStatus, verdict?: string | null }) {
  const tone = status === 'completed' && verdict && verdict !== 'passed' ? TONES.queued : TONES[status]
  return (
    <span className={cx(
      'inline-flex items-center gap-1.5 rounded-full px-2 py-0.5 text-xs font-medium capitalize ring-1 ring-inset whitespace-nowrap',
      tone ?? TONES.queued,
    )}>
      <span aria-hidden className={cx('size-1.5 rounded-full bg-current', isActive(status) && 'animate-pulse')} />
      {status}
    </span>
  )
}
