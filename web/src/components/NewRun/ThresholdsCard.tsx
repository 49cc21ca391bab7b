import { Button } from '../ui/Button'
import { Card } from '../ui/Card'
import { Field } from '../ui/Field'

/**
 * Pass/fail rules checked against the results, with the option to stop the run on the first
 * failure. The server reads each row (POST /thresholds/check); `rowErrors` is its answer.
 */
export function ThresholdsCard({ rows, rowErrors, onChange, abortOnFail, onAbortChange, showErrors, error, onRowBlur }: {
  rows: string[]
  rowErrors: (string | undefined)[]
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
          Write METRIC OP VALUE, e.g. p95&lt;500ms, p99.9&lt;1s, error_rate&lt;1% or rps&gt;=50. Add <code>[step=NAME]</code> or <code>[flow=NAME]</code> after the metric to narrow it.
        </p>
        {rows.length > 0 && (
          <ol className="mt-3 grid gap-2">
            {rows.map((row, i) => (
              <li key={i} className="grid grid-cols-[1fr_auto] items-start gap-2">
                <Field label={`Threshold ${i + 1}`} placeholder="p95<500ms" name={`threshold-${i}`} value={row}
                  autoComplete="off" spellCheck={false} onBlur={onRowBlur}
                  onChange={(e) => onChange(rows.map((r, j) => (j === i ? e.target.value : r)))}
                  error={showErrors(i) ? rowErrors[i] : undefined} />
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
