import { expect, test } from 'vitest'
import type { RunStatus } from './status'
import { loadStartedAt, stageTimes } from './timeline'

const e = (status: RunStatus, at: string) => ({ status, at, reason: '' })

test('each stage lasts until the next one starts; repeats (claims) keep the first time', () => {
  const times = stageTimes([
    e('queued', '2026-11-26T01:00:00Z'), e('queued', '2026-11-26T01:00:00.5Z'),
    e('loading', '2026-11-26T01:00:02Z'), e('completed', '2026-11-26T01:00:06Z'),
  ])
  expect(times.entered.queued).toBe('2026-11-26T01:00:00Z')
  expect(times.took).toEqual({ queued: 2, loading: 4 })
  expect(times.stoppedIn).toBe('loading')
})

test('the current stage counts up to now; an active run has not stopped anywhere', () => {
  const times = stageTimes([e('queued', '2026-11-26T01:00:00Z'), e('discovering', '2026-11-26T01:00:01Z')],
    new Date('2026-11-26T01:00:04Z'))
  expect(times.took.discovering).toBe(3)
  expect(times.stoppedIn).toBeUndefined()
})

test('a run cancelled while discovering stopped there', () => {
  const times = stageTimes([e('queued', '2026-11-26T01:00:00Z'), e('discovering', '2026-11-26T01:00:01Z'),
    e('cancelled', '2026-11-26T01:00:02Z')])
  expect(times.stoppedIn).toBe('discovering')
})

test('the load start is the first loading event (zone-less times are UTC)', () => {
  expect(loadStartedAt([e('queued', '2026-11-26T01:00:00'), e('loading', '2026-11-26T01:00:02')]))
    .toBe(Date.UTC(2026, 10, 26, 1, 0, 2))
  expect(loadStartedAt([e('queued', '2026-11-26T01:00:00Z')])).toBeNull()
})
