import { expect, test } from 'vitest'
import { toApiError } from './api'

test('a 400 keeps the server sentence as the message', () => {
  const err = toApiError(400, { detail: 'target http://x/ answered 404' })
  expect([err.status, err.message, err.fields]).toEqual([400, 'target http://x/ answered 404', {}])
})

test('422 items map onto top-level form fields, with or without loadscout\'s `field`', () => {
  const err = toApiError(422, { detail: [
    { field: 'users', reason: 'at most 500 users on this server', loc: ['body', 'users'], msg: 'x', type: 'limit' },
    { loc: ['body', 'duration_s'], msg: 'Input should be greater than 0', type: 'greater_than' },
    { loc: ['body'], msg: 'Value error, ramp_up_s cannot be longer than duration_s', type: 'value_error' },
  ] })
  expect(err.fields).toEqual({ users: 'at most 500 users on this server', duration_s: 'Input should be greater than 0' })
  expect(err.message).toBe('users: at most 500 users on this server; duration_s: Input should be greater than 0; '
    + 'ramp_up_s cannot be longer than duration_s')
})

test('an unexpected body still gives a readable message', () => {
  expect(toApiError(502, 'Bad Gateway').message).toBe('The server answered 502')
})
