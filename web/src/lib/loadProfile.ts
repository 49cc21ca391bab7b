/** Load profiles the form offers and how each becomes RunCreate fields and a preview shape. */
import { parseDuration } from './durations'

export type ProfileKind = 'constant' | 'stages' | 'arrival' | 'shape'

export const PROFILE_KINDS: { kind: ProfileKind; label: string; hint: string }[] = [
  { kind: 'constant', label: 'Constant users', hint: 'Ramp up, then hold a fixed number of users.' },
  { kind: 'stages', label: 'Ramping stages', hint: 'Move between user counts, stage by stage.' },
  { kind: 'arrival', label: 'Arrival rate', hint: 'Start iterations at a fixed rate (open model).' },
  { kind: 'shape', label: 'Custom shape', hint: 'Paste or upload a CSV or YAML shape file.' },
]

export interface StageRow {
  duration: string
  target: string
}

export interface StageRowErrors {
  duration?: string
  target?: string
}

export const DEFAULT_STAGES: StageRow[] = [
  { duration: '30s', target: '10' },
  { duration: '1m', target: '10' },
  { duration: '15s', target: '0' },
]

const num = (value: string): number => (value.trim() === '' ? Number.NaN : Number(value))

/** Per-row problems, same index as `rows`; empty objects for good rows. */
export function stageRowErrors(rows: StageRow[]): StageRowErrors[] {
  return rows.map((row) => {
    const errors: StageRowErrors = {}
    const d = parseDuration(row.duration)
    const t = num(row.target)
    if (!Number.isFinite(d)) errors.duration = 'Use 30s, 2m or 1h30m'
    else if (d > 86_400) errors.duration = 'At most 24h'
    if (!Number.isFinite(t)) errors.target = 'Enter users'
    else if (!Number.isInteger(t)) errors.target = 'Whole users'
    else if (t < 0 || t > 100_000) errors.target = 'Between 0 and 100,000'
    return errors
  })
}

/** One message for the whole list (row problems first, then the totals the API checks). */
export function stagesError(rows: StageRow[]): string | undefined {
  if (rows.length === 0) return 'Add at least one stage'
  const bad = stageRowErrors(rows).findIndex((e) => e.duration || e.target)
  if (bad >= 0) return `Fix stage ${bad + 1}`
  if (stagesDuration(rows) <= 0) return 'The stages add up to no time at all'
  if (stagesPeak(rows) <= 0) return 'No stage has any users'
  if (stagesDuration(rows) > 86_400) return 'The stages last longer than 86,400 s'
  return undefined
}

export const stagesDuration = (rows: StageRow[]): number => rows.reduce((sum, r) => sum + (parseDuration(r.duration) || 0), 0)

export const stagesPeak = (rows: StageRow[]): number => Math.max(0, ...rows.map((r) => num(r.target) || 0))

/** The API's text form: `30s:10,60s:50,15s:0`. */
export const stagesText = (rows: StageRow[]): string =>
  rows.map((r) => `${parseDuration(r.duration)}s:${num(r.target)}`).join(',')

/** Users over time for stages: from 0, each stage moves linearly to its target. */
export function stagesOverTime(rows: StageRow[]): { t: number; users: number }[] {
  if (stagesError(rows)) return []
  const points = [{ t: 0, users: 0 }]
  let t = 0
  for (const row of rows) {
    t += parseDuration(row.duration)
    points.push({ t, users: num(row.target) })
  }
  return points
}

/** A constant arrival rate over the duration. */
export function rateOverTime(rate: number, durationS: number): { t: number; rate: number }[] {
  if (!(rate > 0) || !(durationS > 0)) return []
  return [{ t: 0, rate }, { t: durationS, rate }]
}
