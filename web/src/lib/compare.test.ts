import { expect, test } from 'vitest'
import { compareSteps, compareTotals, delta, ERROR_RATE, formatDelta, LATENCY, THROUGHPUT } from './compare'
import { formatMs, formatRate } from './format'
import { step, summary } from '../test/fixtures'

const FMT = { ms: formatMs, rate: formatRate }

test('lower latency is better, higher throughput is better, small moves are noise', () => {
  expect(delta(100, 80, LATENCY).verdict).toBe('better')
  expect(delta(100, 130, LATENCY).verdict).toBe('worse')
  expect(delta(100, 101, LATENCY).verdict).toBe('same')
  expect(delta(50, 60, THROUGHPUT).verdict).toBe('better')
  expect(delta(50, 40, THROUGHPUT).verdict).toBe('worse')
  expect(delta(0, 0.02, ERROR_RATE).verdict).toBe('worse')
  expect(delta(0.02, 0.0201, ERROR_RATE).verdict).toBe('same')
})

test('a missing side is not comparable and has no change', () => {
  expect(delta(null, 5, LATENCY)).toEqual({ a: null, b: 5, diff: null, ratio: null, verdict: 'na' })
  expect(delta(5, Number.NaN, LATENCY).verdict).toBe('na')
  expect(formatDelta(delta(undefined, 5, LATENCY), 'ms', FMT)).toBe('–')
})

test('deltas read with sign, unit and relative change', () => {
  expect(formatDelta(delta(12, 15, LATENCY), 'ms', FMT)).toBe('+3 ms (+25%)')
  expect(formatDelta(delta(40, 30, THROUGHPUT), 'rate', FMT)).toBe('−10/s (−25%)')
  expect(formatDelta(delta(0.01, 0.035, ERROR_RATE), 'percent', FMT)).toBe('+2.50 pts')
  expect(formatDelta(delta(0, 4, LATENCY), 'ms', FMT)).toBe('+4 ms')
})

test('totals of a run without a summary are all not comparable', () => {
  const rows = compareTotals(summary, null)
  expect(rows.map((r) => r.key)).toEqual(['rps', 'p50', 'p95', 'p99', 'error_rate'])
  expect(rows.every((r) => r.delta.verdict === 'na' && r.delta.a !== null)).toBe(true)
})

test('steps match by flow and name; unmatched steps are kept and marked', () => {
  const candidate = { ...summary, duration_s: 8, steps: [step('/', 90, 14), step('/new', 5, 3)] }
  const rows = compareSteps(summary, candidate)
  expect(rows.map((r) => [r.name, r.in])).toEqual([['/cart', 'a'], ['/', 'both'], ['/search', 'a'], ['/new', 'b']])
  const home = rows[1]
  expect(home.p95.verdict).toBe('worse') // 7 -> 14 ms
  expect(home.rps.a).toBeCloseTo(22.5) // 90 requests / 4 s
  expect(home.rps.b).toBeCloseTo(11.25) // 90 requests / 8 s
  expect(home.rps.verdict).toBe('worse')
  expect(rows[2].errorRate.a).toBeCloseTo(3 / 13)
  expect(rows[3].p95.verdict).toBe('na')
  const otherFlow = compareSteps(summary, { ...summary, steps: [{ ...step('/', 90, 7), flow: 'checkout' }] })
  expect(otherFlow.find((r) => r.flow === 'checkout')?.in).toBe('b')
})
