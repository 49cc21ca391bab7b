import { render, screen, within } from '@testing-library/react'
import { expect, test } from 'vitest'
import { clusterSummary, node, summary } from '../../test/fixtures'
import { NodesCard, PartialNotice } from './NodesCard'

test('one row per node: its share, requests, errors and CPU seconds; the lost one marked with when', () => {
  render(<NodesCard summary={clusterSummary} />)
  expect(screen.getByRole('heading', { name: 'Per node (3, 1 lost)' })).toBeInTheDocument()
  const table = screen.getByRole('region', { name: 'Per-node results' })
  expect(within(table).getAllByRole('columnheader').map((th) => th.textContent))
    .toEqual(['Node', 'Share', 'Requests', 'Errors', 'CPU s', 'Outcome'])
  const rows = screen.getAllByTestId('node-row')
  expect(rows.map((r) => within(r).getAllByRole('cell').map((c) => c.textContent))).toEqual([
    ['users 3 of 72 CPUs', '61', '1', '3.3', 'finished'],
    ['users 2 of 72 CPUs', '20', '0', '0.9', 'lost at 4.2 s'],
    ['users 2 of 72 CPUs', '62', '2', '12.5', 'finished'],
  ])
  expect(within(rows[0]).getByRole('rowheader')).toHaveTextContent('Node 110.0.0.1')
  expect(rows.map((r) => r.hasAttribute('data-lost'))).toEqual([false, true, false])
  expect(rows[1]).toHaveClass('bg-rose-50')
  expect(rows[0]).not.toHaveClass('bg-rose-50')
  expect(screen.getByText(/what it sent after that is not/)).toBeInTheDocument()
})

test('a cluster run where every node finished has no lost marks', () => {
  render(<NodesCard summary={{ ...summary, nodes: [node(1), node(2), node(3)] }} />)
  expect(screen.getByRole('heading', { name: 'Per node (3)' })).toBeInTheDocument()
  expect(screen.queryByText(/lost/)).not.toBeInTheDocument()
})

test('the reason a run is partial is shown with the lost node in the title', () => {
  render(<PartialNotice summary={clusterSummary} />)
  const notice = screen.getByRole('status')
  expect(notice).toHaveTextContent('Partial results: node 2 (10.0.0.2) was lost at 4.2 s')
  expect(screen.getByTestId('partial-reason')).toHaveTextContent(clusterSummary.reason)
  expect(notice).toHaveTextContent('Thresholds were judged on what the rest reported.')
})

test('a local run that lost a worker process is partial too, without nodes', () => {
  const reason = 'worker process 2 of 4 was lost at 3.0 s (exit code -9; its share: users 2 of 8): partial results'
  render(<PartialNotice summary={{ ...summary, partial: true, reason }} />)
  expect(screen.getByRole('status')).toHaveTextContent(`Partial results${reason}`)
})

test('nothing for a run without nodes or lost processes', () => {
  const { container } = render(<><NodesCard summary={summary} /><PartialNotice summary={summary} /></>)
  expect(container).toBeEmptyDOMElement()
})
