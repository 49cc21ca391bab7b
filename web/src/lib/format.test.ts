import { describe, expect, test } from 'vitest'
import { formatCount, formatDuration, formatMs, formatPercent, formatRate, formatRelative, parseTimestamp, secondsBetween } from './format'

describe('formatMs', () => {
  test.each([
    [0, '0 ms'], [0.456, '0.46 ms'], [4.435, '4.4 ms'], [249.6, '250 ms'], [1234, '1.23 s'], [15_200, '15.2 s'],
  ])('%s ms reads as %s', (ms, text) => expect(formatMs(ms)).toBe(text))

  test('missing values show a dash, not NaN', () => {
    expect(formatMs(null)).toBe('–')
    expect(formatMs(Number.NaN)).toBe('–')
  })
})

test('a tiny error rate never rounds to a reassuring 0%', () => {
  expect(formatPercent(0)).toBe('0%')
  expect(formatPercent(0.00001)).toBe('<0.01%')
  expect(formatPercent(0.0123)).toBe('1.23%')
  expect(formatPercent(0.5)).toBe('50%')
})

test('counts, rates and durations are compact', () => {
  expect(formatCount(950)).toBe('950')
  expect(formatCount(12_345)).toBe('12.3k')
  expect(formatCount(2_500_000)).toBe('2.5M')
  expect(formatRate(35.6)).toBe('35.6/s')
  expect(formatRate(1234.4)).toBe('1,234/s')
  expect(formatDuration(4)).toBe('4 s')
  expect(formatDuration(90)).toBe('1 min 30 s')
  expect(formatDuration(7260)).toBe('2 h 1 min')
})

test('timestamps without a zone are UTC', () => {
  expect(parseTimestamp('2026-11-26T01:00:00')?.toISOString()).toBe('2026-11-26T01:00:00.000Z')
  expect(parseTimestamp('2026-11-26T01:00:00+01:00')?.toISOString()).toBe('2026-11-26T00:00:00.000Z')
  expect(parseTimestamp('garbage')).toBeNull()
  const now = new Date('2026-11-26T01:10:00Z')
  expect(secondsBetween('2026-11-26T01:00:00Z', null, now)).toBe(600)
  expect(formatRelative('2026-11-26T01:00:00Z', now)).toBe('10 min ago')
  expect(formatRelative('2026-11-26T01:09:50Z', now)).toBe('just now')
})
