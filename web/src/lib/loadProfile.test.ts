import { expect, test } from 'vitest'
import { profileErrors, profileText } from './loadProfile'

const values = {
  profile: 'constant' as const, users: '10', duration_s: '2m', ramp_up_s: '30s',
  stages: [{ duration: '30s', target: '10' }], arrival_rate: '5', max_users: '50',
}

test('each kind sends only its own fields, as typed: the server reads them', () => {
  expect(profileText(values)).toMatchObject({ kind: 'constant', users: '10', duration: '2m', ramp_up: '30s', stages: [], max_users: '' })
  expect(profileText({ ...values, profile: 'stages' })).toMatchObject({ kind: 'stages', stages: values.stages, duration: '' })
  expect(profileText({ ...values, profile: 'arrival' })).toMatchObject({ kind: 'arrival', arrival_rate: '5', duration: '2m', max_users: '50', users: '' })
  expect(profileText({ ...values, profile: 'shape' })).toBeNull()
})

test("the server's problems land on the form's fields and the stage rows", () => {
  expect(profileErrors('constant', { duration: 'Enter the duration like 30s', profile: 'ramp too long' }, 0).fields)
    .toEqual({ duration_s: 'Enter the duration like 30s', ramp_up_s: 'ramp too long' })
  const stages = profileErrors('stages', { 'stages.1.target': 'Users must be at least 0' }, 2)
  expect(stages.stageRows).toEqual([{}, { target: 'Users must be at least 0' }])
  expect(stages.fields).toEqual({ stages: 'Fix stage 2' })
})
