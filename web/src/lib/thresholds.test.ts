import { expect, test } from 'vitest'
import { cleanThresholds, thresholdError } from './thresholds'

test.each(['p95<500ms', 'error_rate<1%', 'rps >= 50', 'p99[step=login]<=2s', 'mean[flow=checkout] > 0.5', 'max<3'])(
  '%s is accepted', (expr) => expect(thresholdError(expr)).toBeUndefined())

test.each(['p95', 'p95<', 'p42<500ms', 'p95=500ms', 'p95<500 min', 'error_rate[user=1]<1%', 'p95[step=]<1s'])(
  '%s is rejected with a hint', (expr) => expect(thresholdError(expr)).toMatch(/^Cannot read .*e\.g\. p95<500ms/))

test('blank rows are neither errors nor sent', () => {
  expect(thresholdError('   ')).toBeUndefined()
  expect(cleanThresholds([' p95<500ms ', '', '  ', 'rps>1'])).toEqual(['p95<500ms', 'rps>1'])
})
