import type { RunSummary } from '../../client/api'
import { formatCount, formatDuration, formatMs, formatPercent, formatRate } from '../../lib/format'
import { Card } from '../ui/Card'
import { EmptyState } from '../ui/Feedback'
import { Pill } from '../ui/Pill'
import { Stat } from '../ui/Stat'
import { StepsTable } from './StepsTable'

/** Headline numbers of a finished run: the tiles people read first. */
export function SummaryTotals({ summary }: { summary: RunSummary }) {
  const t = summary.totals
  return (
    <dl className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-6" aria-label="Run totals">
      <Stat label="Requests" value={formatCount(t.requests)} tone={t.dropped_iterations > 0 ? 'bad' : 'default'}
        hint={t.dropped_iterations > 0 ? `${formatCount(t.dropped_iterations)} iterations dropped` : `in ${formatDuration(summary.duration_s)}`} />
      <Stat label="Throughput" value={formatRate(t.rps)} hint="average" />
      <Stat label="Error rate" value={formatPercent(t.error_rate)} hint={`${formatCount(t.errors)} errors`}
        tone={t.error_rate > 0.01 ? 'bad' : t.requests > 0 ? 'good' : 'default'} />
      <Stat label="p50" value={formatMs(t.latency_ms.p50)} hint={`mean ${formatMs(t.latency_ms.mean)}`} />
      <Stat label="p95" value={formatMs(t.latency_ms.p95)} hint={t.latency_uncorrected_ms
        ? `${formatMs(t.latency_uncorrected_ms.p95)} uncorrected` : `p90 ${formatMs(t.latency_ms.p90)}`} />
      <Stat label="p99" value={formatMs(t.latency_ms.p99)} hint={`max ${formatMs(t.latency_ms.max)}`} />
    </dl>
  )
}

/** Pass/fail per threshold with the observed value: the verdict, when thresholds were set. */
export function ThresholdsCard({ summary }: { summary: RunSummary }) {
  if (summary.thresholds.length === 0) return null
  const failed = summary.thresholds.filter((t) => !t.passed).length
  return (
    <Card title={failed ? `Thresholds: ${failed} failed` : 'Thresholds: all passed'}>
      <ul className="grid gap-2" aria-label="Thresholds">
        {[...summary.thresholds].sort((a, b) => Number(a.passed) - Number(b.passed)).map((t) => (
          <li key={t.expression} className="flex items-center justify-between gap-3 text-sm">
            <span className="flex min-w-0 items-center gap-2">
              <span aria-hidden className={t.passed ? 'text-emerald-600 dark:text-emerald-400' : 'text-rose-600 dark:text-rose-400'}>
                {t.passed ? '✓' : '✕'}
              </span>
              <code className="truncate font-mono text-xs">{t.expression}</code>
              <span className="sr-only">{t.passed ? 'passed' : 'failed'}</span>
              {t.partial && <Pill title="Judged on partial data: a load process or node was lost mid-run">partial data</Pill>}
            </span>
            <span className="shrink-0 tabular-nums text-slate-500 dark:text-slate-400">
              observed {t.observed_text || '–'}
            </span>
          </li>
        ))}
      </ul>
    </Card>
  )
}

export function StepsCard({ summary }: { summary: RunSummary }) {
  return (
    <Card title={`Steps (${summary.steps.length})`}>
      {summary.steps.length ? <StepsTable steps={summary.steps} />
        : <EmptyState title="No steps were loaded">The run ended before any request was sent.</EmptyState>}
    </Card>
  )
}

export function ErrorsCard({ summary }: { summary: RunSummary }) {
  const errors = [...summary.errors].sort((a, b) => b.count - a.count)
  return (
    <Card title={`Errors (${formatCount(summary.totals.errors)})`}>
      {errors.length === 0 ? (
        <p className="flex items-center gap-2 text-sm text-emerald-700 dark:text-emerald-400">
          <span aria-hidden>✓</span> No errors: every request got the response it expected.
        </p>
      ) : (
        <ul className="divide-y divide-slate-100 dark:divide-slate-800" aria-label="Errors by step and kind">
          {errors.map((e) => (
            <li key={`${e.flow}/${e.step}/${e.kind}`} className="py-2.5 first:pt-0 last:pb-0">
              <div className="flex items-baseline justify-between gap-3">
                <span className="min-w-0 break-words">
                  <span className="font-mono text-sm font-medium text-rose-700 dark:text-rose-300">{e.kind}</span>
                  {e.step && <span className="ml-2 text-sm text-slate-600 dark:text-slate-300">{e.flow} / {e.step}</span>}
                </span>
                <span className="shrink-0 text-sm tabular-nums text-slate-600 dark:text-slate-300">{formatCount(e.count)}×</span>
              </div>
              {(e.message || e.example) && (
                <p className="mt-1 line-clamp-3 text-xs break-words text-slate-500 dark:text-slate-400">{e.message || e.example}</p>
              )}
              {e.url && <p className="mt-0.5 font-mono text-xs [overflow-wrap:anywhere] text-slate-400">{e.url}</p>}
            </li>
          ))}
        </ul>
      )}
    </Card>
  )
}

/** Why exploring stopped (DiscoveryReport.stop_reason). */
const STOPPED: Record<string, string> = {
  time_budget: 'time budget used',
  page_limit: 'page limit reached',
  explored: 'nothing left to explore',
}

export function DiscoveryCard({ summary }: { summary: RunSummary }) {
  const d = summary.discovery
  const failed = d.verification.filter((v) => !v.passed)
  return (
    <Card title="Discovery">
      <dl className="grid grid-cols-2 gap-x-4 gap-y-2 text-sm sm:grid-cols-3">
        {([['Pages', d.pages], ['URL patterns', d.patterns.length], ['Forms', d.forms], ['API calls', d.api_calls],
          ['Flows', d.flows], ['Time', d.budget_s ? `${formatDuration(d.duration_s)} of ${formatDuration(d.budget_s)}` : formatDuration(d.duration_s)],
          ...(d.stop_reason ? [['Stopped', STOPPED[d.stop_reason] ?? d.stop_reason] as const] : [])] as const).map(([label, v]) => (
          <div key={label} className="min-w-0">
            <dt className="text-xs text-slate-500 dark:text-slate-400">{label}</dt>
            <dd className="font-semibold tabular-nums">{v}</dd>
          </div>
        ))}
      </dl>
      {d.verification.length > 0 && (
        <p className="mt-4 text-sm">
          <span className={failed.length ? 'text-amber-700 dark:text-amber-400' : 'text-emerald-700 dark:text-emerald-400'}>
            {d.verification.length - failed.length} of {d.verification.length} flows replayed faithfully
          </span>
          {failed.length > 0 && <span className="text-slate-500">: {failed.map((f) => f.flow).join(', ')} did not.</span>}
        </p>
      )}
      {d.coverage.length > 0 && (
        <details className="mt-4 text-sm">
          <summary className="cursor-pointer font-medium text-slate-700 dark:text-slate-300">Where the time went</summary>
          <ul className="mt-2 grid gap-1 text-xs text-slate-600 dark:text-slate-400">
            {d.coverage.map((c) => (
              <li key={c.pattern} className="flex justify-between gap-3">
                <span className="font-mono [overflow-wrap:anywhere]">{c.pattern}</span>
                <span className="shrink-0 tabular-nums">{c.pages} {c.pages === 1 ? 'page' : 'pages'}{c.plain_pages ? ` (${c.plain_pages} over plain HTTP)` : ''} · {formatDuration(c.seconds)}</span>
              </li>
            ))}
          </ul>
        </details>
      )}
      {d.patterns.length > 0 && (
        <details className="mt-4 text-sm">
          <summary className="cursor-pointer font-medium text-slate-700 dark:text-slate-300">URL patterns</summary>
          <ul className="mt-2 grid gap-1 font-mono text-xs text-slate-600 dark:text-slate-400">
            {d.patterns.map((p) => <li key={p} className="[overflow-wrap:anywhere]">{p}</li>)}
          </ul>
        </details>
      )}
      {d.skipped.length > 0 && (
        <details className="mt-3 text-sm">
          <summary className="cursor-pointer font-medium text-slate-700 dark:text-slate-300">
            Skipped actions ({d.skipped.length})
          </summary>
          <ul className="mt-2 grid gap-1.5 text-xs">
            {d.skipped.map((s, i) => (
              <li key={`${s.method} ${s.url} ${i}`}>
                <span className="font-mono [overflow-wrap:anywhere]">{s.method} {s.url}</span>
                <span className="text-slate-500 dark:text-slate-400"> — {s.reason}</span>
              </li>
            ))}
          </ul>
        </details>
      )}
    </Card>
  )
}
