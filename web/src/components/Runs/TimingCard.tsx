import type { RunSummary } from '../../client/api'
import { formatCount, formatMs } from '../../lib/format'
import { Card } from '../ui/Card'
import { RowHeader, Td, Th } from '../ui/Table'

type Totals = RunSummary['totals']

/** The phases a request's time splits into; connect and TLS count only new connections. */
const PHASES = [
  { key: 'ttfb_ms', label: 'Waiting (TTFB)', hint: 'request sent → first byte' },
  { key: 'connect_ms', label: 'Connecting (TCP)', hint: 'new connections' },
  { key: 'tls_ms', label: 'TLS handshake', hint: 'new https connections' },
] as const satisfies readonly { key: keyof Totals; label: string; hint: string }[]

/** Where request time went, by phase; phases the run never measured (TLS on http) are left out. */
export function TimingCard({ totals }: { totals: Totals }) {
  // A falsy check: results stored before the phases existed lack the keys altogether.
  const rows = PHASES.flatMap((p) => {
    const ms = totals[p.key]
    return ms ? [{ ...p, ms }] : []
  })
  const skipped = totals.assets_skipped ?? 0
  if (rows.length === 0 && skipped === 0) return null
  return (
    <Card title="Timing breakdown">
      {rows.length > 0 && (
        // Not a TableContainer: this table is narrow enough that on phones the names wrap instead.
        <table aria-label="Timing by phase" className="w-full max-w-2xl border-collapse text-left text-sm">
          <thead>
            <tr><Th>Phase</Th><Th numeric>p50</Th><Th numeric>p95</Th><Th numeric>p99</Th></tr>
          </thead>
          <tbody>
            {rows.map(({ key, label, hint, ms }) => (
              <tr key={key}>
                <RowHeader>
                  <span className="block">{label}</span>
                  <span className="block text-xs font-normal text-slate-500 dark:text-slate-400">{hint}</span>
                </RowHeader>
                <Td numeric className="whitespace-nowrap">{formatMs(ms.p50)}</Td>
                <Td numeric className="whitespace-nowrap font-medium">{formatMs(ms.p95)}</Td>
                <Td numeric className="whitespace-nowrap">{formatMs(ms.p99)}</Td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {skipped > 0 && (
        <p className="mt-3 text-sm text-slate-500 first:mt-0 dark:text-slate-400">
          {formatCount(skipped)} off-scope {skipped === 1 ? 'asset' : 'assets'} not fetched
        </p>
      )}
    </Card>
  )
}
