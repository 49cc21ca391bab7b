import { screen, waitFor } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterEach, expect, test, vi } from 'vitest'
import { jsonResponse, renderPage } from '../../test/render'
import { profileAnswer, run } from '../../test/fixtures'
import { NewRunPage } from './NewRunPage'

afterEach(() => vi.unstubAllGlobals())

const page = () => renderPage(<NewRunPage />, { path: '/runs/new', route: '/runs/new' })

/** The server: it reads the load profile; `runs` answers POST /runs. */
function server(runs: () => Response) {
  const fetch = vi.fn(async (req: Request) => new URL(req.url).pathname === '/api/v1/profiles/preview'
    ? jsonResponse(200, profileAnswer(await req.clone().json())) : runs())
  vi.stubGlobal('fetch', fetch)
  return fetch
}

const created = (fetch: ReturnType<typeof server>) =>
  fetch.mock.calls.map(([req]) => req).filter((req) => new URL(req.url).pathname === '/api/v1/runs')

test('what the server cannot read of the load profile is shown on its field and blocks the start', async () => {
  const fetch = server(() => jsonResponse(201, run({ status: 'queued' })))
  page()
  await userEvent.type(screen.getByLabelText('Application URL'), 'http://127.0.0.1:8001/')
  await userEvent.clear(screen.getByLabelText('Duration'))
  await userEvent.type(screen.getByLabelText('Duration'), 'soon')
  await userEvent.click(screen.getByRole('button', { name: 'Start test' }))
  expect(await screen.findByText('Enter the duration like 30s, 2m or 1h30m')).toBeInTheDocument()
  expect(screen.getByLabelText('Duration')).toHaveAttribute('aria-invalid', 'true')
  expect(created(fetch)).toEqual([])
})

test('client-side problems are shown next to their fields and nothing is sent', async () => {
  const fetch = server(() => jsonResponse(201, run({ status: 'queued' })))
  page()
  await userEvent.click(screen.getByRole('button', { name: 'Start test' }))
  expect(screen.getByText('Enter the URL of the app to test')).toBeInTheDocument()
  expect(screen.getByLabelText('Application URL')).toHaveAttribute('aria-invalid', 'true')
  expect(created(fetch)).toEqual([])
})

test("the API's 400 detail is shown and the page stays", async () => {
  server(() => jsonResponse(400, { detail: 'cannot reach http://127.0.0.1:9/: connection refused' }))
  page()
  await userEvent.type(screen.getByLabelText('Application URL'), 'http://127.0.0.1:9/')
  await userEvent.click(screen.getByRole('button', { name: 'Start test' }))
  expect(await screen.findByRole('alert')).toHaveTextContent('cannot reach http://127.0.0.1:9/: connection refused')
  expect(screen.queryByText('run page')).not.toBeInTheDocument()
})

test('422 validation errors land on the field they name', async () => {
  server(() => jsonResponse(422, {
    detail: [{ loc: ['body', 'users'], msg: 'Input should be less than or equal to 100000', type: 'less_than_equal' }],
  }))
  page()
  await userEvent.type(screen.getByLabelText('Application URL'), 'http://127.0.0.1:8001/')
  await userEvent.click(screen.getByRole('button', { name: 'Start test' }))
  const users = screen.getByLabelText('Virtual users')
  await waitFor(() => expect(users).toHaveAttribute('aria-invalid', 'true'))
  expect(screen.getAllByText(/less than or equal to 100000/).length).toBeGreaterThan(0)
})

test('a started run opens its page, sending the form as numbers', async () => {
  const fetch = server(() => jsonResponse(201, run({ status: 'queued' })))
  page()
  await userEvent.type(screen.getByLabelText('Application URL'), 'http://127.0.0.1:8001/')
  await userEvent.clear(screen.getByLabelText('Virtual users'))
  await userEvent.type(screen.getByLabelText('Virtual users'), '25')
  await screen.findByRole('figure', { name: 'Planned users: peak 25 over 60 s' })  // read by the server
  await userEvent.click(screen.getByRole('button', { name: 'Start test' }))
  expect(await screen.findByText('run page')).toBeInTheDocument()
  const request = created(fetch)[0]
  expect(request.method).toBe('POST')
  expect(new URL(request.url).pathname).toBe('/api/v1/runs')
  expect(await request.json()).toMatchObject({ target_url: 'http://127.0.0.1:8001/', users: 25, duration_s: 60, scope: null })
})
