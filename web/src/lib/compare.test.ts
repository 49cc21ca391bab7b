import { expect, test } from 'vitest'
import { compareSteps, compareTotals, delta, ERROR_RATE, formatDelta, judged, LATENCY, MIN_SAMPLES, overlay, THROUGHPUT } from './compare'
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

test('a step with too few samples on either side is not called better or worse', () => {
  const a = { ...summary, steps: [step('/pay', 2, 40), step('/', 90, 7)] }
  const b = { ...summary, steps: [step('/pay', 3, 90), step('/', 95, 20)] }
  const [pay, home] = compareSteps(a, b)
  expect(pay.p95.verdict).toBe('few')
  expect(pay.p95.diff).toBe(50)  // the numbers are still shown
  expect(home.p95.verdict).toBe('worse')
  expect(judged(delta(10, 30, LATENCY), 19, 500).verdict).toBe('few')
  expect(judged(delta(10, 30, LATENCY), MIN_SAMPLES, MIN_SAMPLES).verdict).toBe('worse')
})

test('overlay puts both runs on one elapsed-time axis, gaps stay null', () => {
  const a = { ...summary, timeseries: [{ t: 0, rps: 10, errors: 0, active_users: 1, p50_ms: 1, p95_ms: 2, p99_ms: 3 }] }
  const b = { ...summary, timeseries: [
    { t: 0, rps: 12, errors: 0, active_users: 1, p50_ms: 1, p95_ms: 4, p99_ms: 5 },
    { t: 1, rps: 0, errors: 3, active_users: 1, p50_ms: null, p95_ms: null, p99_ms: null },
  ] }
  expect(overlay(a, b)).toEqual([
    { t: 0, a_rps: 10, b_rps: 12, a_p95: 2, b_p95: 4 },
    { t: 1, a_rps: null, b_rps: 0, a_p95: null, b_p95: null },
  ])
})
