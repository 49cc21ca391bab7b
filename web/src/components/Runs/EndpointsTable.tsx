import { useMemo, useState } from 'react'
import type { RunSummary } from '../../client/api'
import { filterEndpoints } from '../../lib/endpoints'
import type { EndpointSort } from '../../lib/endpoints'
import { formatCount, formatMs, formatPercent } from '../../lib/format'
import { Card } from '../ui/Card'
import { cx } from '../ui/cx'
import { MethodBadge } from '../ui/MethodBadge'
import { RowHeader, TableContainer, Td, Th } from '../ui/Table'

/** Requests per method and URL pattern across every flow, with a totals row; a search box
 * filters by method or pattern, and percentiles of a handful of responses are flagged. */
export function EndpointsCard({ summary }: { summary: RunSummary }) {
  const [query, setQuery] = useState('')
  const [sort, setSort] = useState<EndpointSort>('requests')
  const rows = useMemo(() => filterEndpoints(summary.endpoints, query, sort), [summary.endpoints, query, sort])
  if (summary.endpoints.length === 0) return null
  const t = summary.totals
  return (
    <Card title={`Endpoints (${summary.endpoints.length})`} actions={
      <input type="search" value={query} onChange={(e) => setQuery(e.target.value)} placeholder="Filter endpoints"
        aria-label="Filter endpoints" className="w-44 rounded-md border border-slate-300 bg-white px-2 py-1 text-sm dark:border-slate-700 dark:bg-slate-900" />
    }>
      <TableContainer label="Per-endpoint results">
        <thead><tr>
          <Th>Endpoint</Th>
          <Th numeric aria-sort={sort === 'requests' ? 'descending' : 'none'}>
            <button type="button" onClick={() => setSort('requests')} className="uppercase">Requests</button>
          </Th>
          <Th numeric>Errors</Th><Th numeric>p50</Th>
          <Th numeric aria-sort={sort === 'p95' ? 'descending' : 'none'}>
            <button type="button" onClick={() => setSort('p95')} className="uppercase">p95</button>
          </Th>
          <Th numeric>p99</Th>
        </tr></thead>
        <tbody>
          {rows.map((e) => (
            <tr key={`${e.method} ${e.pattern}`} data-testid="endpoint-row">
              <RowHeader>
                <span className="flex items-center gap-2">
                  <MethodBadge method={e.method} />
                  <code className="font-mono text-xs">{e.pattern}</code>
                  {e.low_sample && (
                    <span className="rounded bg-amber-100 px-1.5 py-0.5 text-[10px] font-medium text-amber-800 dark:bg-amber-950 dark:text-amber-300"
                      title={`Only ${e.samples} responses: these percentiles are anecdotes, not percentiles`}>
                      few samples
                    </span>
                  )}
                </span>
              </RowHeader>
              <Td numeric>{formatCount(e.requests)}</Td>
              <Td numeric className={cx(e.errors > 0 && 'text-rose-600 dark:text-rose-400')}>
                {formatCount(e.errors)}{e.errors > 0 && <span className="ml-1 text-xs">({formatPercent(e.error_rate)})</span>}
              </Td>
              <Td numeric>{formatMs(e.latency_ms.p50)}</Td>
              <Td numeric className="font-medium">{formatMs(e.latency_ms.p95)}</Td>
              <Td numeric>{formatMs(e.latency_ms.p99)}</Td>
            </tr>
          ))}
          {rows.length === 0 && <tr><Td className="text-slate-500">No endpoint matches “{query}”.</Td></tr>}
          <tr data-testid="endpoint-total" className="font-semibold">
            <RowHeader>Total</RowHeader>
            <Td numeric>{formatCount(t.requests)}</Td>
            <Td numeric>{formatCount(t.errors)}</Td>
            <Td numeric>{formatMs(t.latency_ms.p50)}</Td>
            <Td numeric>{formatMs(t.latency_ms.p95)}</Td>
            <Td numeric>{formatMs(t.latency_ms.p99)}</Td>
          </tr>
        </tbody>
      </TableContainer>
    </Card>
  )
}
