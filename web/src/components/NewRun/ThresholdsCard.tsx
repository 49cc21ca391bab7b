import { THRESHOLD_HINT, thresholdError } from '../../lib/thresholds'
import { Button } from '../ui/Button'
import { Card } from '../ui/Card'
import { Field } from '../ui/Field'

/** Pass/fail rules checked against the results, with the option to stop the run on the first failure. */
export function ThresholdsCard({ rows, onChange, abortOnFail, onAbortChange, showErrors, error, onRowBlur }: {
  rows: string[]
  onChange: (rows: string[]) => void
  abortOnFail: boolean
  onAbortChange: (value: boolean) => void
  showErrors: (i: number) => boolean
  error?: string
  onRowBlur: () => void
}) {
  return (
    <Card title="Thresholds">
      <fieldset className="min-w-0">
        <legend className="sr-only">Thresholds</legend>
        <p className="text-xs text-slate-500 dark:text-slate-400">
          {THRESHOLD_HINT}. Add <code>[step=NAME]</code> or <code>[flow=NAME]</code> after the metric to narrow it.
        </p>
        {rows.length > 0 && (
          <ol className="mt-3 grid gap-2">
            {rows.map((row, i) => (
              <li key={i} className="grid grid-cols-[1fr_auto] items-start gap-2">
                <Field label={`Threshold ${i + 1}`} placeholder="p95<500ms" name={`threshold-${i}`} value={row}
                  autoComplete="off" spellCheck={false} onBlur={onRowBlur}
                  onChange={(e) => onChange(rows.map((r, j) => (j === i ? e.target.value : r)))}
                  error={showErrors(i) ? thresholdError(row) : undefined} />
                <Button variant="ghost" className="mt-6 px-2.5" aria-label={`Remove threshold ${i + 1}`}
                  onClick={() => onChange(rows.filter((_, j) => j !== i))}>✕</Button>
              </li>
            ))}
          </ol>
        )}
        <div className="mt-3 flex flex-wrap items-center gap-3">
          <Button variant="secondary" onClick={() => onChange([...rows, ''])}>Add threshold</Button>
          {error && <p role="status" className="text-xs text-rose-600 dark:text-rose-400">{error}</p>}
        </div>
        <label className="mt-4 flex items-start gap-3 text-sm">
          <input type="checkbox" name="abort_on_fail" checked={abortOnFail} onChange={(e) => onAbortChange(e.target.checked)}
            className="mt-0.5 size-4 rounded border-slate-300 accent-indigo-600" />
          <span>
            <span className="font-medium">Abort on fail</span>
            <span className="block text-slate-500 dark:text-slate-400">Stop the run as soon as a threshold fails.</span>
          </span>
        </label>
      </fieldset>
    </Card>
  )
}
