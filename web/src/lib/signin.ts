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

/**
 * Where the "Sign in with …" button goes: a full-page navigation to the server, which sends the
 * browser to the provider and, once signed in, back to `next` (checked again on the server).
 */
export function ssoLoginUrl(next: string | null | undefined): string {
  return `/api/v1/auth/oidc/login?next=${encodeURIComponent(safeNext(next))}`
}

const MAX_ERROR = 300

/**
 * The sentence a failed single sign-on came back with (`/signin?error=…`), tidied for display:
 * one line, capitalised, at most 300 characters. Shown as text, so markup stays visible markup.
 */
export function ssoError(error: string | null | undefined): string | null {
  const text = (error ?? '').replace(/\s+/g, ' ').trim()
  if (!text) return null
  const short = text.length > MAX_ERROR ? `${text.slice(0, MAX_ERROR - 1)}…` : text
  return short.charAt(0).toUpperCase() + short.slice(1)
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
