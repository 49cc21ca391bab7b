import { screen, waitFor } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterEach, expect, test, vi } from 'vitest'
import { jsonResponse, renderPage } from '../../test/render'
import { me } from '../../test/fixtures'
import { SignInPage } from './SignInPage'

afterEach(() => vi.unstubAllGlobals())

async function signIn(password: string) {
  await userEvent.type(screen.getByLabelText('Email'), 'ada@example.com')
  await userEvent.type(screen.getByLabelText('Password'), password)
  await userEvent.click(screen.getByRole('button', { name: 'Sign in' }))
}

const SSO_OFF = { enabled: false, name: '' }

/** The public answers every sign-in page asks for: set-up needed? single sign-on offered? */
function publicAnswer(req: Request, sso = SSO_OFF): Response | null {
  const path = new URL(req.url).pathname
  if (path === '/api/v1/auth/setup') return jsonResponse(200, { needed: false })
  if (path === '/api/v1/auth/oidc') return jsonResponse(200, sso)
  return null
}

test('a wrong password is said on the form; the right one goes back to `next`', async () => {
  vi.stubGlobal('fetch', vi.fn(async (req: Request) => {
    const known = publicAnswer(req)
    if (known) return known
    const body = await req.json() as { password: string }
    return body.password === 'right password'
      ? jsonResponse(200, me()) : jsonResponse(401, { detail: 'wrong email or password' })
  }))
  renderPage(<SignInPage />, { path: '/signin?next=%2Fruns%2F7', route: '/signin' })
  await signIn('nope')
  expect(await screen.findByRole('alert')).toHaveTextContent('Wrong email or password')
  await userEvent.clear(screen.getByLabelText('Password'))
  await signIn('right password')
  expect(await screen.findByText('run page')).toBeInTheDocument()
})

test('too many attempts says how long to wait', async () => {
  vi.stubGlobal('fetch', vi.fn(async (req: Request) => publicAnswer(req)
    ?? new Response(JSON.stringify({ detail: 'too many sign-in attempts: try again in 30 s' }),
      { status: 429, headers: { 'content-type': 'application/json', 'Retry-After': '30' } })))
  renderPage(<SignInPage />, { path: '/signin', route: '/signin' })
  await signIn('whatever it is')
  expect(await screen.findByRole('alert')).toHaveTextContent('Too many sign-in attempts: try again in 30 seconds.')
})

test('single sign-on, when offered, is a link to the server that keeps `next` on this site', async () => {
  const fetch = vi.fn(async (req: Request) => publicAnswer(req, { enabled: true, name: 'Keycloak' }) ?? jsonResponse(500, {}))
  vi.stubGlobal('fetch', fetch)
  renderPage(<SignInPage />, { path: '/signin?next=%2Fruns%2F7%3Ftab%3Dx', route: '/signin' })
  const link = await screen.findByRole('link', { name: 'Sign in with Keycloak' })
  expect(link).toHaveAttribute('href', '/api/v1/auth/oidc/login?next=%2Fruns%2F7%3Ftab%3Dx')
  // a plain navigation: following it is the browser's job, no request goes through fetch
  expect(fetch.mock.calls.map(([req]) => new URL(req.url).pathname)).not.toContain('/api/v1/auth/oidc/login')
  expect(screen.getByRole('button', { name: 'Sign in' })).toBeInTheDocument()
})

test('`next` pointing elsewhere sends single sign-on back home', async () => {
  vi.stubGlobal('fetch', vi.fn(async (req: Request) => publicAnswer(req, { enabled: true, name: 'Dex' })))
  renderPage(<SignInPage />, { path: `/signin?next=${encodeURIComponent('//evil.test/x')}`, route: '/signin' })
  expect(await screen.findByRole('link', { name: 'Sign in with Dex' })).toHaveAttribute('href', '/api/v1/auth/oidc/login?next=%2F')
})

test('no single sign-on button when the server offers none', async () => {
  const fetch = vi.fn(async (req: Request) => publicAnswer(req))
  vi.stubGlobal('fetch', fetch)
  renderPage(<SignInPage />, { path: '/signin', route: '/signin' })
  await waitFor(() => expect(fetch.mock.calls.map(([req]) => new URL(req.url).pathname)).toContain('/api/v1/auth/oidc'))
  expect(screen.queryByRole('link', { name: /Sign in with/ })).not.toBeInTheDocument()
})

test("a failed single sign-on's sentence is shown as text, never as markup", async () => {
  vi.stubGlobal('fetch', vi.fn(async (req: Request) => publicAnswer(req, { enabled: true, name: 'Keycloak' })))
  const error = 'the provider said <b>no</b> <img src=x onerror=alert(1)>'
  const { container } = renderPage(<SignInPage />, { path: `/signin?error=${encodeURIComponent(error)}`, route: '/signin' })
  const alert = await screen.findByRole('alert')
  expect(alert).toHaveTextContent('Could not sign in')
  expect(alert).toHaveTextContent('The provider said <b>no</b> <img src=x onerror=alert(1)>')
  expect(container.querySelector('b, img')).toBeNull()
})

test('a password attempt replaces the single sign-on error', async () => {
  vi.stubGlobal('fetch', vi.fn(async (req: Request) => publicAnswer(req) ?? jsonResponse(401, { detail: 'wrong email or password' })))
  renderPage(<SignInPage />, { path: '/signin?error=consent+was+denied', route: '/signin' })
  expect(await screen.findByRole('alert')).toHaveTextContent('Consent was denied')
  await signIn('nope')
  await waitFor(() => expect(screen.getByRole('alert')).toHaveTextContent('Wrong email or password'))
  expect(screen.getAllByRole('alert')).toHaveLength(1)
})
