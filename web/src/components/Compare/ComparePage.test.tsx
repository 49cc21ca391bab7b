import { screen, within } from '@testing-library/react'
import { afterEach, expect, test, vi } from 'vitest'
import { jsonResponse, renderPage } from '../../test/render'
import { run, step, summary } from '../../test/fixtures'
import { ComparePage } from './ComparePage'

afterEach(() => vi.unstubAllGlobals())

function serve(routes: Record<string, () => Response>) {
  vi.stubGlobal('fetch', vi.fn(async (req: Request) => {
    const path = new URL(req.url).pathname
    return (routes[path] ?? (() => jsonResponse(404, { detail: `no ${path}` })))()
  }))
}

const page = (query: string) => renderPage(<ComparePage />, { path: `/compare${query}`, route: '/compare' })

const faster = {
  ...summary, run_id: '8',
  totals: { ...summary.totals, rps: 50, error_rate: 0, errors: 0, latency_ms: { ...summary.totals.latency_ms, p95: 8 } },
  steps: [step('/cart', 60, 9), step('/', 90, 7)],
}

test('two finished runs show totals and matched steps with coloured deltas', async () => {
  serve({
    '/api/v1/runs/7': () => jsonResponse(200, run({ summary })),
    '/api/v1/runs/8': () => jsonResponse(200, run({ id: 8, summary: faster })),
  })
  page('?a=7&b=8')
  expect(await screen.findByRole('heading', { name: 'Compare #7 → #8' })).toBeInTheDocument()
  const totals = screen.getByRole('region', { name: 'Totals compared' })
  const rps = within(totals).getByText('Requests/s').closest('tr')!
  expect(rps).toHaveTextContent('35.6/s')
  expect(rps).toHaveTextContent('50/s')
  expect(rps.querySelector('[data-verdict]')).toHaveAttribute('data-verdict', 'better')
  expect(within(rps).getByText('(better)', { exact: false })).toBeInTheDocument()
  const p95 = within(totals).getByText('p95 latency').closest('tr')!
  expect(p95.querySelector('[data-verdict]')).toHaveAttribute('data-verdict', 'better')
  const errors = within(totals).getByText('Error rate').closest('tr')!
  expect(errors).toHaveTextContent('−2.10 pts')

  const steps = screen.getByRole('region', { name: 'Steps compared' })
  const cart = steps.querySelector('[data-step="/cart"]')!
  expect(cart).toHaveTextContent('15 ms → 9 ms')
  expect(cart.querySelectorAll('[data-verdict="better"]').length).toBeGreaterThanOrEqual(2) // p95 and req/s
  const search = steps.querySelector('[data-step="/search"]')!
  expect(search).toHaveTextContent('only in #7')
  expect(screen.getByRole('link', { name: 'Swap' })).toHaveAttribute('href', '/compare?a=8&b=7')
  const charts = screen.getByTestId('compare-charts')
  expect(within(charts).getByRole('figure', { name: 'Requests per second, both runs' })).toHaveAttribute('data-points', '4')
  expect(within(charts).getByRole('figure', { name: 'p95 latency, both runs' })).toBeInTheDocument()
})

test('a step with a handful of samples is shown but not judged', async () => {
  const few = { ...faster, steps: [step('/cart', 5, 90), step('/', 90, 7)] }
  const base = { ...summary, steps: [step('/cart', 4, 15), step('/', 90, 7)] }
  serve({
    '/api/v1/runs/7': () => jsonResponse(200, run({ summary: base })),
    '/api/v1/runs/8': () => jsonResponse(200, run({ id: 8, summary: few })),
  })
  page('?a=7&b=8')
  const steps = await screen.findByRole('region', { name: 'Steps compared' })
  const cart = steps.querySelector('[data-step="/cart"]')!
  expect(cart).toHaveTextContent('15 ms → 90 ms')
  expect(cart.querySelector('[data-verdict="worse"]')).toBeNull()
  expect(within(cart as HTMLElement).getAllByText('(too few samples to judge)', { exact: false }).length).toBeGreaterThan(0)
})

test('a run without a summary is explained and its side shows dashes', async () => {
  serve({
    '/api/v1/runs/7': () => jsonResponse(200, run({ summary })),
    '/api/v1/runs/9': () => jsonResponse(200, run({ id: 9, status: 'failed', reason: 'target down', summary: null })),
  })
  page('?a=7&b=9')
  expect(await screen.findByText('Run #9 has no results')).toBeInTheDocument()
  const totals = screen.getByRole('region', { name: 'Totals compared' })
  expect(totals.querySelectorAll('[data-verdict="na"]')).toHaveLength(5)
  const rows = screen.getByRole('region', { name: 'Steps compared' }).querySelectorAll('[data-step]')
  expect(Array.from(rows).map((r) => r.textContent?.includes('only in #7'))).toEqual(summary.steps.map(() => true))
})

test('missing or unknown runs are reported', async () => {
  serve({ '/api/v1/runs/7': () => jsonResponse(200, run({ summary })) })
  page('?a=7')
  expect(await screen.findByText('Pick two runs to compare')).toBeInTheDocument()
})

test('an unknown run id says so', async () => {
  serve({ '/api/v1/runs/7': () => jsonResponse(200, run({ summary })) })
  page('?a=7&b=404')
  expect(await screen.findByText('Run 404 does not exist')).toBeInTheDocument()
})

test('the phone list shows each "a → b" pair whole (no clipped column)', async () => {
  serve({
    '/api/v1/runs/7': () => jsonResponse(200, run({ summary })),
    '/api/v1/runs/8': () => jsonResponse(200, run({ id: 8, summary: faster })),
  })
  page('?a=7&b=8')
  const list = await screen.findByRole('list', { name: 'Steps compared, list' })
  const pairs = within(list).getAllByTestId('pair')
  expect(pairs.length).toBeGreaterThan(0)
  for (const pair of pairs) expect(pair).not.toHaveClass('truncate')
  expect(pairs[0].querySelectorAll('.whitespace-nowrap')).toHaveLength(2) // wraps only at the arrow
})
