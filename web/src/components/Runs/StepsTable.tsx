import { useMemo, useState } from 'react'
import type { StepSummary } from '../../client/api'
import { formatCount, formatMs, formatPercent } from '../../lib/format'
import { sortSteps, stepLabel } from '../../lib/steps'
import type { SortKey } from '../../lib/steps'
import { cx } from '../ui/cx'
import { MethodBadge } from '../ui/MethodBadge'
import { TableContainer, Td, Th } from '../ui/Table'

const COLUMNS: { key: SortKey; label: string; numeric: boolean }[] = [
  { key: 'name', label: 'Step', numeric: false },
  { key: 'requests', label: 'Sent', numeric: true },
  { key: 'retried', label: 'Retried', numeric: true },
  { key: 'redirects', label: 'Redirects', numeric: true },
  { key: 'errors', label: 'Errors', numeric: true },
  { key: 'error_rate', label: 'Error %', numeric: true },
  { key: 'p50', label: 'p50', numeric: true },
  { key: 'p95', label: 'p95', numeric: true },
  { key: 'p99', label: 'p99', numeric: true },
  { key: 'max', label: 'Max', numeric: true },
  { key: 'ttfb_p95', label: 'TTFB p95', numeric: true },
]

/** Per-step results; click a header (or press Enter on it) to sort, again to flip the order. */
export function StepsTable({ steps }: { steps: StepSummary[] }) {
  const [sort, setSort] = useState<{ key: SortKey; desc: boolean }>({ key: 'p95', desc: true })
  // Rows keep their position in the summary as key: two steps may share flow, name and URL.
  const keyed = useMemo(() => new Map(steps.map((st, i) => [st, i])), [steps])
  const rows = useMemo(() => sortSteps(steps, sort.key, sort.desc), [steps, sort])
  // Results stored before per-step TTFB existed would show a column of dashes.
  const timed = steps.some((s) => s.ttfb_ms)
  // Retries and redirect hops are rare: their columns appear when a step has some.
  const resent = steps.some((s) => s.retried || s.redirects)
  const hidden = new Set([...(timed ? [] : ['ttfb_p95']), ...(resent ? [] : ['retried', 'redirects'])])
  const columns = COLUMNS.filter((c) => !hidden.has(c.key))
  const onSort = (key: SortKey) =>
    setSort((s) => (s.key === key ? { key, desc: !s.desc } : { key, desc: key !== 'name' }))
  return (
    <TableContainer label="Per-step results">
      <thead>
        <tr>
          {columns.map((c) => (
            <Th key={c.key} numeric={c.numeric}
              aria-sort={sort.key === c.key ? (sort.desc ? 'descending' : 'ascending') : 'none'}>
              <button type="button" onClick={() => onSort(c.key)}
                className={cx('inline-flex items-center gap-1 uppercase hover:text-slate-900 dark:hover:text-white',
                  sort.key === c.key && 'text-slate-900 dark:text-white')}>
                {c.label}
                <span aria-hidden className={cx('text-[10px]', sort.key !== c.key && 'opacity-0')}>{sort.desc ? '▼' : '▲'}</span>
              </button>
            </Th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((s) => {
          const rate = s.requests ? s.errors / s.requests : 0
          return (
            <tr key={keyed.get(s)}>
              <Td className="max-w-[22rem]">
                <div className="flex min-w-0 items-center gap-2">
                  <MethodBadge method={s.method} />
                  <span className="truncate font-medium" title={s.url}>{stepLabel(s.name, s.method)}</span>
                </div>
                <div className="mt-0.5 truncate text-xs text-slate-500 dark:text-slate-400" title={s.url}>
                  {s.flow} · <span className="font-mono">{pathOf(s.url)}</span>
                </div>
              </Td>
              <Td numeric>{formatCount(s.requests)}</Td>
              {resent && <Td numeric>{formatCount(s.retried)}</Td>}
              {resent && <Td numeric>{formatCount(s.redirects)}</Td>}
              <Td numeric className={cx(s.errors > 0 && 'text-rose-600 dark:text-rose-400')}>{formatCount(s.errors)}</Td>
              <Td numeric className={cx(rate > 0.01 && 'font-medium text-rose-600 dark:text-rose-400')}>{formatPercent(rate)}</Td>
              <Td numeric>{formatMs(s.latency_ms.p50)}</Td>
              <Td numeric className="font-medium">{formatMs(s.latency_ms.p95)}</Td>
              <Td numeric>{formatMs(s.latency_ms.p99)}</Td>
              <Td numeric>{formatMs(s.latency_ms.max)}</Td>
              {timed && <Td numeric>{formatMs(s.ttfb_ms?.p95)}</Td>}
            </tr>
          )
        })}
      </tbody>
    </TableContainer>
  )
}


function pathOf(url: string): string {
  try {
    const u = new URL(url)
    return `${u.pathname}${u.search}`
  } catch {
    return url
  }
}
