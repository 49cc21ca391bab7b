import type { FlowSet } from '../../client/api'
import type { Thumbnail } from '../../lib/thumbnails'
import { flowThumbnails, screenshotUrl } from '../../lib/thumbnails'
import { Card } from '../ui/Card'
import { MethodBadge } from '../ui/MethodBadge'

/** The flows discovery recorded (the FlowSet the load engine replays), each with its steps
 * and a thumbnail of its page when discovery took one. */
export function FlowsCard({ flowset, runId, screenshots = [] }: { flowset: FlowSet; runId?: number; screenshots?: string[] }) {
  const total = flowset.flows.reduce((sum, f) => sum + f.weight, 0) || 1
  const thumbs = runId === undefined ? new Map<string, Thumbnail>() : flowThumbnails(flowset, screenshots)
  return (
    <Card title={`Flows (${flowset.flows.length})`}>
      <ul className="grid gap-2">
        {flowset.flows.map((flow, i) => (
          <li key={flow.name}>
            <details open={i === 0} className="group rounded-lg border border-slate-200 dark:border-slate-800">
              <summary className="flex cursor-pointer list-none items-center gap-3 rounded-lg px-3 py-2 hover:bg-slate-50 dark:hover:bg-slate-800/40">
                {runId !== undefined && thumbs.has(flow.name) && <PageThumb runId={runId} thumb={thumbs.get(flow.name)!} />}
                <span className="flex min-w-0 flex-1 flex-wrap items-center justify-between gap-x-3 gap-y-0.5">
                  <span className="min-w-0 max-w-full truncate font-medium">{flow.name}</span>
                  <span className="shrink-0 text-xs text-slate-500 dark:text-slate-400">
                    {flow.steps.length} step{flow.steps.length === 1 ? '' : 's'} · {Math.round((flow.weight / total) * 100)}% of users
                    <span aria-hidden className="ml-2 inline-block transition-transform group-open:rotate-180">▾</span>
                  </span>
                </span>
              </summary>
              <ol className="grid gap-1.5 border-t border-slate-100 px-3 py-2 dark:border-slate-800">
                {flow.steps.map((step, n) => (
                  <li key={`${step.name}-${n}`} className="flex min-w-0 items-center gap-2 text-sm">
                    <span className="w-5 shrink-0 text-right text-xs tabular-nums text-slate-400">{n + 1}</span>
                    <MethodBadge method={step.method ?? 'GET'} />
                    <span className="min-w-0 truncate font-mono text-xs" title={step.url}>{step.url}</span>
                    {(step.extract?.length ?? 0) > 0 && (
                      <span className="shrink-0 rounded bg-violet-100 px-1.5 py-0.5 text-[10px] font-medium text-violet-800 dark:bg-violet-950 dark:text-violet-300"
                        title={`Extracts ${step.extract?.map((e) => e.name).join(', ')}`}>
                        extracts {step.extract?.length}
                      </span>
                    )}
                  </li>
                ))}
              </ol>
            </details>
          </li>
        ))}
      </ul>
    </Card>
  )
}

function PageThumb({ runId, thumb }: { runId: number; thumb: Thumbnail }) {
  const url = screenshotUrl(runId, thumb.name)
  return (
    <a href={url} target="_blank" rel="noreferrer" className="shrink-0" title={`Open the screenshot of ${thumb.pattern}`}
      onClick={(e) => e.stopPropagation()}>
      <img src={url} alt={`Screenshot of page ${thumb.pattern}`} loading="lazy" decoding="async" width={64} height={40}
        className="h-10 w-16 rounded border border-slate-200 bg-slate-100 object-cover object-top dark:border-slate-700 dark:bg-slate-800"
        data-testid="page-thumbnail" />
    </a>
  )
}
