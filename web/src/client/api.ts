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

export const api = createClient<paths>({
  // Same origin as the dashboard; absolute so it also works under jsdom in tests.
  baseUrl: typeof window === 'undefined' ? '' : window.location.origin,
  // Late-bound so tests can stub the global fetch.
  fetch: (request: Request) => globalThis.fetch(request),
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
