import { expect, test } from 'vitest'
import type { LivePublic, MetricPoint } from '../client/api'
import { fromMetric, fromTimeseries, lastSecond, liveTail, mergePoints } from './liveSeries'

const point = (t: number, rps = 10): MetricPoint => ({
  t, rps, errors: 0, active_users: 5, p50_ms: 3, p95_ms: 9, p99_ms: null,
})

test('new seconds are appended in order', () => {
  let points = mergePoints([], [point(0), point(1)])
  points = mergePoints(points, [point(2), point(3)])
  expect(points.map((p) => p.t)).toEqual([0, 1, 2, 3])
  expect(lastSecond(points)).toBe(3)
})

test('a second polled again replaces the one held; out-of-order answers still sort', () => {
  let points = mergePoints([], [point(0, 5), point(2, 7)])
  points = mergePoints(points, [point(1, 6), point(2, 70)])
  expect(points.map((p) => [p.t, p.rps])).toEqual([[0, 5], [1, 6], [2, 70]])
})

test('an empty poll keeps the same array (no re-render)', () => {
  const points = mergePoints([], [point(0)])
  expect(mergePoints(points, [])).toBe(points)
})

test('the oldest points drop beyond the cap', () => {
  const points = mergePoints([], [0, 1, 2, 3, 4].map((t) => point(t)), 3)
  expect(points.map((p) => p.t)).toEqual([2, 3, 4])
})

test('before any point, poll for everything', () => {
  expect(lastSecond([])).toBe(-1)
})

const live = (elapsed_s: number, errors = 0, requests = 50): LivePublic => ({
  elapsed_s, active_users: 4, requests, errors, rps: 25, p50_ms: 3, p95_ms: 9,
})

test('the live numbers stand in for the last complete second the series has not stored yet', () => {
  expect(liveTail([], live(1.4))).toMatchObject({ t: 0, rps: 25, active_users: 4 })
  expect(liveTail([], live(0.8))).toBeNull() // no second of load is complete yet
  const points = mergePoints([], [point(0), { ...point(1), errors: 2 }])
  expect(liveTail(points, live(3.2, 5))).toMatchObject({ t: 2, errors: 3 })
  expect(liveTail(points, live(2.2))).toBeNull() // the series already has second 1
  expect(liveTail([], live(0.5, 0, 0))).toBeNull() // nothing measured yet
  expect(liveTail(points, null)).toBeNull()
})

test('a second without a response keeps null latency: a gap in the chart, not 0 ms', () => {
  const [gap] = mergePoints([], [{ ...point(0), p50_ms: null, p95_ms: null }])
  expect(gap.p50_ms).toBeNull()
  expect(gap.p95_ms).toBeNull()
})

test('p99 travels with each second, and a second without a response is a gap (null), not 0 ms', () => {
  const points = fromTimeseries([
    { t: 0, rps: 3, errors: 0, active_users: 1, p50_ms: 1, p95_ms: 2, p99_ms: 7 },
    { t: 1, rps: 0, errors: 4, active_users: 1, p50_ms: null, p95_ms: null, p99_ms: null },
  ])
  expect(points.map((p) => p.p99_ms)).toEqual([7, null])
  expect(fromMetric({ t: 2, rps: 1, errors: 0, active_users: 1, p50_ms: 1, p95_ms: 2, p99_ms: 9 }).p99_ms).toBe(9)
})
