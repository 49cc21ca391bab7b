import { useState } from 'react'
import { Link } from 'react-router'
import type { AuditRecord } from '../../client/api'
import { useAudit } from '../../hooks/team'
import { useSession } from '../Account/session'
import { auditDetails } from '../../lib/audit'
import { formatTimestamp } from '../../lib/format'
import { Button } from '../ui/Button'
import { Card } from '../ui/Card'
import { EmptyState, Loading, Notice, Spinner } from '../ui/Feedback'
import { TableContainer, Td, Th } from '../ui/Table'

const PAGE = 50

/** Who did what in this team, newest first: sign-ins, runs started, cancelled, deleted, members,
 * tokens. An instance admin may widen it to the whole instance (failed sign-ins, accounts, teams). */
export function AuditPage() {
  const [offset, setOffset] = useState(0)
  const [instance, setInstance] = useState(false)
  const me = useSession()
  const audit = useAudit({ limit: PAGE, offset, instance })
  const count = audit.data?.count ?? 0
  const widen = me?.is_instance_admin ? (
    <label className="flex items-center gap-2 text-sm text-slate-600 dark:text-slate-300">
      <input type="checkbox" checked={instance} onChange={(e) => { setInstance(e.target.checked); setOffset(0) }} />
      Whole instance
    </label>
  ) : null
  const busy = audit.isFetching && !audit.isLoading ? <Spinner className="text-slate-400" /> : null
  return (
    <Card title="Audit log" actions={<span className="flex items-center gap-3">{widen}{busy}</span>}>
      {audit.isLoading ? <Loading label="Loading the audit log…" />
        : audit.isError ? <Notice title="Could not load the audit log">{audit.error.message}</Notice>
          : !audit.data?.data.length ? <EmptyState title="Nothing recorded yet" />
            : (
              <>
                <TableContainer label="Audit log">
                  <thead><tr><Th>When</Th><Th>Who</Th><Th>What</Th><Th>Run</Th><Th>Details</Th><Th>From</Th></tr></thead>
                  <tbody>{audit.data.data.map((entry) => <AuditRow key={entry.id} entry={entry} />)}</tbody>
                </TableContainer>
                <div className="mt-4 flex items-center justify-between gap-2 text-sm text-slate-500 dark:text-slate-400">
                  <span>{offset + 1}–{Math.min(offset + PAGE, count)} of {count}</span>
                  <span className="flex gap-2">
                    <Button variant="secondary" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>Newer</Button>
                    <Button variant="secondary" disabled={offset + PAGE >= count} onClick={() => setOffset(offset + PAGE)}>Older</Button>
                  </span>
                </div>
              </>
            )}
    </Card>
  )
}

function AuditRow({ entry }: { entry: AuditRecord }) {
  return (
    <tr>
      <Td className="whitespace-nowrap">{formatTimestamp(entry.at)}</Td>
      <Td>{entry.actor}</Td>
      <Td><code className="font-mono text-xs">{entry.action}</code></Td>
      <Td>{entry.run_id != null ? <Link className="text-indigo-600 hover:underline dark:text-indigo-400" to={`/runs/${entry.run_id}`}>#{entry.run_id}</Link> : '–'}</Td>
      <Td className="max-w-md truncate text-xs text-slate-600 dark:text-slate-300">{auditDetails(entry) || '–'}</Td>
      <Td className="font-mono text-xs">{entry.ip || '–'}</Td>
    </tr>
  )
}
