import { expect, test } from 'vitest'
import { DEFAULT_FORM, toRunCreate, usersOverTime, validateRunForm } from './runForm'

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
