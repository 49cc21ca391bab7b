import { expect, test } from 'vitest'
import { DEFAULT_FORM, cleanThresholds, toRunCreate, usersOverTime, validateRunForm } from './runForm'

test('reports every problem at once, keyed by field', () => {
  const errors = validateRunForm({
    ...DEFAULT_FORM, target_url: 'example.com', users: '2.5', duration_s: '0', think_time_min_s: '2',
    think_time_max_s: '1', max_pages: '', scope: '([',
  })
  expect(errors).toEqual({
    target_url: 'Use a full http:// or https:// URL',
    users: 'Users must be a whole number',
    duration_s: 'The duration must be more than 0',
    think_time_max_s: 'Maximum think time is below the minimum',
    max_pages: 'Enter max pages as a number',
    scope: 'Scope must be a valid regular expression',
  })
})

test('a ramp-up longer than the run is rejected, like the API does', () => {
  const errors = validateRunForm({ ...DEFAULT_FORM, target_url: 'http://127.0.0.1:8001/', duration_s: '5', ramp_up_s: '10' })
  expect(errors).toEqual({ ramp_up_s: 'Ramp-up cannot be longer than the duration' })
})

test('valid values become a RunCreate body with numbers and a null scope', () => {
  const values = { ...DEFAULT_FORM, target_url: ' http://127.0.0.1:8001/ ', users: '5', duration_s: '4', ramp_up_s: '1' }
  expect(validateRunForm(values)).toEqual({})
  expect(toRunCreate(values)).toMatchObject({
    target_url: 'http://127.0.0.1:8001/', users: 5, duration_s: 4, ramp_up_s: 1, max_pages: 40, scope: null, allow_writes: false,
  })
})

test('planned users ramp linearly, then hold', () => {
  expect(usersOverTime(10, 60, 15)).toEqual([{ t: 0, users: 0 }, { t: 15, users: 10 }, { t: 60, users: 10 }])
  expect(usersOverTime(10, 60, 0)).toEqual([{ t: 0, users: 10 }, { t: 60, users: 10 }])
  expect(usersOverTime(0, 60, 0)).toEqual([])
})

const base = { ...DEFAULT_FORM, target_url: 'http://127.0.0.1:8001/' }

test('constant users send users, duration and ramp-up, and no other profile', () => {
  const body = toRunCreate({ ...base, users: '5', duration_s: '4', ramp_up_s: '1' })
  expect(body).toMatchObject({ users: 5, duration_s: 4, ramp_up_s: 1, thresholds: [], abort_on_fail: false, login_url: null })
  expect(body).not.toHaveProperty('stages')
  expect(body).not.toHaveProperty('arrival_rate')
  expect(body).not.toHaveProperty('max_users')
})

test('ramping stages send the stages text, with users and duration consistent with it', () => {
  const values = { ...base, profile: 'stages' as const, users: 'ignored', ramp_up_s: '999',
    stages: [{ duration: '30', target: '10' }, { duration: '60', target: '50' }, { duration: '15', target: '0' }] }
  expect(validateRunForm(values)).toEqual({})
  const body = toRunCreate(values)
  expect(body).toMatchObject({ stages: '30s:10,60s:50,15s:0', users: 50, duration_s: 105, ramp_up_s: 0 })
  expect(body).not.toHaveProperty('arrival_rate')
})

test('arrival rate sends the rate as text, max users and the duration', () => {
  const values = { ...base, profile: 'arrival' as const, arrival_rate: '12.5', max_users: '80', duration_s: '30', ramp_up_s: '999' }
  expect(validateRunForm(values)).toEqual({})
  const body = toRunCreate(values)
  expect(body).toMatchObject({ arrival_rate: '12.5', max_users: 80, users: 80, duration_s: 30, ramp_up_s: 0 })
  expect(body).not.toHaveProperty('stages')
})

test('each profile checks only its own fields', () => {
  expect(validateRunForm({ ...base, profile: 'arrival', arrival_rate: '0', max_users: '1.5', users: 'x' })).toEqual({
    arrival_rate: 'The arrival rate must be more than 0', max_users: 'Max users must be a whole number',
  })
  expect(validateRunForm({ ...base, profile: 'stages', stages: [], users: 'x' })).toEqual({ stages: 'Add at least one stage' })
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

test('durations accept units and say how to write them', () => {
  const values = { ...base, duration_s: '2m', ramp_up_s: '30s' }
  expect(validateRunForm(values)).toEqual({})
  expect(toRunCreate(values)).toMatchObject({ duration_s: 120, ramp_up_s: 30 })
  expect(validateRunForm({ ...base, duration_s: 'two minutes' })).toMatchObject({
    duration_s: 'Enter the duration like 30s, 2m or 1h30m',
  })
  expect(validateRunForm({ ...base, duration_s: '1m', ramp_up_s: '2m' })).toEqual({
    ramp_up_s: 'Ramp-up cannot be longer than the duration',
  })
  expect(validateRunForm({ ...base, duration_s: '25h', ramp_up_s: '0' })).toEqual({ duration_s: 'The duration can be at most 24h' })
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
