/** Pure helpers for signing in and the first set-up: where to go back to, the link's token, passwords. */

export const MIN_PASSWORD = 10

/** /signin with the page to come back to, unless the person already is on a sign-in page. */
export function signInPath(location: { pathname: string; search?: string; hash?: string }): string | null {
  if (location.pathname === '/signin' || location.pathname === '/setup') return null
  const here = `${location.pathname}${location.search ?? ''}${location.hash ?? ''}`
  return here === '/' ? '/signin' : `/signin?next=${encodeURIComponent(here)}`
}

/** The `next` page after signing in: a path on this site only (never `//host` or `https://…`). */
export function safeNext(next: string | null | undefined): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/'
  if (next.startsWith('/signin') || next.startsWith('/setup')) return '/'
  return next
}

/** The one-time set-up token from the link's fragment (`#token=…`), which no server ever sees. */
export function setupToken(hash: string): string | null {
  const token = new URLSearchParams(hash.replace(/^#/, '')).get('token')
  return token && token.trim() ? token.trim() : null
}

export interface PasswordErrors { email?: string; password?: string; confirm?: string }

/** The set-up form's own checks, before the server's. */
export function checkNewAccount(email: string, password: string, confirm: string): PasswordErrors {
  const errors: PasswordErrors = {}
  if (!/^[^@\s]+@[^@\s]+$/.test(email.trim())) errors.email = 'Enter an email address like ada@example.com'
  if (password.length < MIN_PASSWORD) errors.password = `Use at least ${MIN_PASSWORD} characters`
  if (confirm !== password) errors.confirm = 'The two passwords differ'
  return errors
}

/** "try again in 42 s" from a 429's Retry-After, for the sign-in form. */
export function tooManyAttempts(retryAfter: string | null): string {
  const seconds = Number(retryAfter)
  if (!retryAfter || !Number.isFinite(seconds) || seconds <= 0) return 'Too many sign-in attempts: wait a minute and try again.'
  const wait = seconds >= 90 ? `${Math.ceil(seconds / 60)} minutes` : `${Math.ceil(seconds)} seconds`
  return `Too many sign-in attempts: try again in ${wait}.`
}
