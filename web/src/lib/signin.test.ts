import { expect, test } from 'vitest'
import { checkNewAccount, safeNext, setupToken, signInPath, ssoError, ssoLoginUrl, tooManyAttempts } from './signin'

test('the sign-in page remembers where the person was', () => {
  expect(signInPath({ pathname: '/runs/7', search: '?tab=x' })).toBe('/signin?next=%2Fruns%2F7%3Ftab%3Dx')
  expect(signInPath({ pathname: '/' })).toBe('/signin')
  expect(signInPath({ pathname: '/signin', search: '?next=%2F' })).toBeNull()
  expect(signInPath({ pathname: '/setup' })).toBeNull()
})

test('`next` stays on this site', () => {
  expect(safeNext('/runs/7?tab=x')).toBe('/runs/7?tab=x')
  for (const bad of [null, '', 'https://evil.test/', '//evil.test/x', '/\\evil.test', 'javascript:alert(1)', '/signin?next=/']) {
    expect(safeNext(bad)).toBe('/')
  }
})

test('the set-up token comes from the fragment', () => {
  expect(setupToken('#token=abc-123')).toBe('abc-123')
  expect(setupToken('#other=1&token=xyz')).toBe('xyz')
  expect(setupToken('')).toBeNull()
  expect(setupToken('#token=')).toBeNull()
})

test('a new account needs an email and the same password twice, 10 characters or more', () => {
  expect(checkNewAccount('ada@example.com', 'long enough!', 'long enough!')).toEqual({})
  expect(checkNewAccount('ada', 'short', 'shorter')).toEqual({
    email: 'Enter an email address like ada@example.com',
    password: 'Use at least 10 characters',
    confirm: 'The two passwords differ',
  })
})

test('too many attempts says how long to wait', () => {
  expect(tooManyAttempts('42')).toBe('Too many sign-in attempts: try again in 42 seconds.')
  expect(tooManyAttempts('600')).toBe('Too many sign-in attempts: try again in 10 minutes.')
  expect(tooManyAttempts(null)).toBe('Too many sign-in attempts: wait a minute and try again.')
})

test('single sign-on goes back to `next` only when it is a path on this site', () => {
  expect(ssoLoginUrl('/runs/7?tab=x')).toBe('/api/v1/auth/oidc/login?next=%2Fruns%2F7%3Ftab%3Dx')
  expect(ssoLoginUrl(null)).toBe('/api/v1/auth/oidc/login?next=%2F')
  for (const bad of ['https://evil.test/', '//evil.test/x', '/\\evil.test', '/signin?next=/']) {
    expect(ssoLoginUrl(bad)).toBe('/api/v1/auth/oidc/login?next=%2F')
  }
})

test('a failed single sign-on says its sentence, tidied', () => {
  expect(ssoError('your email address is not verified at the provider')).toBe('Your email address is not verified at the provider')
  expect(ssoError('  two\n lines ')).toBe('Two lines')
  expect(ssoError('')).toBeNull()
  expect(ssoError(null)).toBeNull()
  expect(ssoError('x'.repeat(1000))).toHaveLength(300)
})
