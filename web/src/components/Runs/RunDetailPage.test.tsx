import { screen, within } from '@testing-library/react'
import { afterEach, expect, test, vi } from 'vitest'
import { jsonResponse, renderPage } from '../../test/render'
import { run, summary } from '../../test/fixtures'
import { RunDetailPage } from './RunDetailPage'

afterEach(() => vi.unstubAllGlobals())

function serve(routes: Record<string, () => Response>) {
  vi.stubGlobal('fetch', vi.fn(async (req: Request) => {
    const path = new URL(req.url).pathname
    return (routes[path] ?? (() => jsonResponse(404, { detail: `no ${path}` })))()
  }))
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
  expect(screen.getByText('GET /search -> 500 Internal Server Error')).toBeInTheDocument()
  expect(screen.getByRole('link', { name: 'Download JSON' })).toHaveAttribute('href', '/api/v1/runs/7/result')
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
