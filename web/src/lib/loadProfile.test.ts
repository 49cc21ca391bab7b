import { expect, test } from 'vitest'
import { rateOverTime, stageRowErrors, stagesError, stagesOverTime, stagesText } from './loadProfile'

const rows = [{ duration: '30', target: '10' }, { duration: '60', target: '50' }, { duration: '15', target: '0' }]

test('stages become the API text form', () => {
  expect(stagesText(rows)).toBe('30s:10,60s:50,15s:0')
})

test('stage durations take units, like --stages', () => {
  const withUnits = [{ duration: '30s', target: '10' }, { duration: '1m30s', target: '50' }, { duration: '1h', target: '0' }]
  expect(stagesText(withUnits)).toBe('30s:10,90s:50,3600s:0')
  expect(stagesOverTime(withUnits).map((p) => p.t)).toEqual([0, 30, 120, 3720])
})

test('stages preview: from 0, linear to each target', () => {
  expect(stagesOverTime(rows)).toEqual([{ t: 0, users: 0 }, { t: 30, users: 10 }, { t: 90, users: 50 }, { t: 105, users: 0 }])
})

test('bad stages are reported per row and as a whole', () => {
  const bad = [{ duration: '', target: '2.5' }, { duration: '10', target: '5' }]
  expect(stageRowErrors(bad)).toEqual([{ duration: 'Use 30s, 2m or 1h30m', target: 'Whole users' }, {}])
  expect(stageRowErrors([{ duration: '25h', target: '1' }])).toEqual([{ duration: 'At most 24h' }])
  expect(stagesError(bad)).toBe('Fix stage 1')
  expect(stagesError([{ duration: '0', target: '5' }])).toBe('The stages add up to no time at all')
  expect(stagesError([{ duration: '10', target: '0' }])).toBe('No stage has any users')
  expect(stagesError([])).toBe('Add at least one stage')
  expect(stagesOverTime([])).toEqual([])
})

test('arrival rate preview is flat over the duration', () => {
  expect(rateOverTime(20, 60)).toEqual([{ t: 0, rate: 20 }, { t: 60, rate: 20 }])
  expect(rateOverTime(0, 60)).toEqual([])
})
