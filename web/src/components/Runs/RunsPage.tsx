import { useState } from 'react'
import { Link, useNavigate, useSearchParams } from 'react-router'
import { RUN_STATUSES } from '../../lib/status'
import type { RunStatus } from '../../lib/status'
import { useRunsList } from '../../hooks/runs'
import { buttonClass } from '../ui/styles'
import { Card } from '../ui/Card'
import { EmptyState, Loading, Notice, Spinner } from '../ui/Feedback'
import { inputClass } from '../ui/styles'
import { PageHeader } from '../ui/PageHeader'
import { useCan } from '../Account/session'
import { RunsTable } from './RunsTable'

const PAGE_SIZE = 20

/** Every run, newest first, filterable by status and paged; live rows refresh on their own. */
export function RunsPage() {
  const [params, setParams] = useSearchParams()
  const statusParam = params.get('status')
  const status = RUN_STATUSES.includes(statusParam as RunStatus) ? (statusParam as RunStatus) : undefined
  const page = Math.max(0, Number(params.get('page') ?? '0') || 0)
  const query = useRunsList({ limit: PAGE_SIZE, offset: page * PAGE_SIZE, status })
  const compare = useCompareSelection()
  const canRun = useCan('run.create')

  const update = (next: { status?: string; page?: number }) => {
    const p = new URLSearchParams(params)
    if ('status' in next) { if (next.status) p.set('status', next.status); else p.delete('status'); p.delete('page') }
    if (next.page !== undefined) { if (next.page > 0) p.set('page', String(next.page)); else p.delete('page') }
    setParams(p)
  }

  const count = query.data?.count ?? 0
  const pages = Math.max(1, Math.ceil(count / PAGE_SIZE))
  return (
    <div>
      <PageHeader title="Runs" subtitle="Every load test, newest first."
        actions={canRun && <Link to="/runs/new" className={buttonClass('primary')}>New test</Link>} />
      <Card bodyClassName="p-4 pt-3" title={
        <span className="flex items-center gap-2">
          {count > 0 ? `${count} run${count === 1 ? '' : 's'}` : 'Runs'}
          {query.isFetching && !query.isLoading && <Spinner className="text-slate-400" />}
        </span>
      } actions={
        <div className="flex flex-wrap items-center gap-2">
        <CompareButton selected={compare.selected} />
        <label className="flex items-center gap-2 text-sm text-slate-600 dark:text-slate-400">
          Status
          <select value={status ?? ''} onChange={(e) => update({ status: e.target.value })}
            className={`${inputClass(false)} w-auto py-1.5 capitalize`}>
            <option value="">All</option>
            {RUN_STATUSES.map((s) => <option key={s} value={s}>{s}</option>)}
          </select>
        </label>
        </div>
      }>
        {query.isLoading ? <Loading label="Loading runs…" />
          : query.isError ? <Notice title="Could not load runs">{query.error.message}</Notice>
          : count === 0 || !query.data ? (
            <EmptyState title={status ? `No ${status} runs` : 'No runs yet'}
              action={!status && canRun && <Link to="/runs/new" className={buttonClass('primary')}>Start your first test</Link>}>
              {status ? 'Try another status filter.' : 'Point loadscout at your app; it finds the flows and loads them for you.'}
            </EmptyState>
          ) : (
            <>
              <RunsTable runs={query.data.data} selection={compare} />
              {pages > 1 && (
                <nav aria-label="Pages" className="mt-4 flex items-center justify-between gap-2 text-sm">
                  <button type="button" className={buttonClass('secondary')} disabled={page === 0}
                    onClick={() => update({ page: page - 1 })}>Previous</button>
                  <span className="text-slate-500 dark:text-slate-400">Page {page + 1} of {pages}</span>
                  <button type="button" className={buttonClass('secondary')} disabled={page + 1 >= pages}
                    onClick={() => update({ page: page + 1 })}>Next</button>
                </nav>
              )}
            </>
          )}
      </Card>
    </div>
  )
}

/** Up to two ticked runs; ticking a third drops the first one ticked. */
function useCompareSelection() {
  const [selected, setSelected] = useState<number[]>([])
  const toggle = (id: number) => setSelected((ids) =>
    ids.includes(id) ? ids.filter((x) => x !== id) : [...ids, id].slice(-2))
  return { selected, toggle }
}

/** Opens the comparison with the older run as the baseline. */
function CompareButton({ selected }: { selected: number[] }) {
  const navigate = useNavigate()
  const ready = selected.length === 2
  const [a, b] = [...selected].sort((x, y) => x - y)
  return (
    <button type="button" className={buttonClass('secondary', 'py-1.5 disabled:opacity-50')} disabled={!ready}
      title={ready ? `Compare run #${a} with run #${b}` : 'Tick two runs to compare them'}
      onClick={() => navigate(`/compare?a=${a}&b=${b}`)}>
      Compare{selected.length > 0 && !ready ? ` (${selected.length}/2)` : ''}
    </button>
  )
}
