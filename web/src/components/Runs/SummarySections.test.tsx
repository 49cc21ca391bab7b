import { render, screen, within } from '@testing-library/react'
import { expect, test } from 'vitest'
import { clusterSummary, summary } from '../../test/fixtures'
import { DiscoveryCard, ThresholdsCard } from './SummarySections'

test('skipped actions break only their URL anywhere, never the reason mid-word', () => {
  const skipped = [{ method: 'POST', url: 'http://127.0.0.1:8001/items/1/delete?confirm=yes', reason: 'destructive action' }]
  render(<DiscoveryCard summary={{ ...summary, discovery: { ...summary.discovery, skipped } }} />)
  const url = screen.getByText('POST http://127.0.0.1:8001/items/1/delete?confirm=yes')
  expect(url).toHaveClass('[overflow-wrap:anywhere]')
  const item = url.closest('li')!
  expect(item).not.toHaveClass('break-all')
  expect(item).toHaveTextContent('— destructive action')
})

test('says why exploring stopped, against its budget, and where the time went', () => {
  const discovery = {
    ...summary.discovery, duration_s: 60, budget_s: 60, stop_reason: 'time_budget',
    coverage: [{ pattern: '/items/{num}', pages: 12, seconds: 31, plain_pages: 10 }, { pattern: '/about', pages: 1, seconds: 2, plain_pages: 0 }],
  }
  render(<DiscoveryCard summary={{ ...summary, discovery }} />)
  expect(screen.getByText('Stopped').nextSibling).toHaveTextContent('time budget used')
  expect(screen.getByText('Time').nextSibling).toHaveTextContent(/ of /)
  expect(screen.getByText('/items/{num}').closest('li')).toHaveTextContent('12 pages (10 over plain HTTP)')
  expect(screen.getByText('/about').closest('li')).not.toHaveTextContent('plain HTTP')
})

test('thresholds judged on partial data say so; whole-run thresholds do not', () => {
  const { unmount } = render(<ThresholdsCard summary={clusterSummary} />)
  const items = within(screen.getByRole('list', { name: 'Thresholds' })).getAllByRole('listitem')
  expect(items).toHaveLength(2)
  for (const item of items) expect(item).toHaveTextContent('partial data')
  unmount()
  const whole = clusterSummary.thresholds.map((t) => ({ ...t, partial: false }))
  render(<ThresholdsCard summary={{ ...summary, thresholds: whole }} />)
  expect(screen.getByRole('list', { name: 'Thresholds' })).not.toHaveTextContent('partial data')
})
