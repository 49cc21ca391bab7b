/** The new-test form's values, their client-side checks, and the request they become. */
import type { ProfileFields, RunCreate, ShapePreview } from '../client/api'
import { RUN_DEFAULTS } from '../client/defaults'
import { DEFAULT_STAGES } from './loadProfile'
import type { ProfileKind, StageRow } from './loadProfile'

export interface RunFormValues {
  target_url: string
  users: string
  duration_s: string
  ramp_up_s: string
  think_time_min_s: string
  think_time_max_s: string
  max_pages: string
  max_depth: string
  max_discovery_s: string
  allow_writes: boolean
  scope: string
  profile: ProfileKind
  stages: StageRow[]
  arrival_rate: string
  max_users: string
  /** A custom shape's CSV or YAML text; the server reads it (POST /shapes/preview). */
  shape_text: string
  thresholds: string[]
  abort_on_fail: boolean
  login_url: string
  username: string
  password: string
}

export type FormErrors = Partial<Record<keyof RunFormValues, string>>

/** The fields typed into a plain text/number input. */
export type TextKey = { [K in keyof RunFormValues]: RunFormValues[K] extends string ? K : never }[keyof RunFormValues]

export const DEFAULT_FORM: RunFormValues = {
  target_url: '',
  users: '10',
  // one default per option, the server's (client/defaults.ts is generated from its schema)
  duration_s: String(RUN_DEFAULTS.duration_s),
  ramp_up_s: String(RUN_DEFAULTS.ramp_up_s),
  think_time_min_s: String(RUN_DEFAULTS.think_time_min_s),
  think_time_max_s: String(RUN_DEFAULTS.think_time_max_s),
  max_pages: String(RUN_DEFAULTS.max_pages),
  max_depth: String(RUN_DEFAULTS.max_depth),
  max_discovery_s: String(RUN_DEFAULTS.max_discovery_s),
  allow_writes: false,
  scope: '',
  profile: 'constant',
  stages: DEFAULT_STAGES,
  arrival_rate: '5',
  max_users: '50',
  shape_text: '',
  thresholds: [],
  abort_on_fail: false,
  login_url: '',
  username: '',
  password: '',
}

function num(value: string): number {
  return value.trim() === '' ? Number.NaN : Number(value)
}

function checkNumber(errors: FormErrors, key: keyof RunFormValues, value: string,
  { min, max, integer, label, inclusiveMin = true }:
  { min: number; max: number; integer?: boolean; label: string; inclusiveMin?: boolean }): void {
  const n = num(value)
  if (!Number.isFinite(n)) errors[key] = `Enter ${label} as a number`
  else if (integer && !Number.isInteger(n)) errors[key] = `${cap(label)} must be a whole number`
  else if (inclusiveMin ? n < min : n <= min) errors[key] = `${cap(label)} must be ${inclusiveMin ? 'at least' : 'more than'} ${min}`
  else if (n > max) errors[key] = `${cap(label)} can be at most ${max.toLocaleString('en-US')}`
}

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1)

/** Every problem at once (like the API's validation), keyed by field. */
export function validateRunForm(v: RunFormValues): FormErrors {
  const errors: FormErrors = {}
  const url = v.target_url.trim()
  if (!url) errors.target_url = 'Enter the URL of the app to test'
  else if (!/^https?:\/\/[^\s/]+/i.test(url)) errors.target_url = 'Use a full http:// or https:// URL'
  checkProfile(errors, v)
  checkNumber(errors, 'think_time_min_s', v.think_time_min_s, { min: 0, max: 3600, label: 'the minimum think time' })
  checkNumber(errors, 'think_time_max_s', v.think_time_max_s, { min: 0, max: 3600, label: 'the maximum think time' })
  checkNumber(errors, 'max_pages', v.max_pages, { min: 1, max: 10_000, integer: true, label: 'max pages' })
  checkNumber(errors, 'max_depth', v.max_depth, { min: 0, max: 50, integer: true, label: 'max depth' })
  checkNumber(errors, 'max_discovery_s', v.max_discovery_s, { min: 0, max: 3600, label: 'the discovery time limit', inclusiveMin: false })
  if (!errors.think_time_min_s && !errors.think_time_max_s && num(v.think_time_max_s) < num(v.think_time_min_s)) {
    errors.think_time_max_s = 'Maximum think time is below the minimum'
  }
  if (v.scope.trim()) {
    try {
      new RegExp(v.scope.trim())
    } catch {
      errors.scope = 'Scope must be a valid regular expression'
    }
  }
  checkLogin(errors, v)
  return errors
}

/** The load profile's fields are read by the server (POST /profiles/preview); a custom shape too. */
function checkProfile(errors: FormErrors, v: RunFormValues): void {
  if (v.profile === 'shape' && !v.shape_text.trim()) errors.shape_text = 'Paste a shape or choose a file'
}

function checkLogin(errors: FormErrors, v: RunFormValues): void {
  const url = v.login_url.trim()
  if (url && !/^https?:\/\/[^\s/]+/i.test(url)) errors.login_url = 'Use a full http:// or https:// URL'
  if ((v.username.trim() || v.password) && !url) errors.login_url = 'Enter the page with the login form'
  if (url && !v.username.trim()) errors.username = 'Enter the account to log in with'
}

/**
 * RunCreate fields for the chosen profile, as the server read them; `users` is required by the API
 * for every kind. A custom shape sends the profile object the server read from the text.
 */
function profileFields(v: RunFormValues, shape?: ShapePreview | null, profile?: ProfileFields | null): Partial<RunCreate> {
  if (v.profile === 'shape') {
    return shape ? { users: Math.max(1, shape.users), duration_s: shape.duration_s, ramp_up_s: 0, shape: shape.shape } : {}
  }
  if (!profile) return {}
  // only the chosen kind's fields: the server leaves the others null
  return Object.fromEntries(Object.entries(profile).filter(([, value]) => value !== null && value !== undefined))
}

export function toRunCreate(v: RunFormValues, shape?: ShapePreview | null, profile?: ProfileFields | null): RunCreate {
  const loginUrl = v.login_url.trim()
  return {
    target_url: v.target_url.trim(),
    ...profileFields(v, shape, profile),
    think_time_min_s: num(v.think_time_min_s),
    think_time_max_s: num(v.think_time_max_s),
    max_pages: num(v.max_pages),
    max_depth: num(v.max_depth),
    max_discovery_s: num(v.max_discovery_s),
    allow_writes: v.allow_writes,
    scope: v.scope.trim() || null,
    thresholds: cleanThresholds(v.thresholds),
    abort_on_fail: v.abort_on_fail,
    login_url: loginUrl || null,
    username: loginUrl ? v.username.trim() || null : null,
    password: loginUrl ? v.password || null : null,
  } as RunCreate
}

/** The threshold expressions to send: trimmed, blanks dropped (the server reads them). */
export const cleanThresholds = (rows: string[]): string[] => rows.map((r) => r.trim()).filter(Boolean)
