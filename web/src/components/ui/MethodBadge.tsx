import { cx } from './cx'

export function MethodBadge({ method }: { method: string }) {
  return (
    <span className={cx('shrink-0 rounded px-1.5 py-0.5 font-mono text-[10px] font-semibold',
      method === 'GET' ? 'bg-sky-100 text-sky-800 dark:bg-sky-950 dark:text-sky-300'
        : 'bg-amber-100 text-amber-800 dark:bg-amber-950 dark:text-amber-300')}>{method}</span>
  )
}
