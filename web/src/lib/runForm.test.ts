import { expect, test } from 'vitest'
import type { ProfileFields } from '../client/api'
import { DEFAULT_FORM, cleanThresholds, toRunCreate, validateRunForm } from './runForm'

test('reports every problem at once, keyed by field (the load profile is the server\'s to read)', () => {
  const errors = validateRunForm({
    ...DEFAULT_FORM, target_url: 'example.com', users: '2.5', duration_s: '0', think_time_min_s: '2',
    think_time_max_s: '1', max_pages: '', scope: '([',
  })
  expect(errors).toEqual({
    target_url: 'Use a full http:// or https:// URL',
    think_time_max_s: 'Maximum think time is below the minimum',
    max_pages: 'Enter max pages as a number',
    scope: 'Scope must be a valid regular expression',
  })
})

const read = (fields: Partial<ProfileFields>): ProfileFields =>
  ({ users: 1, duration_s: 1, ramp_up_s: 0, stages: null, arrival_rate: null, max_users: null, ...fields })

test("valid values become a RunCreate body with the server's numbers and a null scope", () => {
  const values = { ...DEFAULT_FORM, target_url: ' http://127.0.0.1:8001/ ', users: '5', duration_s: '4', ramp_up_s: '1' }
  expect(validateRunForm(values)).toEqual({})
  expect(toRunCreate(values, null, read({ users: 5, duration_s: 4, ramp_up_s: 1 }))).toMatchObject({
    target_url: 'http://127.0.0.1:8001/', users: 5, duration_s: 4, ramp_up_s: 1, max_pages: 1000, scope: null, allow_writes: false,
  })
})

const base = { ...DEFAULT_FORM, target_url: 'http://127.0.0.1:8001/' }

test('constant users send users, duration and ramp-up, and no other profile', () => {
  const body = toRunCreate({ ...base, users: '5', duration_s: '4', ramp_up_s: '1' }, null, read({ users: 5, duration_s: 4, ramp_up_s: 1 }))
  expect(body).toMatchObject({ users: 5, duration_s: 4, ramp_up_s: 1, thresholds: [], abort_on_fail: false, login_url: null })
  expect(body).not.toHaveProperty('stages')
  expect(body).not.toHaveProperty('arrival_rate')
  expect(body).not.toHaveProperty('max_users')
})

test('ramping stages send the stages text the server read, with users and duration consistent with it', () => {
  const values = { ...base, profile: 'stages' as const, users: 'ignored', ramp_up_s: '999',
    stages: [{ duration: '30', target: '10' }, { duration: '60', target: '50' }, { duration: '15', target: '0' }] }
  expect(validateRunForm(values)).toEqual({})
  const body = toRunCreate(values, null, read({ stages: '30s:10,60s:50,15s:0', users: 50, duration_s: 105 }))
  expect(body).toMatchObject({ stages: '30s:10,60s:50,15s:0', users: 50, duration_s: 105, ramp_up_s: 0 })
  expect(body).not.toHaveProperty('arrival_rate')
})

test('nothing of the profile is sent before the server has read it', () => {
  const body = toRunCreate({ ...base, users: '5' })
  expect(body).not.toHaveProperty('users')
  expect(body).not.toHaveProperty('duration_s')
})

test('thresholds are sent trimmed (the server reads them); login is checked; password only with a login page', () => {
  expect(validateRunForm({ ...base, thresholds: ['p95<500ms', 'p95 under 1s'], username: 'ann' })).toEqual({
    login_url: 'Enter the page with the login form',
  })
  expect(validateRunForm({ ...base, login_url: 'http://127.0.0.1:8001/login' })).toEqual({ username: 'Enter the account to log in with' })
  const body = toRunCreate({ ...base, thresholds: [' p95<500ms', ''], abort_on_fail: true,
    login_url: ' http://127.0.0.1:8001/login ', username: ' ann ', password: 's3cret' })
  expect(body).toMatchObject({ thresholds: ['p95<500ms'], abort_on_fail: true,
    login_url: 'http://127.0.0.1:8001/login', username: 'ann', password: 's3cret' })
  expect(toRunCreate({ ...base, password: 'x' })).toMatchObject({ login_url: null, username: null, password: null })
})

test('a custom shape needs text, and sends the profile the server read from it', () => {
  expect(validateRunForm({ ...base, profile: 'shape' })).toEqual({ shape_text: 'Paste a shape or choose a file' })
  const values = { ...base, profile: 'shape' as const, shape_text: 'duration,users\n30s,10' }
  expect(validateRunForm(values)).toEqual({})
  const shape = {
    shape: { kind: 'stages', stages: [{ duration_s: 30, target: 10 }] }, kind: 'stages', unit: 'users' as const,
    duration_s: 30, peak: 10, users: 10, points: [{ t: 0, value: 0 }, { t: 30, value: 10 }],
  }
  const body = toRunCreate(values, shape)
  expect(body).toMatchObject({ shape: shape.shape, users: 10, duration_s: 30, ramp_up_s: 0 })
  expect(body.stages).toBeUndefined()
  expect(body.arrival_rate).toBeUndefined()
})

test('blank threshold rows are not sent', () => {
  expect(cleanThresholds([' p95<500ms ', '', '  ', 'rps>1'])).toEqual(['p95<500ms', 'rps>1'])
})
