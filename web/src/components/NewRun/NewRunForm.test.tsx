import { act, screen, waitFor } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterEach, expect, test, vi } from 'vitest'
import { jsonResponse, renderPage } from '../../test/render'
import { profileAnswer, run } from '../../test/fixtures'
import { NewRunPage } from '../Runs/NewRunPage'

afterEach(() => vi.unstubAllGlobals())
// These walk the whole form by keyboard and mouse; give them room when the suite runs in parallel.
vi.setConfig({ testTimeout: 20_000 })

/** The server's threshold check, faked: a row with a space in it is unreadable. */
const thresholdAnswer = (expressions: string[]) => {
  const data = expressions.map((expression) => expression.trim().includes(' ')
    ? { expression, ok: false, error: `cannot read threshold '${expression}'; write it like p95<500ms` }
    : { expression, ok: true, error: null })
  return jsonResponse(200, { data, count: data.length })
}

const path = (req: Request) => new URL(req.url).pathname

function setup(answer = () => jsonResponse(201, run({ status: 'queued' }))) {
  const fetch = vi.fn(async (req: Request) =>
    path(req) === '/api/v1/thresholds/check' ? thresholdAnswer((await req.clone().json()).expressions)
      : path(req) === '/api/v1/profiles/preview' ? jsonResponse(200, profileAnswer(await req.clone().json()))
        : answer())
  vi.stubGlobal('fetch', fetch)
  renderPage(<NewRunPage />, { path: '/runs/new', route: '/runs/new' })
  return fetch
}

/** Wait until the server has answered for exactly these rows (the form checks them debounced). */
async function checked(fetch: ReturnType<typeof setup>, rows: string[]) {
  await waitFor(async () => {
    const checks = fetch.mock.calls.map(([req]) => req).filter((req) => path(req) === '/api/v1/thresholds/check')
    expect(await checks.at(-1)?.clone().json()).toEqual({ expressions: rows })
  })
  await act(() => new Promise((resolve) => setTimeout(resolve, 50)))
}

const creates = (fetch: ReturnType<typeof setup>) => fetch.mock.calls.map(([req]) => req).filter((req) => path(req) === '/api/v1/runs')

async function start(fetch: ReturnType<typeof setup>) {
  await userEvent.click(screen.getByRole('button', { name: 'Start test' }))
  expect(await screen.findByText('run page')).toBeInTheDocument()
  return creates(fetch)[0].json()
}

const url = () => userEvent.type(screen.getByLabelText('Application URL'), 'http://127.0.0.1:8001/')

test('ramping stages: rows can be added and removed, the preview follows, and the stages are sent as text', async () => {
  const fetch = setup()
  await url()
  await userEvent.click(screen.getByRole('radio', { name: /Ramping stages/ }))
  expect(screen.queryByLabelText('Ramp-up')).not.toBeInTheDocument()
  await userEvent.click(screen.getByRole('button', { name: 'Add stage' }))
  await userEvent.clear(screen.getByLabelText('Stage 4 target users'))
  await userEvent.type(screen.getByLabelText('Stage 4 target users'), '40')
  await userEvent.click(screen.getByRole('button', { name: 'Remove stage 3' }))
  expect(await screen.findByRole('figure', { name: 'Planned users: peak 40 over 120 s' })).toHaveAttribute('data-points', '4')
  expect(await start(fetch)).toMatchObject({ stages: '30s:10,60s:10,30s:40', users: 40, duration_s: 120, ramp_up_s: 0 })
})

test('arrival rate: the preview shows the rate and the open-model fields are sent', async () => {
  const fetch = setup()
  await url()
  await userEvent.click(screen.getByRole('radio', { name: /Arrival rate/ }))
  await userEvent.clear(screen.getByLabelText(/^Rate/))
  await userEvent.type(screen.getByLabelText(/^Rate/), '20')
  await userEvent.clear(screen.getByLabelText('Max users'))
  await userEvent.type(screen.getByLabelText('Max users'), '100')
  expect(await screen.findByRole('figure', { name: 'Planned arrival rate: peak 20 over 60 s' })).toBeInTheDocument()
  const body = await start(fetch)
  expect(body).toMatchObject({ arrival_rate: '20', max_users: 100, users: 100, duration_s: 60 })
  expect(body).not.toHaveProperty('stages')
})

test('a bad threshold is marked inline with the server\'s reason and blocks the start; a fixed one is sent with abort on fail', async () => {
  const fetch = setup()
  await url()
  await userEvent.click(screen.getByRole('button', { name: 'Add threshold' }))
  await userEvent.type(screen.getByLabelText('Threshold 1'), 'p95 under 1s')
  await userEvent.tab()
  await waitFor(() => expect(screen.getByLabelText('Threshold 1')).toHaveAttribute('aria-invalid', 'true'))
  expect(screen.getByText("cannot read threshold 'p95 under 1s'; write it like p95<500ms")).toBeInTheDocument()
  await userEvent.click(screen.getByRole('button', { name: 'Start test' }))
  expect(creates(fetch)).toEqual([])
  await userEvent.clear(screen.getByLabelText('Threshold 1'))
  await userEvent.type(screen.getByLabelText('Threshold 1'), 'p95<500ms')
  await userEvent.click(screen.getByRole('button', { name: 'Add threshold' }))
  await userEvent.type(screen.getByLabelText('Threshold 2'), 'error_rate<1%')
  await userEvent.click(screen.getByRole('checkbox', { name: /Abort on fail/ }))
  await checked(fetch, ['p95<500ms', 'error_rate<1%'])
  expect(await start(fetch)).toMatchObject({ thresholds: ['p95<500ms', 'error_rate<1%'], abort_on_fail: true })
})

test('the server reads the thresholds, so its whole grammar is accepted (p75, p99.9, requests, minutes)', async () => {
  const fetch = setup()
  await url()
  const rows = ['p75<200ms', 'p99.9<1s', 'requests>10', 'p95<2m']
  for (const [i, row] of rows.entries()) {
    await userEvent.click(screen.getByRole('button', { name: 'Add threshold' }))
    await userEvent.type(screen.getByLabelText(`Threshold ${i + 1}`), row)
  }
  await checked(fetch, rows)
  expect(await start(fetch)).toMatchObject({ thresholds: rows })
  const checks = fetch.mock.calls.map(([req]) => req).filter((req) => path(req) === '/api/v1/thresholds/check')
  expect(await checks.at(-1)!.json()).toEqual({ expressions: rows })
  expect(checks.length).toBeLessThan(rows.join('').length) // debounced: not one request per key
})

test('login fields in the discovery options are sent', async () => {
  const fetch = setup()
  await url()
  await userEvent.click(screen.getByText('Discovery options'))
  expect(screen.getByLabelText('Password')).toHaveAttribute('type', 'password')
  await userEvent.type(screen.getByLabelText('Login URL'), 'http://127.0.0.1:8001/login')
  await userEvent.type(screen.getByLabelText('Username'), 'ann')
  await userEvent.type(screen.getByLabelText('Password'), 's3cret')
  expect(await start(fetch)).toMatchObject({ login_url: 'http://127.0.0.1:8001/login', username: 'ann', password: 's3cret' })
})

test("the API's 422 on a new field lands on it", async () => {
  setup(() => jsonResponse(422, { detail: [
    { field: 'max_users', reason: 'Input should be less than or equal to 100000', loc: ['body', 'max_users'], msg: 'x', type: 'le' },
  ] }))
  await url()
  await userEvent.click(screen.getByRole('radio', { name: /Arrival rate/ }))
  await screen.findByRole('figure', { name: /^Planned arrival rate/ })  // the server has read the profile
  await userEvent.click(screen.getByRole('button', { name: 'Start test' }))
  await waitFor(() => expect(screen.getByLabelText('Max users')).toHaveAttribute('aria-invalid', 'true'))
})

const preview = {
  shape: { kind: 'stages', stages: [{ duration_s: 30, target: 10 }, { duration_s: 60, target: 20 }] },
  kind: 'stages', unit: 'users', duration_s: 90, peak: 20, users: 20,
  points: [{ t: 0, value: 0 }, { t: 30, value: 10 }, { t: 90, value: 20 }],
}

function setupShape(shapeAnswer: (text: string) => Response) {
  const fetch = vi.fn(async (req: Request) => {
    const path = new URL(req.url).pathname
    if (path === '/api/v1/shapes/preview') return shapeAnswer((await req.clone().json()).text)
    return jsonResponse(201, run({ status: 'queued' }))
  })
  vi.stubGlobal('fetch', fetch)
  renderPage(<NewRunPage />, { path: '/runs/new', route: '/runs/new' })
  return fetch
}

test('custom shape: the server reads the pasted text, the preview draws it, and its profile is sent', async () => {
  const texts: string[] = []
  const fetch = setupShape((text) => { texts.push(text); return jsonResponse(200, preview) })
  await url()
  await userEvent.click(screen.getByRole('radio', { name: /Custom shape/ }))
  await userEvent.click(screen.getByLabelText('Shape'))
  await userEvent.paste('duration,users\n30s,10\n1m,20')
  expect(await screen.findByRole('figure', { name: 'Planned users: custom stages shape, peak 20 over 90 s' }))
    .toHaveAttribute('data-points', '3')
  expect(texts).toEqual(['duration,users\n30s,10\n1m,20'])
  await userEvent.click(screen.getByRole('button', { name: 'Start test' }))
  await screen.findByText('run page')
  const created = fetch.mock.calls.map(([req]) => req).find((req) => new URL(req.url).pathname === '/api/v1/runs')
  expect(await created!.json()).toMatchObject({ shape: preview.shape, users: 20, duration_s: 90 })
})

test('custom shape: a file can be loaded, and what the server cannot read is shown inline', async () => {
  setupShape(() => jsonResponse(422, { detail: [{ field: 'text', reason: "cannot read duration 'soon'; use forms like 30s", loc: ['body', 'text'], msg: '', type: 'shape' }] }))
  await url()
  await userEvent.click(screen.getByRole('radio', { name: /Custom shape/ }))
  const file = new File(['duration,users\nsoon,3\n'], 'shape.csv', { type: 'text/csv' })
  await userEvent.upload(screen.getByLabelText('Load a shape file'), file)
  await waitFor(() => expect(screen.getByLabelText('Shape')).toHaveValue('duration,users\nsoon,3\n'))
  expect(await screen.findByText("cannot read duration 'soon'; use forms like 30s")).toBeInTheDocument()
  expect(screen.getByLabelText('Shape')).toHaveAttribute('aria-invalid', 'true')
  await userEvent.click(screen.getByRole('button', { name: 'Start test' }))
  expect(screen.getByText('Fix one field to start')).toBeInTheDocument()
})
