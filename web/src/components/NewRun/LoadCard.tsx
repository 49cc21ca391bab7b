import type { ReactNode } from 'react'
import { DURATION_HINT, PROFILE_KINDS } from '../../lib/loadProfile'
import type { ProfileKind, StageRow, StageRowErrors } from '../../lib/loadProfile'
import type { RunFormValues } from '../../lib/runForm'
import { Card } from '../ui/Card'
import { cx } from '../ui/cx'
import { Field } from '../ui/Field'
import type { Bind } from './bindings'
import { StagesEditor } from './StagesEditor'

/** Load shape: a profile kind (radio group), its own fields, and think time that applies to all kinds. */
export function LoadCard({ values, text, setProfile, setStages, stagesError, stageRowErrors, showStageErrors, shapeEditor }: {
  values: RunFormValues
  text: Bind
  setProfile: (kind: ProfileKind) => void
  setStages: (rows: StageRow[]) => void
  stagesError?: string
  stageRowErrors: StageRowErrors[]
  showStageErrors: boolean
  /** The custom-shape editor, shown for that profile. */
  shapeEditor: ReactNode
}) {
  return (
    <Card title="Load">
      <fieldset>
        <legend className="text-sm font-medium text-slate-700 dark:text-slate-300">Load profile</legend>
        <div className="mt-1.5 grid gap-2 sm:grid-cols-2">
          {PROFILE_KINDS.map(({ kind, label, hint }) => (
            <label key={kind} className={cx(
              'flex cursor-pointer gap-2.5 rounded-lg border p-3 text-sm has-focus-visible:outline-2 has-focus-visible:outline-indigo-500',
              values.profile === kind
                ? 'border-indigo-500 bg-indigo-50 dark:border-indigo-400 dark:bg-indigo-950/40'
                : 'border-slate-200 hover:border-slate-300 dark:border-slate-700',
            )}>
              <input type="radio" name="profile" value={kind} checked={values.profile === kind}
                onChange={() => setProfile(kind)} className="mt-0.5 size-4 shrink-0 accent-indigo-600" />
              <span>
                <span className="font-medium">{label}</span>
                <span className="block text-xs text-slate-500 dark:text-slate-400">{hint}</span>
              </span>
            </label>
          ))}
        </div>
      </fieldset>
      <div className="mt-4 grid gap-4 sm:grid-cols-3">
        {values.profile === 'constant' && <>
          <Field label="Virtual users" type="number" inputMode="numeric" min={1} step={1} {...text('users')} />
          <Field label="Duration" spellCheck={false} hint={DURATION_HINT} {...text('duration_s')} />
          <Field label="Ramp-up" spellCheck={false} hint="Users start evenly over this time." {...text('ramp_up_s')} />
        </>}
        {values.profile === 'stages' && (
          <div className="sm:col-span-3">
            <StagesEditor rows={values.stages} rowErrors={stageRowErrors} onChange={setStages} showErrors={showStageErrors} error={stagesError} />
          </div>
        )}
        {values.profile === 'shape' && <div className="sm:col-span-3">{shapeEditor}</div>}
        {values.profile === 'arrival' && <>
          <Field label="Rate" type="number" inputMode="decimal" min={0} step="any" suffix="/s"
            hint="Iterations started per second." {...text('arrival_rate')} />
          <Field label="Duration" spellCheck={false} hint={DURATION_HINT} {...text('duration_s')} />
          <Field label="Max users" type="number" inputMode="numeric" min={1} step={1}
            hint="Cap on users running at once." {...text('max_users')} />
        </>}
        <Field label="Think time, min" type="number" inputMode="decimal" min={0} step={0.1} suffix="s" {...text('think_time_min_s')} />
        <Field label="Think time, max" type="number" inputMode="decimal" min={0} step={0.1} suffix="s"
          hint="Pause between steps, picked at random." {...text('think_time_max_s')} />
      </div>
    </Card>
  )
}
