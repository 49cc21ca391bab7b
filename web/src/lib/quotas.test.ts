import { expect, test } from 'vitest'
import { quotasToText, quotaValue, textToQuotas } from './quotas'

test('quotas round-trip through the form; empty means the server limit', () => {
  const text = quotasToText({ max_concurrent_runs: 2, max_users_per_run: null, max_duration_s: 90.5 })
  expect(text).toEqual({ max_concurrent_runs: '2', max_users_per_run: '', max_duration_s: '90.5', max_runs_per_day: '' })
  expect(textToQuotas(text)).toEqual({
    quotas: { max_concurrent_runs: 2, max_users_per_run: null, max_duration_s: 90.5, max_runs_per_day: null }, errors: {},
  })
})

test('counts must be whole and above 0', () => {
  const { errors } = textToQuotas({ max_concurrent_runs: '1.5', max_users_per_run: '0', max_duration_s: 'x', max_runs_per_day: ' 10 ' })
  expect(Object.keys(errors)).toEqual(['max_concurrent_runs', 'max_users_per_run', 'max_duration_s'])
})

test('a missing quota reads as the server limit', () => {
  expect([quotaValue(null), quotaValue(1200, 's'), quotaValue(5)]).toEqual(['server limit', '1,200 s', '5'])
})
