import { screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterEach, expect, test, vi } from 'vitest'
import { jsonResponse, renderPage } from '../../test/render'
import { clusterSummary, latency, me, run, summary } from '../../test/fixtures'
import { RunDetailPage } from './RunDetailPage'

afterEach(() => vi.unstubAllGlobals())

function serve(routes: Record<string, (req: Request) => Response>) {
  const fetch = vi.fn(async (req: Request) => {
    const key = `${req.method === 'GET' ? '' : `${req.method} `}${new URL(req.url).pathname}`
    return (routes[key] ?? (() => jsonResponse(404, { detail: `no ${key}` })))(req)
  })
  vi.stubGlobal('fetch', fetch)
  return fetch
}

const page = () => renderPage(<RunDetailPage />, { path: '/runs/7', route: '/runs/:id' })

test('a finished run shows totals, the step table, errors with examples and a download link', async () => {
  serve({
    '/api/v1/runs/7': () => jsonResponse(200, run({ summary })),
    '/api/v1/runs/7/flows': () => jsonResponse(200, {
      version: 1, target_url: 'http://127.0.0.1:8001/',
      flows: [{ name: 'browse /cart', weight: 1, steps: [{ name: 'GET /cart', method: 'GET', url: '/cart', kind: 'document' }] }],
    }),
  })
  page()
  const totals = await screen.findByLabelText('Run totals')
  expect(within(totals).getByText('143')).toBeInTheDocument()
  expect(within(totals).getByText('2.1%')).toBeInTheDocument()
  expect(screen.getAllByRole('row')).toHaveLength(1 + summary.steps.length)
  expect(screen.getByText('http_500')).toBeInTheDocument()
  expect(screen.getByText('browse / /search')).toBeInTheDocument() // which step failed
  expect(screen.getByText('HTTP 500')).toBeInTheDocument()
  const errors = screen.getByRole('list', { name: 'Errors by step and kind' })
  expect(within(errors).getByText('/search')).toBeInTheDocument() // an example URL
  const downloads = screen.getByRole('group', { name: 'Download the result' })
  expect(within(downloads).getAllByRole('link').map((a) => a.getAttribute('href'))).toEqual([
    '/api/v1/runs/7/report.json', '/api/v1/runs/7/report.csv', '/api/v1/runs/7/report.html',
    '/api/v1/runs/7/report.xml',
  ])
  expect(screen.getByRole('link', { name: 'Download CSV' })).toHaveAttribute('download', 'loadscout-run-7.csv')
  expect(await screen.findByText('browse /cart')).toBeInTheDocument()
  expect(screen.queryByRole('button', { name: 'Cancel run' })).not.toBeInTheDocument()
})

test('a loading run shows live numbers and can be cancelled', async () => {
  serve({
    '/api/v1/runs/7': () => jsonResponse(200, run({
      status: 'loading', finished_at: null,
      live: { elapsed_s: 2, active_users: 5, requests: 77, errors: 0, rps: 38, p50_ms: 3, p95_ms: 9 },
    })),
    '/api/v1/runs/7/flows': () => jsonResponse(409, { detail: 'no flows yet' }),
  })
  page()
  expect(await screen.findByTestId('live-requests')).toHaveTextContent('77')
  expect(screen.getByRole('button', { name: 'Cancel run' })).toBeEnabled()
  expect(screen.getByRole('listitem', { current: 'step' })).toHaveTextContent('Loading')
})

test('a discovering run shows what discovery is doing', async () => {
  serve({ '/api/v1/runs/7': () => jsonResponse(200, run({ status: 'discovering', discovery_message: 'visited 4 of 10 pages' })) })
  page()
  expect(await screen.findByTestId('discovery-message')).toHaveTextContent('visited 4 of 10 pages')
})

test('an unknown run says so', async () => {
  serve({})
  page()
  expect(await screen.findByText('Run 7 does not exist')).toBeInTheDocument()
})

test('flows show a lazy thumbnail of their page when discovery took one', async () => {
  const shots = ['/data/artifacts/runs/7/screenshots/cart.png']
  serve({
    '/api/v1/runs/7': () => jsonResponse(200, run({ summary: { ...summary, discovery: { ...summary.discovery, screenshots: shots } } })),
    '/api/v1/runs/7/flows': () => jsonResponse(200, {
      version: 1, target_url: 'http://127.0.0.1:8001/',
      flows: [
        { name: 'browse /cart', weight: 1, steps: [{ name: 'GET /cart', method: 'GET', url: '/cart', kind: 'document' }] },
        { name: 'browse /about', weight: 1, steps: [{ name: 'GET /about', method: 'GET', url: '/about', kind: 'document' }] },
      ],
    }),
  })
  page()
  const img = await screen.findByAltText('Screenshot of page /cart')
  expect(img).toHaveAttribute('src', '/api/v1/runs/7/screenshots/cart.png')
  expect(img).toHaveAttribute('loading', 'lazy')
  expect(screen.getAllByTestId('page-thumbnail')).toHaveLength(1)
})

const event = (status: string, at: string) => ({ status, at, reason: '' })

test('the timeline shows how long each stage took, from the run events', async () => {
  serve({
    '/api/v1/runs/7': () => jsonResponse(200, run({ summary })),
    '/api/v1/runs/7/events': () => jsonResponse(200, {
      count: 4,
      data: [
        event('queued', '2026-11-26T01:00:00Z'), event('discovering', '2026-11-26T01:00:01Z'),
        event('loading', '2026-11-26T01:00:08.5Z'), event('completed', '2026-11-26T01:00:12.5Z'),
      ],
    }),
  })
  page()
  expect(await screen.findByTestId('stage-discovering')).toHaveTextContent('7.5 s')
  expect(screen.getByTestId('stage-loading')).toHaveTextContent('4 s')
  expect(screen.getByTestId('stage-queued')).toHaveTextContent('1 s')
  expect(screen.getByTestId('stage-completed')).toHaveAttribute('dateTime', '2026-11-26T01:00:12.5Z')
})

test('live charts poll only new seconds and merge them into the points held', async () => {
  const sinces: string[] = []
  let calls = 0
  const point = (t: number) => ({ t, rps: 10 + t, errors: 0, active_users: 5, p50_ms: 3, p95_ms: 9, p99_ms: null })
  serve({
    '/api/v1/runs/7': () => jsonResponse(200, run({
      status: 'loading', finished_at: null,
      live: { elapsed_s: 2, active_users: 5, requests: 77, errors: 0, rps: 38, p50_ms: 3, p95_ms: 9 },
    })),
    '/api/v1/runs/7/flows': () => jsonResponse(409, { detail: 'no flows yet' }),
    '/api/v1/runs/7/metrics': (req) => {
      sinces.push(new URL(req.url).searchParams.get('since') ?? '')
      calls += 1
      const data = calls === 1 ? [point(0), point(1)] : calls === 2 ? [point(2)] : []
      return jsonResponse(200, { data, count: data.length, status: 'loading', live: null })
    },
  })
  page()
  const chart = await screen.findByRole('figure', { name: 'Requests per second' })
  await waitFor(() => expect(chart).toHaveAttribute('data-points', '3'), { timeout: 4000 })
  expect(sinces.slice(0, 2)).toEqual(['-1', '1'])
  await waitFor(() => expect(sinces[2]).toBe('2'), { timeout: 4000 })
})

test('delete asks first, is keyboard accessible, then goes back to the runs list', async () => {
  const user = userEvent.setup()
  const fetch = serve({
    '/api/v1/runs/7': () => jsonResponse(200, run({ summary })),
    'DELETE /api/v1/runs/7': () => new Response(null, { status: 204 }),
  })
  renderPage(<RunDetailPage />, { path: '/runs/7', route: '/runs/:id' })
  const button = await screen.findByRole('button', { name: 'Delete' })
  await user.click(button)
  const dialog = screen.getByRole('alertdialog', { name: 'Delete run #7?' })
  expect(within(dialog).getByRole('button', { name: 'Cancel' })).toHaveFocus()
  await user.keyboard('{Escape}')
  expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument()
  expect(button).toHaveFocus()
  expect(fetch.mock.calls.some(([req]) => (req as Request).method === 'DELETE')).toBe(false)

  await user.keyboard('{Enter}')
  await user.tab()
  expect(screen.getByRole('button', { name: 'Delete run' })).toHaveFocus()
  await user.tab()  // focus stays in the dialog
  expect(screen.getByRole('button', { name: 'Cancel' })).toHaveFocus()
  await user.tab()
  await user.keyboard('{Enter}')
  expect(await screen.findByText('runs list')).toBeInTheDocument()
  expect(fetch.mock.calls.some(([req]) => (req as Request).method === 'DELETE')).toBe(true)
})

test('a run that cannot be deleted says why in the dialog', async () => {
  const user = userEvent.setup()
  serve({
    '/api/v1/runs/7': () => jsonResponse(200, run({ summary })),
    'DELETE /api/v1/runs/7': () => jsonResponse(409, { detail: 'run 7 is still running; cancel it first' }),
  })
  page()
  await user.click(await screen.findByRole('button', { name: 'Delete' }))
  await user.click(screen.getByRole('button', { name: 'Delete run' }))
  expect(await within(screen.getByRole('alertdialog')).findByRole('alert')).toHaveTextContent('cancel it first')
})

test('a finished run breaks its request time down by phase', async () => {
  const timed = { ...summary, totals: { ...summary.totals, ttfb_ms: latency(2, 8), connect_ms: latency(0.3, 0.9), assets_skipped: 4 } }
  serve({ '/api/v1/runs/7': () => jsonResponse(200, run({ summary: timed })) })
  page()
  const phases = await screen.findByRole('table', { name: 'Timing by phase' })
  expect(within(phases).getAllByRole('rowheader')).toHaveLength(2)
  expect(screen.getByText('4 off-scope assets not fetched')).toBeInTheDocument()
})

test('run again queues the same run and opens it; a refusal is shown', async () => {
  const user = userEvent.setup()
  const fetch = serve({
    '/api/v1/runs/7': () => jsonResponse(200, run({ summary })),
    'POST /api/v1/runs/7/rerun': () => jsonResponse(201, run({ id: 8, status: 'queued', summary: null })),
    '/api/v1/runs/8': () => jsonResponse(200, run({ id: 8, status: 'queued', summary: null })),
  })
  page()
  await user.click(await screen.findByRole('button', { name: 'Run again' }))
  await waitFor(() => expect(fetch.mock.calls.some(([req]) => (req as Request).url.endsWith('/runs/7/rerun'))).toBe(true))
  expect(await screen.findByText('Run #8')).toBeInTheDocument()
})

test('run again says why when the server refuses', async () => {
  const user = userEvent.setup()
  serve({
    '/api/v1/runs/7': () => jsonResponse(200, run({ summary })),
    'POST /api/v1/runs/7/rerun': () => jsonResponse(409, { detail: 'run 7 has no flows to replay' }),
  })
  page()
  await user.click(await screen.findByRole('button', { name: 'Run again' }))
  expect(await screen.findByText('run 7 has no flows to replay')).toBeInTheDocument()
})

test('a running run cannot be run again yet', async () => {
  serve({ '/api/v1/runs/7': () => jsonResponse(200, run({ status: 'loading', summary: null })) })
  page()
  await screen.findByRole('button', { name: 'Cancel run' })
  expect(screen.queryByRole('button', { name: 'Run again' })).not.toBeInTheDocument()
})

test('the page says who started the run and shows its audit trail; a runner cannot delete it', async () => {
  serve({
    '/api/v1/runs/7': () => jsonResponse(200, run({
      summary: null, requests: 0, created_by: 'grace@example.com',
      audit: [{ at: '2026-11-26T01:00:00Z', actor: 'grace@example.com', action: 'run.create' }],
    })),
    '/api/v1/runs/7/events': () => jsonResponse(200, { data: [], count: 0 }),
  })
  renderPage(<RunDetailPage />, { path: '/runs/7', route: '/runs/:id', me: me({ role: 'runner' }) })
  expect(await screen.findByTestId('started-by')).toHaveTextContent('by grace@example.com')
  const trail = screen.getByRole('list', { name: 'Audit trail' })
  expect(trail).toHaveTextContent('grace@example.com started it')
  expect(screen.getByRole('button', { name: 'Run again' })).toBeInTheDocument()
  expect(screen.queryByRole('button', { name: 'Delete' })).not.toBeInTheDocument()
})

test('a viewer sees neither Cancel nor Run again', async () => {
  serve({
    '/api/v1/runs/7': () => jsonResponse(200, run({ status: 'loading', summary: null, finished_at: null })),
    '/api/v1/runs/7/events': () => jsonResponse(200, { data: [], count: 0 }),
    '/api/v1/runs/7/metrics': () => jsonResponse(200, { data: [], count: 0 }),
  })
  renderPage(<RunDetailPage />, { path: '/runs/7', route: '/runs/:id', me: me({ role: 'viewer' }) })
  expect(await screen.findByText('loading', { selector: 'span' })).toBeInTheDocument()
  expect(screen.queryByRole('button', { name: 'Cancel run' })).not.toBeInTheDocument()
  expect(screen.queryByRole('button', { name: 'Run again' })).not.toBeInTheDocument()
})

test('a cluster run that lost a node: the reason up top, the per-node table, thresholds marked partial', async () => {
  serve({
    '/api/v1/runs/7': () => jsonResponse(200, run({ verdict: 'aborted', summary: clusterSummary })),
    '/api/v1/runs/7/flows': () => jsonResponse(404, { detail: 'no flows' }),
  })
  page()
  const notice = await screen.findByText('Partial results: node 2 (10.0.0.2) was lost at 4.2 s')
  expect(notice.closest('[role=status]')).toHaveTextContent(clusterSummary.reason)
  // before the numbers, so nobody reads them as the whole run
  expect(notice.compareDocumentPosition(screen.getByLabelText('Run totals')) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy()
  const nodes = screen.getAllByTestId('node-row')
  expect(nodes).toHaveLength(3)
  expect(nodes[1]).toHaveAttribute('data-lost', 'true')
  expect(nodes[1]).toHaveTextContent('lost at 4.2 s')
  expect(within(screen.getByRole('list', { name: 'Thresholds' })).getAllByText('partial data')).toHaveLength(2)
})

test('a run without nodes shows no per-node table and no partial marks', async () => {
  serve({
    '/api/v1/runs/7': () => jsonResponse(200, run({ summary: { ...summary, thresholds: [
      { expression: 'p95 < 500ms', passed: true, observed: 12.3, unit: 'ms', observed_text: '12.30 ms', partial: false },
    ] } })),
    '/api/v1/runs/7/flows': () => jsonResponse(404, { detail: 'no flows' }),
  })
  page()
  await screen.findByLabelText('Run totals')
  expect(screen.getByRole('list', { name: 'Thresholds' })).toBeInTheDocument()
  expect(screen.queryByText(/Per node/)).not.toBeInTheDocument()
  expect(screen.queryByTestId('node-row')).not.toBeInTheDocument()
  expect(screen.queryByText(/partial/i)).not.toBeInTheDocument()
})
