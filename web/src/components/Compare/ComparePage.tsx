import { Link, useSearchParams } from 'react-router'
import type { RunDetail } from '../../client/api'
import { ApiError } from '../../client/api'
import { isActive } from '../../lib/status'
import { useRun } from '../../hooks/runs'
import { compareSteps, compareTotals, overlay } from '../../lib/compare'
import { formatDuration, formatMs, formatRate, formatTimestamp, shortUrl } from '../../lib/format'
import { COLORS } from '../Charts/colors'
import { TimeSeriesChart } from '../Charts/TimeSeriesChart'
import { Card } from '../ui/Card'
import { EmptyState, Loading, Notice } from '../ui/Feedback'
import { PageHeader } from '../ui/PageHeader'
import { StatusBadge } from '../ui/StatusBadge'
import { buttonClass } from '../ui/styles'
import { StepsDeltaTable, TotalsDeltaTable } from './DeltaTables'

const runId = (value: string | null): number | null => {
  const id = Number(value)
  return value && Number.isInteger(id) && id > 0 ? id : null
}

/** Two runs side by side: `a` is the baseline, `b` the candidate whose changes are coloured. */
export function ComparePage() {
  const [params] = useSearchParams()
  const a = runId(params.get('a'))
  const b = runId(params.get('b'))
  const qa = useRun(a ?? 0, a !== null)
  const qb = useRun(b ?? 0, b !== null)
  if (a === null || b === null) {
    return (
      <Card>
        <EmptyState title="Pick two runs to compare" action={<Link to="/" className={buttonClass('secondary')}>Go to runs</Link>}>
          Select two runs in the list, then choose Compare.
        </EmptyState>
      </Card>
    )
  }
  if (qa.isLoading || qb.isLoading) return <Loading label="Loading runs…" />
  for (const [id, q] of [[a, qa], [b, qb]] as const) {
    if (q.isError) {
      const gone = q.error instanceof ApiError && q.error.status === 404
      return <Notice title={gone ? `Run ${id} does not exist` : `Could not load run ${id}`}>{gone ? 'It may have been deleted.' : q.error.message}</Notice>
    }
  }
  return qa.data && qb.data ? <CompareView a={qa.data} b={qb.data} /> : null
}

/** A run's results, if it has any worth comparing (a run stopped before load has only zeros). */
const results = (run: RunDetail) => (run.summary && run.summary.totals.requests > 0 ? run.summary : null)

function CompareView({ a, b }: { a: RunDetail; b: RunDetail }) {
  const totals = compareTotals(results(a), results(b))
  const steps = compareSteps(results(a), results(b))
  const missing = [a, b].filter((r) => !results(r))
  const points = overlay(results(a), results(b))
  return (
    <div className="grid gap-6">
      <PageHeader title={`Compare #${a.id} → #${b.id}`}
        subtitle={`Changes are from run #${a.id} (baseline) to run #${b.id}; green is better, red is worse.`}
        actions={<Link to={`/compare?a=${b.id}&b=${a.id}`} className={buttonClass('secondary')}>Swap</Link>} />
      <div className="grid gap-4 sm:grid-cols-2">
        <RunCard run={a} role="Baseline" />
        <RunCard run={b} role="Candidate" />
      </div>
      {missing.map((r) => (
        <Notice key={r.id} tone={isActive(r.status) ? 'info' : 'warning'} title={`Run #${r.id} has no results${isActive(r.status) ? ' yet' : ''}`}>
          {isActive(r.status) ? `It is ${r.status}; its numbers appear when it finishes.`
            : `It ended ${r.status} without load results, so its side shows dashes.`}
        </Notice>
      ))}
      <Card title="Totals"><TotalsDeltaTable rows={totals} a={a.id} b={b.id} /></Card>
      {points.length > 1 && (
        <div className="grid gap-4 md:grid-cols-2" data-testid="compare-charts">
          <Card title="Throughput, both runs">
            <TimeSeriesChart label="Requests per second, both runs" data={points} format={formatRate}
              series={[{ key: 'a_rps', label: `#${a.id}`, color: COLORS.p50 }, { key: 'b_rps', label: `#${b.id}`, color: COLORS.rps }]} />
          </Card>
          <Card title="p95 latency, both runs">
            <TimeSeriesChart label="p95 latency, both runs" data={points} format={formatMs}
              series={[{ key: 'a_p95', label: `#${a.id}`, color: COLORS.p50 }, { key: 'b_p95', label: `#${b.id}`, color: COLORS.p95 }]} />
          </Card>
        </div>
      )}
      <Card title={`Steps (${steps.length})`}>
        {steps.length === 0
          ? <EmptyState title="No steps to compare">Neither run has per-step results.</EmptyState>
          : <StepsDeltaTable rows={steps} a={a.id} b={b.id} />}
      </Card>
    </div>
  )
}

function RunCard({ run, role }: { run: RunDetail; role: string }) {
  return (
    <Card title={<span className="flex items-center gap-2"><span className="text-slate-500 dark:text-slate-400">{role}</span> <Link to={`/runs/${run.id}`} className="hover:text-indigo-600 dark:hover:text-indigo-400">Run #{run.id}</Link></span>}
      actions={<StatusBadge status={run.status} />}>
      <p className="truncate font-medium" title={run.target_url}>{shortUrl(run.target_url)}</p>
      <p className="mt-1 text-sm text-slate-500 dark:text-slate-400">
        {run.users} users · {formatDuration(run.duration_s)} · {formatTimestamp(run.started_at ?? run.created_at)}
      </p>
    </Card>
  )
}
