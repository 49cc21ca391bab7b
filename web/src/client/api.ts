/** The typed REST client: paths and bodies come from the generated schema (npm run gen:api). */
import createClient from 'openapi-fetch'
import type { components, paths } from './schema'

export type Schemas = components['schemas']

/**
 * Response fields with server-side defaults (pydantic `default_factory`) are optional in the
 * spec but always present in responses; this makes them required for readers.
 */
export type Filled<T> = T extends (infer U)[] ? Filled<U>[]
  : T extends object ? { [K in keyof T]-?: Filled<T[K]> } : T

export type RunCreate = Schemas['RunCreate']
export type RunPublic = Filled<Schemas['RunPublic']>
export type RunDetail = Filled<Schemas['RunDetail']>
export type RunSummary = Filled<Schemas['RunSummary']>
export type LivePublic = Filled<Schemas['LivePublic']>
export type StepSummary = Filled<Schemas['StepSummary']>
export type EndpointSummary = Filled<Schemas['EndpointSummary']>
export type TimePoint = Filled<Schemas['TimePoint']>
export type FlowSet = Filled<Schemas['FlowSet']>
export type RunStatus = Schemas['RunStatus']
export type Verdict = Schemas['Verdict']
export type EventPublic = Schemas['EventPublic']
export type MetricPoint = Schemas['MetricPoint']
export type ShapePreview = Schemas['ShapePreview']
export type ThresholdCheck = Schemas['ThresholdCheck']
export type ProfileText = Schemas['ProfileText']
export type ProfilePreview = Schemas['ProfilePreview']
export type ProfileFields = Schemas['ProfileFields']
export type Me = Filled<Schemas['Me']>
export type Role = Schemas['Role']
export type TeamPublic = Filled<Schemas['TeamPublic']>
export type Quotas = Schemas['Quotas']
export type MemberRecord = Schemas['MemberRecord']
export type TokenRecord = Schemas['TokenRecord']
export type TokenCreate = Schemas['TokenCreate']
export type TokenCreated = Schemas['TokenCreated']
export type AuditRecord = Schemas['AuditRecord']
export type AuditEntry = Schemas['AuditEntry']
export type UserPublic = Schemas['UserPublic']
export type TargetPublic = Schemas['TargetPublic']

export const api = createClient<paths>({
  // Same origin as the dashboard; absolute so it also works under jsdom in tests.
  baseUrl: typeof window === 'undefined' ? '' : window.location.origin,
  // The session cookie rides along (same origin); late-bound so tests can stub the global fetch.
  credentials: 'same-origin',
  fetch: (request: Request) => globalThis.fetch(request),
})

/**
 * The session's CSRF token (from GET /auth/me, or a sign-in answer): cookie-authenticated writes
 * must echo it in X-CSRF-Token, which a page on another site cannot read or send.
 */
let csrfToken: string | null = null
export const setCsrfToken = (token: string | null | undefined) => { csrfToken = token ?? null }

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])
export const CSRF_HEADER = 'X-CSRF-Token'

/** The request with the CSRF header added when it is a write and a token is known. */
export function withCsrf(request: Request, token: string | null): Request {
  if (token && WRITES.has(request.method.toUpperCase()) && !request.headers.has(CSRF_HEADER)) {
    request.headers.set(CSRF_HEADER, token)
  }
  return request
}

/** Sign-in and set-up answer 401 for a wrong password: that is the form's error, not a lost session. */
const OWN_401 = ['/api/v1/auth/login', '/api/v1/auth/setup']

/** A 401 from anything else means the session ended (or never began): time to sign in. */
export function sessionEnded(request: Request, response: Response): boolean {
  return response.status === 401 && !OWN_401.includes(new URL(request.url).pathname)
}

let onSessionEnded: () => void = () => {}
/** What to do when the session ends (the app sends the person to /signin). */
export const setSessionEndedHandler = (handler: () => void) => { onSessionEnded = handler }

api.use({
  onRequest: ({ request }) => withCsrf(request, csrfToken),
  onResponse: ({ request, response }) => {
    if (sessionEnded(request, response)) onSessionEnded()
    return response
  },
})

/** A failed API call, with the message a person can act on (FastAPI `detail`). */
export class ApiError extends Error {
  readonly status: number
  readonly fields: Record<string, string>

  constructor(status: number, message: string, fields: Record<string, string> = {}) {
    super(message)
    this.status = status
    this.fields = fields
  }
}

interface ValidationItem {
  field?: string
  reason?: string
  loc?: (string | number)[]
  msg?: string
}

const WHERE = new Set(['body', 'query', 'path', 'header', 'cookie'])

/** Turn a FastAPI error body (400 `{detail: str}` or 422 `{detail: [{loc, msg}]}`) into an ApiError. */
export function toApiError(status: number, body: unknown): ApiError {
  const detail = (body as { detail?: unknown } | null)?.detail
  if (typeof detail === 'string') return new ApiError(status, detail)
  if (Array.isArray(detail)) {
    const fields: Record<string, string> = {}
    const messages: string[] = []
    for (const item of detail as ValidationItem[]) {
      // loadscout adds `field` ("users", "flowset.flows.0.name"); plain FastAPI only has `loc`.
      const path = item.field ?? (item.loc ?? []).filter((p) => !WHERE.has(String(p))).join('.')
      const msg = (item.reason ?? item.msg ?? 'invalid value').replace(/^Value error, /, '')
      const field = path.split('.')[0] ?? ''
      if (field && !fields[field]) fields[field] = msg
      messages.push(field ? `${field}: ${msg}` : msg)
    }
    return new ApiError(status, messages.join('; ') || 'The request was rejected', fields)
  }
  return new ApiError(status, `The server answered ${status}`)
}

/** Unwrap an openapi-fetch result: the data, or throw an ApiError. */
export function unwrap<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.error !== undefined || !result.response.ok) {
    throw toApiError(result.response.status, result.error)
  }
  return result.data as T
}
