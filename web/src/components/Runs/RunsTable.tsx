import { Link } from 'react-router'
import type { RunPublic } from '../../client/api'
import { isActive } from '../../lib/status'
import { formatDuration, formatMs, formatPercent, formatRate, formatRelative, secondsBetween, shortUrl } from '../../lib/format'
import { cx } from '../ui/cx'
import { StatusBadge } from '../ui/StatusBadge'
import { VerdictBadge } from '../ui/VerdictBadge'
import { TableContainer, Td, Th } from '../ui/Table'

/** Which runs are ticked for comparison; absent means the table has no checkboxes. */
export interface Selection {
  selected: number[]
  toggle: (id: number) => void
}

interface Props { runs: RunPublic[]; now?: Date; selection?: Selection }

/** Runs as a table on wide screens and as a stacked list on phones. */
export function RunsTable({ runs, now, selection }: Props) {
  return (
    <>
      <div className="max-sm:hidden"><RunsGrid runs={runs} now={now} selection={selection} /></div>
      <RunsList runs={runs} now={now} selection={selection} />
    </>
  )
}

function SelectBox({ run, selection }: { run: RunPublic; selection: Selection }) {
  return (
    <input type="checkbox" className="size-4 shrink-0 accent-indigo-600"
      aria-label={`Select run #${run.id} to compare`}
      checked={selection.selected.includes(run.id)} onChange={() => selection.toggle(run.id)} />
  )
}

function RunsList({ runs, now, selection }: Props) {
  return (
    <ul aria-label="Runs" className="-my-2 divide-y divide-slate-100 sm:hidden dark:divide-slate-800">
      {runs.map((run) => {
        const measured = (run.requests ?? 0) > 0
        return (
          <li key={run.id} className="flex items-center gap-3">
            {selection && <SelectBox run={run} selection={selection} />}
            <Link to={`/runs/${run.id}`} className="block min-w-0 flex-1 py-3">
              <div className="flex items-center justify-between gap-2">
                <span className="min-w-0 truncate font-medium">
                  <span className="mr-1.5 text-slate-400 tabular-nums">#{run.id}</span>{shortUrl(run.target_url)}
                </span>
                <span className="flex items-center gap-1.5"><VerdictBadge verdict={run.verdict} /><StatusBadge status={run.status} verdict={run.verdict} /></span>
              </div>
              <div className="mt-1 flex flex-wrap gap-x-3 text-xs text-slate-500 tabular-nums dark:text-slate-400">
                <span>{run.users} users</span>
                {measured && <span>p95 {formatMs(run.p95_ms)}</span>}
                {measured && <span className={cx((run.error_rate ?? 0) > 0.01 && 'text-rose-600 dark:text-rose-400')}>{formatPercent(run.error_rate)} errors</span>}
                {measured && <span>{formatRate(run.rps)}</span>}
                <span>{formatRelative(run.started_at ?? run.created_at, now)}</span>
              </div>
            </Link>
          </li>
        )
      })}
    </ul>
  )
}

function RunsGrid({ runs, now, selection }: Props) {
  return (
    <TableContainer label="Runs">
      <thead>
        <tr>
          {selection && <Th className="w-8"><span className="sr-only">Compare</span></Th>}
          <Th>Status</Th><Th>Target</Th><Th numeric>Users</Th><Th numeric>p95</Th>
          <Th numeric>Errors</Th><Th numeric>Req/s</Th><Th>Started</Th><Th numeric>Duration</Th>
        </tr>
      </thead>
      <tbody>
        {runs.map((run) => {
          const active = isActive(run.status)
          const measured = (run.requests ?? 0) > 0
          return (
            <tr key={run.id} className="group hover:bg-slate-50 dark:hover:bg-slate-800/40">
              {selection && <Td><SelectBox run={run} selection={selection} /></Td>}
              <Td><span className="flex items-center gap-1.5"><VerdictBadge verdict={run.verdict} /><StatusBadge status={run.status} verdict={run.verdict} /></span></Td>
              <Td className="max-w-[16rem]">
                <Link to={`/runs/${run.id}`} className="block truncate font-medium text-slate-900 hover:text-indigo-600 dark:text-slate-100 dark:hover:text-indigo-400" title={run.target_url}>
                  <span className="mr-1.5 text-slate-400 tabular-nums">#{run.id}</span>{shortUrl(run.target_url)}
                </Link>
              </Td>
              <Td numeric>{run.users}</Td>
              <Td numeric>{measured ? formatMs(run.p95_ms) : '–'}</Td>
              <Td numeric className={cx((run.error_rate ?? 0) > 0.01 && 'font-medium text-rose-600 dark:text-rose-400')}>
                {measured ? formatPercent(run.error_rate) : '–'}
              </Td>
              <Td numeric>{measured ? formatRate(run.rps) : '–'}</Td>
              <Td className="whitespace-nowrap text-slate-500 dark:text-slate-400">{formatRelative(run.started_at ?? run.created_at, now)}</Td>
              <Td numeric className="text-slate-500 dark:text-slate-400">
                {active ? 'running' : formatDuration(secondsBetween(run.started_at, run.finished_at))}
              </Td>
            </tr>
          )
        })}
      </tbody>
    </TableContainer>
  )
}
