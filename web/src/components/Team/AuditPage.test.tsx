import { screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterEach, expect, test, vi } from 'vitest'
import { jsonResponse, renderPage } from '../../test/render'
import { me } from '../../test/fixtures'
import { AuditPage } from './AuditPage'

afterEach(() => vi.unstubAllGlobals())

const entry = (action: string, id: number) => ({
  id, at: '2026-12-06T10:00:00Z', team_id: 1, actor: 'ada@example.com', action, run_id: null,
  host: '', details: {}, ip: '127.0.0.1',
})

function serve() {
  const fetch = vi.fn(async (req: Request) => {
    const wide = new URL(req.url).searchParams.get('instance') === 'true'
    const data = wide ? [entry('auth.signin_failed', 2), entry('token.create', 1)] : [entry('token.create', 1)]
    return jsonResponse(200, { data, count: data.length })
  })
  vi.stubGlobal('fetch', fetch)
  return fetch
}

test('an instance admin widens the log to the whole instance', async () => {
  const fetch = serve()
  renderPage(<AuditPage />, { me: me({ is_instance_admin: true }) })
  expect(await screen.findByText('token.create')).toBeInTheDocument()
  expect(screen.queryByText('auth.signin_failed')).not.toBeInTheDocument()
  await userEvent.click(screen.getByRole('checkbox', { name: 'Whole instance' }))
  expect(await screen.findByText('auth.signin_failed')).toBeInTheDocument()
  const asked = fetch.mock.calls.map(([req]) => new URL((req as Request).url).search)
  expect(asked.at(-1)).toContain('instance=true')
})

test('a team admin sees the team log only, with no way to widen it', async () => {
  serve()
  renderPage(<AuditPage />, { me: me({ is_instance_admin: false }) })
  expect(await screen.findByText('token.create')).toBeInTheDocument()
  expect(screen.queryByRole('checkbox', { name: 'Whole instance' })).not.toBeInTheDocument()
})
