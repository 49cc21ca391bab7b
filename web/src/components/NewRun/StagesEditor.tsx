import type { StageRow, StageRowErrors } from '../../lib/loadProfile'
import { Button } from '../ui/Button'
import { Field } from '../ui/Field'

/** An editable list of ramping stages: each row moves linearly to its target users over its duration. */
export function StagesEditor({ rows, rowErrors, onChange, showErrors, error }: {
  rows: StageRow[]
  /** The server's reading of each row (POST /profiles/preview). */
  rowErrors: StageRowErrors[]
  onChange: (rows: StageRow[]) => void
  showErrors: boolean
  error?: string
}) {
  const update = (i: number, patch: Partial<StageRow>) => onChange(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)))
  return (
    <fieldset className="min-w-0">
      <legend className="text-sm font-medium text-slate-700 dark:text-slate-300">Stages</legend>
      <p className="mt-0.5 text-xs text-slate-500 dark:text-slate-400">From 0 users, each stage moves linearly to its target. Durations like 30s, 2m or 1h30m.</p>
      <ol className="mt-2 grid gap-2">
        {rows.map((row, i) => (
          <li key={i} className="grid grid-cols-[1fr_1fr_auto] items-start gap-2">
            <Field label={`Stage ${i + 1} duration`} spellCheck={false} placeholder="30s" name={`stage-${i}-duration`}
              value={row.duration} onChange={(e) => update(i, { duration: e.target.value })}
              error={showErrors ? rowErrors[i]?.duration : undefined} />
            <Field label={`Stage ${i + 1} target users`} type="number" inputMode="numeric" min={0} step={1} name={`stage-${i}-target`}
              value={row.target} onChange={(e) => update(i, { target: e.target.value })}
              error={showErrors ? rowErrors[i]?.target : undefined} />
            <Button variant="ghost" className="mt-6 px-2.5" aria-label={`Remove stage ${i + 1}`} disabled={rows.length === 1}
              onClick={() => onChange(rows.filter((_, j) => j !== i))}>✕</Button>
          </li>
        ))}
      </ol>
      <div className="mt-2 flex flex-wrap items-center gap-3">
        <Button variant="secondary" onClick={() => onChange([...rows, { duration: '30s', target: rows.at(-1)?.target ?? '10' }])}>
          Add stage
        </Button>
        {error && <p role="status" className="text-xs text-rose-600 dark:text-rose-400">{error}</p>}
      </div>
    </fieldset>
  )
}
