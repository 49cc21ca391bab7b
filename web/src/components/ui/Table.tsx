import type { ReactNode, ThHTMLAttributes } from 'react'
import { cx } from './cx'

/** Tables scroll inside their own box so narrow screens never scroll the page sideways. */
export function TableContainer({ children, label }: { children: ReactNode; label: string }) {
  return (
    <>
      {/* on a phone the columns do not fit: say so, rather than hide them past the edge */}
      <p className="mb-1 text-xs text-slate-500 sm:hidden dark:text-slate-400" data-testid="scroll-cue">
        Swipe sideways for more columns →
      </p>
      <div role="region" aria-label={label} tabIndex={0} className="-mx-4 overflow-x-auto px-4 focus-visible:outline-offset-[-2px]">
        <table className="w-full min-w-max border-collapse text-left text-sm">{children}</table>
      </div>
    </>
  )
}

export function Th({ className, numeric, ...props }: ThHTMLAttributes<HTMLTableCellElement> & { numeric?: boolean }) {
  return (
    <th scope="col" className={cx(
      'border-b border-slate-200 px-3 py-2 text-xs font-medium uppercase tracking-wide whitespace-nowrap text-slate-500 first:pl-0 last:pr-0 dark:border-slate-800 dark:text-slate-400',
      numeric && 'text-right', className,
    )} {...props} />
  )
}

const CELL = 'border-b border-slate-100 px-3 py-2.5 first:pl-0 last:pr-0 dark:border-slate-800/70'

export function Td({ className, numeric, children }: { className?: string; numeric?: boolean; children: ReactNode }) {
  return <td className={cx(CELL, numeric && 'text-right tabular-nums', className)}>{children}</td>
}

/** The first cell of a body row when it names the row (screen readers announce it with each value). */
export function RowHeader({ className, children }: { className?: string; children: ReactNode }) {
  return <th scope="row" className={cx(CELL, 'text-left font-medium', className)}>{children}</th>
}
