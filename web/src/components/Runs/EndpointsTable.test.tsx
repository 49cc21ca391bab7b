import { render, screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { expect, test } from 'vitest'
import type { EndpointSummary } from '../../client/api'
import { latency, summary } from '../../test/fixtures'
import { filterEndpoints } from '../../lib/endpoints'
import { EndpointsCard } from './EndpointsTable'

const endpoint = (method: string, pattern: string, requests: number, p95: number | null, samples = requests): EndpointSummary => ({
  method, pattern, requests, errors: 0, error_rate: 0, latency_ms: { ...latency(1, p95 ?? 0), p95 }, samples, low_sample: samples < 20,
})

const endpoints = [endpoint('GET', '/items/{id}', 120, 9), endpoint('POST', '/cart/add', 3, 40), endpoint('GET', '/search?q={}', 20, 30)]

test('filters by method or pattern and sorts busiest or slowest first', () => {
  expect(filterEndpoints(endpoints, '', 'requests').map((e) => e.pattern)).toEqual(['/items/{id}', '/search?q={}', '/cart/add'])
  expect(filterEndpoints(endpoints, '', 'p95').map((e) => e.pattern)).toEqual(['/cart/add', '/search?q={}', '/items/{id}'])
  expect(filterEndpoints(endpoints, 'post cart', 'requests').map((e) => e.pattern)).toEqual(['/cart/add'])
})

test('rows, a totals row and the few-samples flag; the filter narrows the rows', async () => {
  const user = userEvent.setup()
  render(<EndpointsCard summary={{ ...summary, endpoints }} />)
  expect(screen.getAllByTestId('endpoint-row')).toHaveLength(3)
  const cart = screen.getAllByTestId('endpoint-row')[2]
  expect(within(cart).getByText('few samples')).toHaveAttribute('title', expect.stringContaining('Only 3 responses'))
  expect(within(screen.getAllByTestId('endpoint-row')[0]).queryByText('few samples')).toBeNull()
  expect(within(screen.getByTestId('endpoint-total')).getAllByRole('cell')[0]).toHaveTextContent(String(summary.totals.requests))
  await user.type(screen.getByRole('searchbox', { name: 'Filter endpoints' }), 'search')
  expect(screen.getAllByTestId('endpoint-row').map((r) => r.textContent)).toEqual([expect.stringContaining('/search?q={}')])
})

test('a run without endpoints shows no card', () => {
  const { container } = render(<EndpointsCard summary={{ ...summary, endpoints: [] }} />)
  expect(container).toBeEmptyDOMElement()
})
