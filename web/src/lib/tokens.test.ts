import { expect, test } from 'vitest'
import { tokenState } from './tokens'

test('a token is active until it expires or is revoked (revoked wins)', () => {
  const now = new Date('2026-01-10T00:00:00Z')
  expect(tokenState({ revoked_at: null, expires_at: null }, now)).toBe('active')
  expect(tokenState({ revoked_at: null, expires_at: '2026-02-01T00:00:00' }, now)).toBe('active')
  expect(tokenState({ revoked_at: null, expires_at: '2026-01-01T00:00:00Z' }, now)).toBe('expired')
  expect(tokenState({ revoked_at: '2026-01-02T00:00:00Z', expires_at: '2026-01-01T00:00:00Z' }, now)).toBe('revoked')
})
