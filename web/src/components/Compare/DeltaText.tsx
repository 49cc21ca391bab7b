import type { Delta } from '../../lib/compare'
import { cx } from '../ui/cx'

const TONE: Record<Delta['verdict'], string> = {
  better: 'text-emerald-700 dark:text-emerald-400',
  worse: 'text-rose-700 dark:text-rose-400',
  same: 'text-slate-500 dark:text-slate-400',
  na: 'text-slate-400 dark:text-slate-500',
  few: 'text-slate-400 italic dark:text-slate-500',
}
const WORD: Record<Delta['verdict'], string> = { better: 'better', worse: 'worse', same: 'about the same', na: 'not comparable', few: 'too few samples to judge' }

/** A change, coloured by whether it is good, with the verdict spelled out for screen readers. */
export function DeltaText({ delta, text, className }: { delta: Delta; text: string; className?: string }) {
  // The arrow says which way the number moved; the colour says whether that is good.
  const icon = delta.diff === null ? '' : delta.verdict === 'same' ? '=' : delta.verdict === 'few' ? '?' : delta.diff > 0 ? '▲' : '▼'
  return (
    <span className={cx('relative inline-flex items-center gap-1 whitespace-nowrap tabular-nums font-medium', TONE[delta.verdict], className)}
      data-verdict={delta.verdict} title={WORD[delta.verdict]}>
      {icon && <span aria-hidden className="text-[10px]">{icon}</span>}
      {text}
      <span className="sr-only"> ({WORD[delta.verdict]})</span>
    </span>
  )
}
