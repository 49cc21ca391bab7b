import type { AuditEntry } from '../../client/api'
import { formatTimestamp } from '../../lib/format'
import { Card } from '../ui/Card'

const ACTIONS: Record<string, string> = {
  'run.create': 'started it',
  'run.cancel': 'cancelled it',
  'run.rerun': 'ran it again',
  'run.delete': 'deleted it',
}

/** Who did what to this run, oldest first (the server's audit log, for this run only). */
export function AuditTrail({ entries }: { entries: AuditEntry[] }) {
  return (
    <Card title="Audit trail">
      <ol aria-label="Audit trail" className="grid gap-2 text-sm">
        {entries.map((e, i) => (
          <li key={`${e.at}-${i}`} className="flex flex-wrap gap-x-3">
            <time dateTime={e.at} className="tabular-nums text-slate-500 dark:text-slate-400">{formatTimestamp(e.at)}</time>
            <span><span className="font-medium">{e.actor}</span> {ACTIONS[e.action] ?? <code className="font-mono text-xs">{e.action}</code>}</span>
          </li>
        ))}
      </ol>
    </Card>
  )
}
