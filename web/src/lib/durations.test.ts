import { expect, test } from 'vitest'
import { parseDuration } from './durations'

test.each([
  ['45', 45], ['2.5', 2.5], ['30s', 30], ['2m', 120], ['1h30m', 5400], ['1m30s', 90], [' 1H ', 3600], ['500ms', 0.5],
])('%s is %d s', (text, seconds) => {
  expect(parseDuration(text)).toBe(seconds)
})

test.each(['', 'soon', '30 s', '1d', 'm', '-5', '1h 30m', '30s!'])('%j is not a duration', (text) => {
  expect(parseDuration(text)).toBeNaN()
})
