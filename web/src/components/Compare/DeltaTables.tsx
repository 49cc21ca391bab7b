import type { Delta, StepRow, TotalRow } from '../../lib/compare'
import { formatDelta } from '../../lib/compare'
import { formatMs, formatPercent, formatRate } from '../../lib/format'
import { stepLabel } from '../../lib/steps'
import { MethodBadge } from '../ui/MethodBadge'
import { TableContainer, Td, Th } from '../ui/Table'
import { DeltaText } from './DeltaText'

const FMT = { ms: formatMs, rate: formatRate }
type Kind = TotalRow['kind']
const value = (v: number | null, kind: Kind) => (kind === 'ms' ? formatMs(v) : kind === 'rate' ? formatRate(v) : formatPercent(v))

export function TotalsDeltaTable({ rows, a, b }: { rows: TotalRow[]; a: number; b: number }) {
  return (
    <TableContainer label="Totals compared">
      <thead>
        <tr><Th>Metric</Th><Th numeric>#{a}</Th><Th numeric>#{b}</Th><Th numeric>Change</Th></tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.key} data-metric={row.key}>
            <Td className="font-medium">{row.label}</Td>
            <Td numeric>{value(row.delta.a, row.kind)}</Td>
            <Td numeric>{value(row.delta.b, row.kind)}</Td>
            <Td numeric><DeltaText delta={row.delta} text={formatDelta(row.delta, row.kind, FMT)} /></Td>
          </tr>
        ))}
      </tbody>
    </TableContainer>
  )
}

/** One metric of a step: both values on a line, the change under them. */
function Pair({ delta, kind }: { delta: Delta; kind: Kind }) {
  return (
    <div className="flex flex-col items-end gap-0.5">
      <span className="whitespace-nowrap text-slate-700 dark:text-slate-300">{value(delta.a, kind)} → {value(delta.b, kind)}</span>
      <DeltaText delta={delta} text={formatDelta(delta, kind, FMT)} className="text-xs" />
    </div>
  )
}

/** Per-step changes: a table on wide screens, a stacked list on phones. */
export function StepsDeltaTable({ rows, a, b }: { rows: StepRow[]; a: number; b: number }) {
  return (
    <>
      <div className="max-sm:hidden"><StepsGrid rows={rows} a={a} b={b} /></div>
      <StepsList rows={rows} a={a} b={b} />
    </>
  )
}

function StepName({ row, a, b }: { row: StepRow; a: number; b: number }) {
  return (
    <>
      <div className="flex min-w-0 items-center gap-2">
        <MethodBadge method={row.method} />
        <span className="min-w-0 truncate font-mono text-xs" title={row.name}>{stepLabel(row.name, row.method)}</span>
      </div>
      <div className="mt-0.5 truncate text-xs text-slate-500 dark:text-slate-400">
        {row.flow}{row.in !== 'both' && <> · only in #{row.in === 'a' ? a : b}</>}
      </div>
    </>
  )
}

function StepsList({ rows, a, b }: { rows: StepRow[]; a: number; b: number }) {
  const metrics = [['p95', 'p95', 'ms'], ['errorRate', 'Errors', 'percent'], ['rps', 'Req/s', 'rate']] as const
  return (
    <ul aria-label="Steps compared, list" className="-my-2 divide-y divide-slate-100 sm:hidden dark:divide-slate-800">
      {rows.map((row) => (
        <li key={`${row.flow}-${row.name}`} className="py-3">
          <StepName row={row} a={a} b={b} />
          <dl className="mt-2 grid grid-cols-3 gap-2 text-xs">
            {metrics.map(([key, label, kind]) => (
              <div key={key} className="min-w-0">
                <dt className="text-slate-500 dark:text-slate-400">{label}</dt>
                <dd className="tabular-nums" data-testid="pair"><span className="whitespace-nowrap">{value(row[key].a, kind)}</span> <span className="whitespace-nowrap">→ {value(row[key].b, kind)}</span></dd>
                <dd><DeltaText delta={row[key]} text={formatDelta(row[key], kind, FMT)} className="flex-wrap whitespace-normal!" /></dd>
              </div>
            ))}
          </dl>
        </li>
      ))}
    </ul>
  )
}

function StepsGrid({ rows, a, b }: { rows: StepRow[]; a: number; b: number }) {
  return (
    <TableContainer label="Steps compared">
      <thead>
        <tr><Th>Step</Th><Th numeric>p95</Th><Th numeric>Errors</Th><Th numeric>Req/s</Th></tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={`${row.flow}-${row.name}`} data-step={row.name}>
            <Td className="max-w-[16rem]"><StepName row={row} a={a} b={b} /></Td>
            <Td numeric><Pair delta={row.p95} kind="ms" /></Td>
            <Td numeric><Pair delta={row.errorRate} kind="percent" /></Td>
            <Td numeric><Pair delta={row.rps} kind="rate" /></Td>
          </tr>
        ))}
      </tbody>
    </TableContainer>
  )
}
