/** The new-test form's values, their client-side checks, and the request they become. */
import type { RunCreate, ShapePreview } from '../client/api'
import { parseDuration } from './durations'
import { DEFAULT_STAGES, stagesDuration, stagesError, stagesPeak, stagesText } from './loadProfile'
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
  duration_s: '60',
  ramp_up_s: '10',
  think_time_min_s: '0.5',
  think_time_max_s: '1.5',
  max_pages: '40',
  max_depth: '4',
  max_discovery_s: '60',
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

/** A duration field: `30s`, `2m`, `1h30m` or plain seconds. */
function checkDuration(errors: FormErrors, key: keyof RunFormValues, value: string,
  { label, allowZero = false }: { label: string; allowZero?: boolean }): void {
  const s = parseDuration(value)
  if (!Number.isFinite(s)) errors[key] = `Enter ${label} like 30s, 2m or 1h30m`
  else if (allowZero ? s < 0 : s <= 0) errors[key] = `${cap(label)} must be more than 0`
  else if (s > 86_400) errors[key] = `${cap(label)} can be at most 24h`
}

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

/** Only the chosen profile's fields are checked; the others are not sent. */
function checkProfile(errors: FormErrors, v: RunFormValues): void {
  if (v.profile === 'stages') {
    const problem = stagesError(v.stages)
    if (problem) errors.stages = problem
    return
  }
  if (v.profile === 'shape') {
    if (!v.shape_text.trim()) errors.shape_text = 'Paste a shape or choose a file'
    return
  }
  checkDuration(errors, 'duration_s', v.duration_s, { label: 'the duration' })
  if (v.profile === 'arrival') {
    checkNumber(errors, 'arrival_rate', v.arrival_rate.trim().replace(/\/s$/, ''),
      { min: 0, max: 1_000_000, label: 'the arrival rate', inclusiveMin: false })
    checkNumber(errors, 'max_users', v.max_users, { min: 1, max: 100_000, integer: true, label: 'max users' })
    return
  }
  checkNumber(errors, 'users', v.users, { min: 1, max: 100_000, integer: true, label: 'users' })
  checkDuration(errors, 'ramp_up_s', v.ramp_up_s, { label: 'the ramp-up', allowZero: true })
  if (!errors.ramp_up_s && !errors.duration_s && parseDuration(v.ramp_up_s) > parseDuration(v.duration_s)) {
    errors.ramp_up_s = 'Ramp-up cannot be longer than the duration'
  }
}

function checkLogin(errors: FormErrors, v: RunFormValues): void {
  const url = v.login_url.trim()
  if (url && !/^https?:\/\/[^\s/]+/i.test(url)) errors.login_url = 'Use a full http:// or https:// URL'
  if ((v.username.trim() || v.password) && !url) errors.login_url = 'Enter the page with the login form'
  if (url && !v.username.trim()) errors.username = 'Enter the account to log in with'
}

/**
 * RunCreate fields for the chosen profile; `users` is required by the API for every kind. A custom
 * shape sends the profile object the server read from the text, with its users and duration.
 */
function profileFields(v: RunFormValues, shape?: ShapePreview | null): Partial<RunCreate> {
  if (v.profile === 'shape') {
    return shape ? { users: Math.max(1, shape.users), duration_s: shape.duration_s, ramp_up_s: 0, shape: shape.shape } : {}
  }
  if (v.profile === 'stages') {
    return { users: Math.max(1, stagesPeak(v.stages)), duration_s: stagesDuration(v.stages), ramp_up_s: 0, stages: stagesText(v.stages) }
  }
  if (v.profile === 'arrival') {
    const maxUsers = num(v.max_users)
    return {
      users: maxUsers, duration_s: parseDuration(v.duration_s), ramp_up_s: 0,
      arrival_rate: String(num(v.arrival_rate.trim().replace(/\/s$/, ''))), max_users: maxUsers,
    }
  }
  return { users: num(v.users), duration_s: parseDuration(v.duration_s), ramp_up_s: parseDuration(v.ramp_up_s) }
}

export function toRunCreate(v: RunFormValues, shape?: ShapePreview | null): RunCreate {
  const loginUrl = v.login_url.trim()
  return {
    target_url: v.target_url.trim(),
    ...profileFields(v, shape),
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

/** Planned users over time: a linear ramp, then flat until the end (the ConstantUsers profile). */
export function usersOverTime(users: number, durationS: number, rampUpS: number): { t: number; users: number }[] {
  if (!(users > 0) || !(durationS > 0)) return []
  const ramp = Math.min(Math.max(rampUpS || 0, 0), durationS)
  const points = [{ t: 0, users: ramp > 0 ? 0 : users }]
  if (ramp > 0) points.push({ t: ramp, users })
  points.push({ t: durationS, users })
  return points
}
