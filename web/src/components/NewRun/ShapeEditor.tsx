import { useId } from 'react'
import type { ChangeEvent } from 'react'
import { cx } from '../ui/cx'
import { Spinner } from '../ui/Feedback'
import { buttonClass, inputClass } from '../ui/styles'

export const SHAPE_EXAMPLE = 'duration,users\n30s,10\n2m,50\n30s,0'

/**
 * A custom load shape as text: pasted, or read from a chosen file. The server reads it exactly as
 * `loadscout run --shape` does; its verdict comes back as `error` or as the preview.
 */
export function ShapeEditor({ text, onChange, onBlur, error, checking }: {
  text: string
  onChange: (text: string) => void
  onBlur: () => void
  error?: string
  checking: boolean
}) {
  const id = useId()
  const onFile = async (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0]
    if (file) onChange(await file.text())
    e.target.value = '' // choosing the same file again reloads it
  }
  return (
    <div className="grid min-w-0 gap-1.5">
      <div className="flex flex-wrap items-end justify-between gap-2">
        <label htmlFor={id} className="block text-sm font-medium text-slate-700 dark:text-slate-300">Shape</label>
        <label className={cx(buttonClass('secondary'), 'cursor-pointer py-1.5 has-focus-visible:outline-2 has-focus-visible:outline-indigo-500')}>
          Load file…
          <input type="file" accept=".csv,.yaml,.yml,.json,text/csv,application/yaml" className="sr-only"
            aria-label="Load a shape file" onChange={onFile} />
        </label>
      </div>
      <textarea id={id} name="shape_text" rows={6} spellCheck={false} value={text} placeholder={SHAPE_EXAMPLE}
        onChange={(e) => onChange(e.target.value)} onBlur={onBlur}
        aria-invalid={error ? true : undefined} aria-describedby={`${id}-note`}
        className={cx(inputClass(Boolean(error)), 'font-mono text-xs')} />
      <p id={`${id}-note`} className={cx('min-w-0 break-words text-xs',
        error ? 'text-rose-600 dark:text-rose-400' : 'text-slate-500 dark:text-slate-400')}>
        {checking && !error && <Spinner className="mr-1.5 inline size-3 align-[-2px]" />}
        {error ?? <>CSV rows of <code>duration,users</code> or <code>duration,rate</code>, or a YAML profile
          (<code>kind: stages</code>, <code>spike</code>, <code>ramping_rate</code>…).</>}
      </p>
    </div>
  )
}
