import type { RunSummary } from '../../client/api'
import { formatCount, formatDuration } from '../../lib/format'
import { Card } from '../ui/Card'
import { cx } from '../ui/cx'
import { Notice } from '../ui/Feedback'
import { RowHeader, TableContainer, Td, Th } from '../ui/Table'

type NodeSummary = RunSummary['nodes'][number]

const lostAt = (n: NodeSummary) => `lost at ${formatDuration(n.lost_at_s)}`

/** A run spread over a Ray cluster: each node's share of the load and what it did. */
export function NodesCard({ summary }: { summary: RunSummary }) {
  if (summary.nodes.length === 0) return null
  const lost = summary.nodes.filter((n) => n.lost_at_s != null).length
  return (
    <Card title={`Per node (${summary.nodes.length}${lost ? `, ${lost} lost` : ''})`}>
      <TableContainer label="Per-node results">
        <thead><tr>
          <Th>Node</Th><Th>Share</Th><Th numeric>Requests</Th><Th numeric>Errors</Th><Th numeric>CPU s</Th><Th>Outcome</Th>
        </tr></thead>
        <tbody>
          {summary.nodes.map((n) => {
            const gone = n.lost_at_s != null
            return (
              <tr key={n.node} data-testid="node-row" data-lost={gone || undefined}
                className={cx(gone && 'bg-rose-50 dark:bg-rose-950/40')}>
                <RowHeader>
                  <span className="flex flex-col">
                    <span>Node {n.node}</span>
                    <span className="font-mono text-xs font-normal text-slate-500 dark:text-slate-400">{n.host}</span>
                  </span>
                </RowHeader>
                <Td>
                  <span className="flex flex-col">
                    <span>{n.share}</span>
                    <span className="text-xs text-slate-500 dark:text-slate-400">{n.cpus} {n.cpus === 1 ? 'CPU' : 'CPUs'}</span>
                  </span>
                </Td>
                <Td numeric>{formatCount(n.requests)}</Td>
                <Td numeric className={cx(n.errors > 0 && 'text-rose-600 dark:text-rose-400')}>{formatCount(n.errors)}</Td>
                <Td numeric>{n.cpu_s.toFixed(1)}</Td>
                <Td>
                  {gone
                    ? <span className="font-semibold text-rose-700 dark:text-rose-300">{lostAt(n)}</span>
                    : <span className="text-slate-500 dark:text-slate-400">finished</span>}
                </Td>
              </tr>
            )
          })}
        </tbody>
      </TableContainer>
      {lost > 0 && (
        <p className="mt-3 text-xs text-slate-500 dark:text-slate-400">
          A lost node's requests are counted up to its last report; what it sent after that is not.
        </p>
      )}
    </Card>
  )
}

/** A run that lost a load process or node: its numbers are kept, but they are not the whole run. */
export function PartialNotice({ summary }: { summary: RunSummary }) {
  if (!summary.partial) return null
  const lost = summary.nodes.filter((n) => n.lost_at_s != null)
  const title = lost.length === 1
    ? `Partial results: node ${lost[0].node} (${lost[0].host}) was ${lostAt(lost[0])}`
    : lost.length > 1 ? `Partial results: ${lost.length} nodes were lost` : 'Partial results'
  return (
    <Notice tone="warning" title={title}>
      <p data-testid="partial-reason">{summary.reason || 'A load process was lost mid-run.'}</p>
      {summary.thresholds.length > 0 && <p className="mt-1">Thresholds were judged on what the rest reported.</p>}
    </Notice>
  )
}
