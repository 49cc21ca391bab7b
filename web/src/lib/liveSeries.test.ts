import { expect, test } from 'vitest'
import type { LivePublic } from '../client/api'
import { appendLive } from './liveSeries'

const live = (elapsed_s: number, requests: number, errors: number): LivePublic => ({
  elapsed_s, active_users: 5, requests, errors, rps: 10, p50_ms: 3, p95_ms: 9,
})

test('cumulative errors become errors per interval', () => {
  let points = appendLive([], live(1, 10, 2))
  points = appendLive(points, live(2, 20, 5))
  points = appendLive(points, live(3, 30, 5))
  expect(points.map((p) => [p.t, p.errors])).toEqual([[1, 2], [2, 3], [3, 0]])
})

test('a repeated poll replaces its point and a stale one is ignored', () => {
  let points = appendLive([], live(1, 10, 1))
  points = appendLive(points, live(2, 20, 1))
  points = appendLive(points, live(2, 22, 4))
  expect(points.map((p) => [p.t, p.errors])).toEqual([[1, 1], [2, 3]])
  expect(appendLive(points, live(1.5, 15, 1))).toBe(points)
})

test('the series is capped so long runs stay cheap to draw', () => {
  let points = appendLive([], live(0, 0, 0), 3)
  for (let t = 1; t <= 5; t++) points = appendLive(points, live(t, t, 0), 3)
  expect(points.map((p) => p.t)).toEqual([3, 4, 5])
})
