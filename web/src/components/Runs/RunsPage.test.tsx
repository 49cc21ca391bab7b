import { screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterEach, expect, test, vi } from 'vitest'
import { jsonResponse, renderPage } from '../../test/render'
import { me, run } from '../../test/fixtures'
import { RunsPage } from './RunsPage'

afterEach(() => vi.unstubAllGlobals())

test('filtering by status asks the API for that status and resets paging', async () => {
  const fetch = vi.fn(async (req: Request) => {
    const status = new URL(req.url).searchParams.get('status')
    return jsonResponse(200, status ? { data: [], count: 0 } : { data: [run()], count: 45 })
  })
  vi.stubGlobal('fetch', fetch)
  renderPage(<RunsPage />, { path: '/?page=1' })
  expect(await screen.findByText('Page 2 of 3')).toBeInTheDocument()
  expect(new URL(fetch.mock.calls[0][0].url).searchParams.get('offset')).toBe('20')

  await userEvent.selectOptions(screen.getByLabelText('Status'), 'failed')
  expect(await screen.findByText('No failed runs')).toBeInTheDocument()
  const last = new URL(fetch.mock.calls.at(-1)![0].url).searchParams
  expect([last.get('status'), last.get('offset')]).toEqual(['failed', '0'])
})

test('an unreachable API is reported, not shown as an empty list', async () => {
  vi.stubGlobal('fetch', vi.fn(async () => jsonResponse(500, { detail: 'database is locked' })))
  renderPage(<RunsPage />)
  expect(await screen.findByRole('alert')).toHaveTextContent('database is locked')
  expect(screen.queryByText('No runs yet')).not.toBeInTheDocument()
})

test('ticking two runs opens the comparison with the older one as baseline', async () => {
  vi.stubGlobal('fetch', vi.fn(async () => jsonResponse(200, { data: [run({ id: 12 }), run({ id: 9 }), run({ id: 5 })], count: 3 })))
  renderPage(<RunsPage />, { path: '/' })
  const compare = await screen.findByRole('button', { name: /Compare/ })
  expect(compare).toBeDisabled()
  // The table and the phone list both render in jsdom; use the first of each checkbox.
  await userEvent.click((await screen.findAllByLabelText('Select run #12 to compare'))[0])
  expect(compare).toHaveTextContent('Compare (1/2)')
  await userEvent.click(screen.getAllByLabelText('Select run #5 to compare')[0])
  await userEvent.click(screen.getAllByLabelText('Select run #9 to compare')[0]) // drops #12
  expect(screen.getAllByLabelText('Select run #12 to compare')[0]).not.toBeChecked()
  await userEvent.click(compare)
  expect(await screen.findByText('compare page a=5 b=9')).toBeInTheDocument()
})

test('a viewer is offered no New test button', async () => {
  vi.stubGlobal('fetch', vi.fn(async () => jsonResponse(200, { data: [], count: 0 })))
  renderPage(<RunsPage />, { me: me({ role: 'viewer' }) })
  expect(await screen.findByText('No runs yet')).toBeInTheDocument()
  expect(screen.queryByRole('link', { name: /New test|Start your first test/ })).not.toBeInTheDocument()
})
