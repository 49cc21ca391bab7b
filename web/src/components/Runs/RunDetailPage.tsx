import { useMemo, useState } from 'react'
import { Link, useNavigate, useParams } from 'react-router'
import type { RunDetail } from '../../client/api'
import { ApiError } from '../../client/api'
import { isActive } from '../../lib/status'
import { REPORT_FORMATS, reportUrl, useCancelRun, useDeleteRun, useRerun, useRun, useRunEvents, useRunFlows, useRunMetrics } from '../../hooks/runs'
import { formatDuration, formatTimestamp, secondsBetween } from '../../lib/format'
import { fromTimeseries } from '../../lib/liveSeries'
import type { ChartPoint } from '../../lib/liveSeries'
import { stageTimes } from '../../lib/timeline'
import { ConfirmDialog } from '../ui/ConfirmDialog'
import { DistributionCard } from '../Charts/DistributionChart'
import { RunCharts } from '../Charts/RunCharts'
import { Button } from '../ui/Button'
import { buttonClass } from '../ui/styles'
import { Card } from '../ui/Card'
import { EmptyState, Loading, Notice, Spinner } from '../ui/Feedback'
import { PageHeader } from '../ui/PageHeader'
import { StatusBadge } from '../ui/StatusBadge'
import { VerdictBadge } from '../ui/VerdictBadge'
import { CoverageCard } from './CoverageCard'
import { EndpointsCard } from './EndpointsTable'
import { FlowsCard } from './FlowsCard'
import { LivePanel } from './LivePanel'
import { NodesCard, PartialNotice } from './NodesCard'
import { StatusTimeline } from './StatusTimeline'
import { TimingCard } from './TimingCard'
import { AuditTrail } from './AuditTrail'
import { useCan } from '../Account/session'
import { DiscoveryCard, ErrorsCard, StepsCard, SummaryTotals, ThresholdsCard } from './SummarySections'

export function RunDetailPage() {
  const param = useParams().id ?? ''
  const id = Number(param)
  const valid = Number.isInteger(id) && id > 0
  const query = useRun(id, valid)
  if (!valid) return <NotFound id={param} />
  if (query.isLoading) return <Loading label="Loading run…" />
  if (query.isError) {
    return query.error instanceof ApiError && query.error.status === 404
      ? <NotFound id={String(id)} />
      : <Notice title="Could not load this run">{query.error.message}</Notice>
  }
  return query.data ? <RunView run={query.data} /> : null
}

function NotFound({ id }: { id: string }) {
  return (
    <Card>
      <EmptyState title={`Run ${id} does not exist`} action={<Link to="/" className={buttonClass('secondary')}>Back to runs</Link>}>
        It may have been deleted.
      </EmptyState>
    </Card>
  )
}

/** Remember the stages a run went through so an early end shows where it stopped. */
function useLastStage(run: RunDetail): string | undefined {
  const [last, setLast] = useState<string>()
  if (isActive(run.status) && run.status !== last) setLast(run.status)
  if (last) return last
  if (run.summary && run.summary.totals.requests > 0) return 'loading'
  if (run.summary && run.summary.discovery.pages > 0) return 'discovering'
  return undefined
}

/** Chart points: the series polled every second (new seconds only) while loading; the exact
 * per-second series of the summary once final. Polling starts with discovery, so the first
 * point shows within a second of the load starting rather than a status poll later. */
function useChartPoints(run: RunDetail): ChartPoint[] {
  const polled = useRunMetrics(run.id, run.status === 'discovering' || run.status === 'loading').points
  const stored = run.summary?.timeseries
  return useMemo(() => (stored && stored.length ? fromTimeseries(stored) : polled ?? []), [stored, polled])
}

/** JSON, CSV, HTML and JUnit XML reports of a finished run, as plain download links. */
function Downloads({ id }: { id: number }) {
  return (
    <div role="group" aria-label="Download the result" className="flex flex-wrap items-center gap-2">
      {REPORT_FORMATS.map((fmt) => (
        <a key={fmt} className={buttonClass('secondary')} href={reportUrl(id, fmt)} download={`loadscout-run-${id}.${fmt}`}
          aria-label={`Download ${fmt.toUpperCase()}`}>
          <span aria-hidden>↓</span> {fmt.toUpperCase()}
        </a>
      ))}
    </div>
  )
}

/** Delete an ended run after a confirmation; back to the runs list when done. */
function DeleteRun({ run }: { run: RunDetail }) {
  const [asking, setAsking] = useState(false)
  const remove = useDeleteRun(run.id)
  const navigate = useNavigate()
  return (
    <>
      <Button variant="danger" onClick={() => setAsking(true)}>Delete</Button>
      <ConfirmDialog open={asking} title={`Delete run #${run.id}?`} confirmLabel="Delete run" busyLabel="Deleting…"
        busy={remove.isPending} onCancel={() => { setAsking(false); remove.reset() }}
        onConfirm={() => remove.mutate(undefined, { onSuccess: () => navigate('/', { replace: true }) })}>
        <p>Its results, flows, series and screenshots are removed for good.</p>
        {remove.error && <p role="alert" className="mt-2 text-rose-600 dark:text-rose-400">{remove.error.message}</p>}
      </ConfirmDialog>
    </>
  )
}

function RunView({ run }: { run: RunDetail }) {
  const active = isActive(run.status)
  const points = useChartPoints(run)
  const stoppedIn = useLastStage(run)
  const events = useRunEvents(run.id, run.status).data
  const times = useMemo(() => (events?.length ? stageTimes(events) : undefined), [events])
  const flows = useRunFlows(run)
  const cancel = useCancelRun(run.id)
  const rerun = useRerun(run.id)
  const navigate = useNavigate()
  const allowed = { cancel: useCan('run.cancel'), rerun: useCan('run.rerun'), remove: useCan('run.delete') }
  const wall = secondsBetween(run.started_at, run.finished_at)
  const summary = run.summary
  // An ended run that never sent a request has no numbers worth a table of zeros.
  const loaded = summary !== null && summary.totals.requests > 0

  return (
    <div className="grid gap-6">
      <PageHeader
        title={<span className="flex flex-wrap items-center gap-3"><span className="break-all">{run.target_url}</span> <VerdictBadge verdict={run.verdict} /> <StatusBadge status={run.status} verdict={run.verdict} /></span>}
        subtitle={
          <span className="flex flex-wrap gap-x-3 gap-y-1">
            <span>Run #{run.id}</span>
            <span>{run.users} users · {formatDuration(run.duration_s)}</span>
            <span>Started {formatTimestamp(run.started_at ?? run.created_at)}</span>
            {run.created_by && <span data-testid="started-by">by {run.created_by}</span>}
            {wall != null && !active && <span>Took {formatDuration(wall)}</span>}
          </span>
        }
        actions={<>
          {active && allowed.cancel && (
            <Button variant="danger" onClick={() => cancel.mutate()} disabled={cancel.isPending}>
              {cancel.isPending ? <><Spinner /> Cancelling…</> : 'Cancel run'}
            </Button>
          )}
          {!active && allowed.rerun && (
            <Button variant="secondary" disabled={rerun.isPending} title="Same settings and the same flows, no new discovery"
              onClick={() => rerun.mutate(undefined, { onSuccess: (next) => navigate(`/runs/${next.id}`) })}>
              {rerun.isPending ? <><Spinner /> Starting…</> : 'Run again'}
            </Button>
          )}
          {summary && <Downloads id={run.id} />}
          {!active && allowed.remove && <DeleteRun run={run} />}
        </>}
      />
      <Card><StatusTimeline status={run.status} times={times} fallbackStoppedIn={stoppedIn} /></Card>
      {cancel.error && <Notice title="Could not cancel">{cancel.error.message}</Notice>}
      {rerun.error && <Notice title="Could not run it again">{rerun.error.message}</Notice>}
      {run.status === 'failed' && <Notice title="The run failed">{run.reason || 'No reason was recorded.'}</Notice>}
      {run.status === 'cancelled' && <Notice tone="warning" title="The run was cancelled">{run.reason || undefined}</Notice>}
      {(run.status === 'queued' || run.status === 'discovering') && (
        <Notice tone="info" title={run.status === 'queued' ? 'Waiting to start' : 'Exploring the app in a headless browser'}>
          <span className="flex items-center gap-2" data-testid="discovery-message">
            <Spinner /> {run.discovery_message || (run.status === 'queued' ? 'The run starts as soon as a slot is free.' : 'Finding pages, forms and API calls…')}
          </span>
        </Notice>
      )}
      {run.status === 'loading' && run.live && <LivePanel live={run.live} durationS={run.duration_s} />}
      {summary && <PartialNotice summary={summary} />}
      {loaded && <SummaryTotals summary={summary} />}
      {loaded && <ThresholdsCard summary={summary} />}
      {summary && <NodesCard summary={summary} />}
      {(points.length > 0 || run.status === 'loading') && <RunCharts points={points} live={!summary} durationS={run.duration_s} />}
      {loaded && <DistributionCard buckets={summary.latency_distribution} />}
      {loaded && <StepsCard summary={summary} />}
      {loaded && <EndpointsCard summary={summary} />}
      {loaded && summary.realism && <CoverageCard realism={summary.realism} runId={run.id} screenshots={summary.discovery.screenshots} />}
      {loaded && <TimingCard totals={summary.totals} />}
      {loaded ? (
        <div className="grid gap-6 lg:grid-cols-2">
          <ErrorsCard summary={summary} />
          <DiscoveryCard summary={summary} />
        </div>
      ) : summary && summary.discovery.pages > 0 && <DiscoveryCard summary={summary} />}
      {run.audit.length > 0 && <AuditTrail entries={run.audit} />}
      {flows.data && (
        <FlowsCard flowset={flows.data} runId={run.id}
          screenshots={flows.data.discovery?.screenshots.length ? flows.data.discovery.screenshots : summary?.discovery.screenshots} />
      )}
    </div>
  )
}
