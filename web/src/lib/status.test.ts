import { expect, test } from 'vitest'
import { FINAL_STATUSES, RUN_STATUSES, STAGES, isActive, isFinal, outcomeOf, statusLabel } from './status'

test('the lists follow the lifecycle: stages first, then the ways a run ends', () => {
  expect(RUN_STATUSES).toEqual([...STAGES, ...FINAL_STATUSES])
  expect(STAGES).toEqual(['queued', 'discovering', 'loading'])
  expect(FINAL_STATUSES).toEqual(['completed', 'failed', 'cancelled'])
})

test('an ended run has an outcome; one still going (or a status not known here) is active', () => {
  expect(FINAL_STATUSES.map(outcomeOf)).toEqual(['good', 'bad', 'warn'])
  expect(STAGES.map(outcomeOf)).toEqual([undefined, undefined, undefined])
  expect(isFinal('failed')).toBe(true)
  expect(isActive('loading')).toBe(true)
  expect(isActive('paused')).toBe(true)
  expect(isFinal('paused')).toBe(false)
  expect(statusLabel('cancelled')).toBe('Cancelled')
})
