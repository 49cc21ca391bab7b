/** Load profiles the form offers; the server reads their fields (POST /profiles/preview). */
import type { ProfileText } from '../client/api'

export type ProfileKind = 'constant' | 'stages' | 'arrival' | 'shape'

export const PROFILE_KINDS: { kind: ProfileKind; label: string; hint: string }[] = [
  { kind: 'constant', label: 'Constant users', hint: 'Ramp up, then hold a fixed number of users.' },
  { kind: 'stages', label: 'Ramping stages', hint: 'Move between user counts, stage by stage.' },
  { kind: 'arrival', label: 'Arrival rate', hint: 'Start iterations at a fixed rate (open model).' },
  { kind: 'shape', label: 'Custom shape', hint: 'Paste or upload a CSV or YAML shape file.' },
]

export const DURATION_HINT = 'Like 30s, 2m or 1h30m; a plain number is seconds.'

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

/** What the server reads for a profile kind: the fields as typed (null: a custom shape). */
export function profileText(v: {
  profile: ProfileKind; users: string; duration_s: string; ramp_up_s: string; stages: StageRow[];
  arrival_rate: string; max_users: string
}): ProfileText | null {
  const none = { users: '', duration: '', ramp_up: '', stages: [], arrival_rate: '', max_users: '' }
  if (v.profile === 'shape') return null
  if (v.profile === 'stages') return { ...none, kind: 'stages', stages: v.stages }
  if (v.profile === 'arrival') {
    return { ...none, kind: 'arrival', arrival_rate: v.arrival_rate, duration: v.duration_s, max_users: v.max_users }
  }
  return { ...none, kind: 'constant', users: v.users, duration: v.duration_s, ramp_up: v.ramp_up_s }
}

/** The server's per-field problems, split into the form's keys and the stage rows' own. */
export function profileErrors(kind: ProfileKind, errors: Record<string, string>, rows: number): {
  fields: Partial<Record<'users' | 'duration_s' | 'ramp_up_s' | 'arrival_rate' | 'max_users' | 'stages', string>>
  stageRows: StageRowErrors[]
} {
  const stageRows: StageRowErrors[] = Array.from({ length: rows }, () => ({}))
  const fields: ReturnType<typeof profileErrors>['fields'] = {}
  // a rule over several fields (ramp-up within the duration, stages in 24 h) lands on the last of them
  const whole = kind === 'constant' ? 'ramp_up_s' : kind === 'stages' ? 'stages' : 'duration_s'
  const names: Record<string, keyof typeof fields> = {
    users: 'users', duration: 'duration_s', ramp_up: 'ramp_up_s', arrival_rate: 'arrival_rate',
    max_users: 'max_users', stages: 'stages', profile: whole,
  }
  for (const [key, message] of Object.entries(errors)) {
    const row = /^stages\.(\d+)\.(duration|target)$/.exec(key)
    if (row) {
      const i = Number(row[1])
      if (stageRows[i]) stageRows[i][row[2] as 'duration' | 'target'] = message
      fields.stages ??= `Fix stage ${i + 1}`
    } else {
      fields[names[key] ?? whole] = message
    }
  }
  return { fields, stageRows }
}
