import { formatDuration, formatTimestamp } from '../../lib/format'
import { STAGES, isFinal, outcomeOf, statusLabel } from '../../lib/status'
import type { RunStatus } from '../../lib/status'
import type { StageTimes } from '../../lib/timeline'
import { cx } from '../ui/cx'

/**
 * queued → discovering → loading → completed | failed | cancelled, with how long each stage took
 * (from the run's events). A run that ended early marks the stage it stopped in; later stages
 * stay grey.
 */
export function StatusTimeline({ status, times, fallbackStoppedIn }: {
  status: RunStatus
  times?: StageTimes
  /** Where an ended run stopped when its events are not loaded yet. */
  fallbackStoppedIn?: string
}) {
  const stoppedIn = times?.stoppedIn ?? fallbackStoppedIn
  const final = isFinal(status) ? status : undefined
  const reached = final ? stageReached(final, stoppedIn) : STAGES.indexOf(status)
  const steps = [...STAGES.map((s) => ({ key: s, label: statusLabel(s) })),
    { key: final ?? 'end', label: final ? statusLabel(final) : 'Done' }]
  return (
    <ol aria-label="Run progress" className="flex w-full items-center gap-1 text-xs sm:text-sm">
      {steps.map((step, i) => {
        const isFinalStep = i === STAGES.length
        const done = final ? (isFinalStep || i <= reached) : i < reached
        const current = !final && i === reached
        const tone = isFinalStep && final
          ? outcomeOf(final)
          : done ? 'done' : current ? 'current' : 'todo'
        return (
          <li key={step.key} aria-current={current ? 'step' : undefined}
            className="flex min-w-0 flex-1 items-center gap-1 last:flex-none">
            <span className={cx('flex min-w-0 items-center gap-1.5 font-medium',
              tone === 'todo' && 'text-slate-400 dark:text-slate-600',
              tone === 'current' && 'text-indigo-600 dark:text-indigo-400',
              tone === 'done' && 'text-slate-700 dark:text-slate-300',
              tone === 'good' && 'text-emerald-600 dark:text-emerald-400',
              tone === 'bad' && 'text-rose-600 dark:text-rose-400',
              tone === 'warn' && 'text-amber-600 dark:text-amber-400')}>
              <span aria-hidden className={cx('flex size-5 shrink-0 items-center justify-center rounded-full text-[10px] ring-2',
                tone === 'todo' && 'ring-slate-300 dark:ring-slate-700',
                tone === 'current' && 'animate-pulse bg-indigo-600 ring-indigo-200 dark:ring-indigo-900',
                tone === 'done' && 'bg-slate-700 text-white ring-slate-200 dark:bg-slate-300 dark:text-slate-900 dark:ring-slate-700',
                tone === 'good' && 'bg-emerald-600 text-white ring-emerald-200 dark:ring-emerald-900',
                tone === 'bad' && 'bg-rose-600 text-white ring-rose-200 dark:ring-rose-900',
                tone === 'warn' && 'bg-amber-500 text-white ring-amber-200 dark:ring-amber-900')}>
                {tone === 'bad' ? '✕' : tone === 'warn' ? '–' : done ? '✓' : ''}
              </span>
              <span className="flex min-w-0 flex-col">
                <span className={cx('truncate', !(current || isFinalStep) && 'max-sm:sr-only')}>{step.label}</span>
                <StageNote stage={step.key} times={times} isFinal={isFinalStep} />
              </span>
              {current && <span className="sr-only">(current)</span>}
            </span>
            {i < steps.length - 1 && (
              <span aria-hidden className={cx('mx-1 h-0.5 min-w-3 flex-1 rounded',
                done ? 'bg-slate-400 dark:bg-slate-500' : 'bg-slate-200 dark:bg-slate-800')} />
            )}
          </li>
        )
      })}
    </ol>
  )
}

/** Under a stage: how long it took (or is taking); under the final status: when it ended. */
function StageNote({ stage, times, isFinal }: { stage: string; times?: StageTimes; isFinal: boolean }) {
  const entered = times?.entered[stage]
  if (!entered) return null
  const took = times?.took[stage]
  const text = isFinal ? formatTimestamp(entered) : took != null ? formatDuration(took) : ''
  if (!text) return null
  return (
    <time dateTime={entered} data-testid={`stage-${stage}`}
      className="truncate text-[11px] font-normal text-slate-500 max-sm:sr-only dark:text-slate-400">
      {text}
    </time>
  )
}

/** For an ended run, the last stage it went through (all of them for a run that succeeded). */
function stageReached(final: RunStatus, stoppedIn?: string): number {
  if (outcomeOf(final) === 'good') return STAGES.length - 1
  const i = STAGES.indexOf(stoppedIn as RunStatus)
  return i >= 0 ? i : STAGES.length - 1
}
