import { screen } from '@testing-library/react'
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

test('a wrong password is said on the form; the right one goes back to `next`', async () => {
  vi.stubGlobal('fetch', vi.fn(async (req: Request) => {
    if (new URL(req.url).pathname === '/api/v1/auth/setup') return jsonResponse(200, { needed: false })
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
  vi.stubGlobal('fetch', vi.fn(async (req: Request) => new URL(req.url).pathname === '/api/v1/auth/setup'
    ? jsonResponse(200, { needed: false })
    : new Response(JSON.stringify({ detail: 'too many sign-in attempts: try again in 30 s' }),
      { status: 429, headers: { 'content-type': 'application/json', 'Retry-After': '30' } })))
  renderPage(<SignInPage />, { path: '/signin', route: '/signin' })
  await signIn('whatever it is')
  expect(await screen.findByRole('alert')).toHaveTextContent('Too many sign-in attempts: try again in 30 seconds.')
})
