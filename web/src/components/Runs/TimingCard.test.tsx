import { render, screen, within } from '@testing-library/react'
import { expect, test } from 'vitest'
import { latency, summary } from '../../test/fixtures'
import { TimingCard } from './TimingCard'

const totals = (over: Partial<typeof summary.totals>) => ({ ...summary.totals, ...over })
const rowOf = (name: RegExp) => screen.getByRole('rowheader', { name }).closest('tr') as HTMLElement

test('lists p50, p95 and p99 of each measured phase', () => {
  render(<TimingCard totals={totals({ ttfb_ms: latency(2.5, 9), connect_ms: latency(0.4, 1.2), tls_ms: latency(3, 140) })} />)
  const table = screen.getByRole('table', { name: 'Timing by phase' })
  expect(within(table).getAllByRole('columnheader').map((h) => h.textContent)).toEqual(['Phase', 'p50', 'p95', 'p99'])
  expect(within(rowOf(/Waiting \(TTFB\)/)).getAllByRole('cell').map((c) => c.textContent)).toEqual(['2.5 ms', '9 ms', '9 ms'])
  expect(within(rowOf(/Connecting \(TCP\)/)).getAllByRole('cell').map((c) => c.textContent)).toEqual(['0.4 ms', '1.2 ms', '1.2 ms'])
  expect(within(rowOf(/TLS handshake/)).getAllByRole('cell').map((c) => c.textContent)).toEqual(['3 ms', '140 ms', '140 ms'])
  expect(screen.queryByText(/not fetched/)).not.toBeInTheDocument()
})

test('phases without a summary are left out (no TLS on an http target)', () => {
  render(<TimingCard totals={totals({ ttfb_ms: latency(2, 5), connect_ms: latency(1, 1), tls_ms: null })} />)
  expect(screen.getAllByRole('rowheader').map((h) => h.textContent)).toEqual([
    expect.stringContaining('Waiting (TTFB)'), expect.stringContaining('Connecting (TCP)'),
  ])
  expect(screen.queryByText('TLS handshake')).not.toBeInTheDocument()
})

test('notes the off-scope assets that were not fetched', () => {
  render(<TimingCard totals={totals({ ttfb_ms: latency(2, 5), assets_skipped: 12 })} />)
  expect(screen.getByText('12 off-scope assets not fetched')).toBeInTheDocument()
})

test('the note alone, when no phase was measured but assets were skipped', () => {
  render(<TimingCard totals={totals({ assets_skipped: 1 })} />)
  expect(screen.queryByRole('table')).not.toBeInTheDocument()
  expect(screen.getByText('1 off-scope asset not fetched')).toBeInTheDocument()
})

test('renders nothing when there is nothing to break down', () => {
  const { container } = render(<TimingCard totals={summary.totals} />)
  expect(container).toBeEmptyDOMElement()
})
