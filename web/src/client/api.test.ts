import { afterEach, describe, expect, test, vi } from 'vitest'
import { api, sessionEnded, setCsrfToken, setSessionEndedHandler, toApiError, withCsrf } from './api'

test('a 400 keeps the server sentence as the message', () => {
  const err = toApiError(400, { detail: 'target http://x/ answered 404' })
  expect([err.status, err.message, err.fields]).toEqual([400, 'target http://x/ answered 404', {}])
})

test('422 items map onto top-level form fields, with or without loadscout\'s `field`', () => {
  const err = toApiError(422, { detail: [
    { field: 'users', reason: 'at most 500 users on this server', loc: ['body', 'users'], msg: 'x', type: 'limit' },
    { loc: ['body', 'duration_s'], msg: 'Input should be greater than 0', type: 'greater_than' },
    { loc: ['body'], msg: 'Value error, ramp_up_s cannot be longer than duration_s', type: 'value_error' },
  ] })
  expect(err.fields).toEqual({ users: 'at most 500 users on this server', duration_s: 'Input should be greater than 0' })
  expect(err.message).toBe('users: at most 500 users on this server; duration_s: Input should be greater than 0; '
    + 'ramp_up_s cannot be longer than duration_s')
})

test('an unexpected body still gives a readable message', () => {
  expect(toApiError(502, 'Bad Gateway').message).toBe('The server answered 502')
})

test('writes carry the CSRF token; reads, and calls without a token, do not', () => {
  const post = withCsrf(new Request('http://x/api/v1/runs', { method: 'POST' }), 'abc')
  const del = withCsrf(new Request('http://x/api/v1/runs/1', { method: 'DELETE' }), 'abc')
  const get = withCsrf(new Request('http://x/api/v1/runs'), 'abc')
  const anonymous = withCsrf(new Request('http://x/api/v1/auth/login', { method: 'POST' }), null)
  expect([post, del, get, anonymous].map((r) => r.headers.get('X-CSRF-Token'))).toEqual(['abc', 'abc', null, null])
})

test('a 401 ends the session, except the sign-in form\'s own wrong password', () => {
  const answer = (status: number) => new Response(null, { status })
  const at = (path: string) => new Request(`http://x${path}`, { method: 'POST' })
  expect(sessionEnded(at('/api/v1/runs'), answer(401))).toBe(true)
  expect(sessionEnded(at('/api/v1/auth/me'), answer(401))).toBe(true)
  expect(sessionEnded(at('/api/v1/auth/login'), answer(401))).toBe(false)
  expect(sessionEnded(at('/api/v1/auth/setup'), answer(401))).toBe(false)
  expect(sessionEnded(at('/api/v1/runs'), answer(403))).toBe(false)
})

describe('the client', () => {
  afterEach(() => {
    vi.unstubAllGlobals()
    setCsrfToken(null)
    setSessionEndedHandler(() => {})
  })

  test('sends the session\'s CSRF token on writes', async () => {
    const fetch = vi.fn(async (_req: Request) => new Response('{}', { status: 200, headers: { 'content-type': 'application/json' } }))
    vi.stubGlobal('fetch', fetch)
    setCsrfToken('tok-1')
    await api.POST('/api/v1/runs/{run_id}/cancel', { params: { path: { run_id: 3 } } })
    await api.GET('/api/v1/runs/{run_id}', { params: { path: { run_id: 3 } } })
    const [write, read] = fetch.mock.calls.map(([req]) => req)
    expect([write.headers.get('X-CSRF-Token'), read.headers.get('X-CSRF-Token')]).toEqual(['tok-1', null])
    expect(write.credentials).toBe('same-origin')
  })

  test('calls the session-ended handler on a 401, not on a wrong password', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => new Response('{"detail":"sign in"}', { status: 401 })))
    const ended = vi.fn()
    setSessionEndedHandler(ended)
    await api.POST('/api/v1/auth/login', { body: { email: 'a@b.c', password: 'wrong' } })
    expect(ended).not.toHaveBeenCalled()
    await api.GET('/api/v1/runs')
    expect(ended).toHaveBeenCalledOnce()
  })
})
