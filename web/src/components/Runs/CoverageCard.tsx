import type { RunSummary } from '../../client/api'
import { formatCount, formatMs, formatPercent } from '../../lib/format'
import { screenshotUrl, thumbnailName } from '../../lib/thumbnails'
import { Card } from '../ui/Card'
import { RowHeader, TableContainer, Td, Th } from '../ui/Table'

type Realism = NonNullable<RunSummary['realism']>

const baseName = (path: string) => path.split(/[\\/]/).pop() ?? path

/** Where the journeys' load went: each page pattern's share against the model's, how many
 * distinct URLs it got (one URL taking most is a cache benchmark), its latency; then each
 * journey's funnel. Shown for runs with journeys. */
export function CoverageCard({ realism, runId, screenshots }: { realism: Realism; runId: number; screenshots: string[] }) {
  const shots = new Set(screenshots.map(baseName))
  return (
    <Card title="Load coverage (journeys)">
      <TableContainer label="Load coverage per page pattern">
        <thead><tr>
          <Th>Page pattern</Th><Th numeric>Requests</Th><Th numeric>Share</Th><Th numeric>Model</Th>
          <Th numeric>Distinct URLs</Th><Th numeric>Top URL</Th><Th numeric>p50</Th><Th numeric>p95</Th><Th numeric>Errors</Th>
        </tr></thead>
        <tbody>
          {realism.patterns.map((p) => {
            const thumb = thumbnailName(p.pattern)
            return (
              <tr key={`${p.journey}-${p.name}`} data-testid="coverage-row">
                <RowHeader>
                  <span className="flex items-center gap-2">
                    {shots.has(thumb) && (
                      <img src={screenshotUrl(runId, thumb)} alt={`Screenshot of page ${p.pattern}`} loading="lazy" width={48} height={30}
                        className="h-8 w-12 rounded border border-slate-200 object-cover object-top dark:border-slate-700" />
                    )}
                    <code className="font-mono text-xs" title={p.name}>{p.pattern}</code>
                  </span>
                </RowHeader>
                <Td numeric>{formatCount(p.requests)}</Td>
                <Td numeric className={p.off_model ? 'font-semibold text-rose-600 dark:text-rose-400' : undefined}>
                  <span title={p.off_model ? 'More than 20% away from the model' : undefined}>{formatPercent(p.share)}</span>
                </Td>
                <Td numeric>{formatPercent(p.model_share)}</Td>
                <Td numeric>{formatCount(p.distinct_urls)}</Td>
                <Td numeric><span title={p.top_url}>{p.requests ? formatPercent(p.top_url_share) : '–'}</span></Td>
                <Td numeric>{formatMs(p.p50_ms)}</Td>
                <Td numeric>{formatMs(p.p95_ms)}</Td>
                <Td numeric>{formatCount(p.errors)}</Td>
              </tr>
            )
          })}
        </tbody>
      </TableContainer>
      {realism.journeys.map((j) => (
        <section key={j.name} className="mt-4" aria-label={`Journey ${j.name}`}>
          <h3 className="text-sm font-semibold">Journey “{j.name}”</h3>
          <p className="text-xs text-slate-500 dark:text-slate-400">
            {formatCount(j.sessions)} sessions · median {j.median_pages} pages (model mean {j.model_mean_pages.toFixed(1)})
            {j.search_hit_rate !== null && ` · searches found results ${formatPercent(j.search_hit_rate)} of ${formatCount(j.searches)}`}
          </p>
          <ol className="mt-2 grid gap-1" aria-label="Funnel">
            {j.funnel.map((f) => (
              <li key={f.state} className="grid grid-cols-[minmax(0,12rem)_1fr_auto] items-center gap-2 text-xs">
                <code className="truncate font-mono" title={f.state}>{f.state}</code>
                <span className="h-2 rounded bg-slate-100 dark:bg-slate-800" aria-hidden>
                  <span className="block h-2 rounded bg-indigo-500" style={{ width: `${Math.round(f.reached * 100)}%` }} />
                </span>
                <span className="tabular-nums text-slate-600 dark:text-slate-300">{formatPercent(f.reached)} reached · {formatCount(f.exits)} exits</span>
              </li>
            ))}
          </ol>
        </section>
      ))}
      {realism.unloaded_patterns.length > 0 && (
        <p className="mt-3 text-xs text-amber-700 dark:text-amber-400">
          Found by discovery, no load: {realism.unloaded_patterns.join(', ')}
        </p>
      )}
      {realism.warnings.map((w) => <p key={w} className="mt-1 text-xs text-rose-600 dark:text-rose-400">{w}</p>)}
    </Card>
  )
}
