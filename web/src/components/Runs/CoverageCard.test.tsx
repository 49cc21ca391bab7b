import { render, screen, within } from '@testing-library/react'
import { expect, test } from 'vitest'
import type { RunSummary } from '../../client/api'
import { CoverageCard } from './CoverageCard'

type Realism = NonNullable<RunSummary['realism']>

const realism: Realism = {
  patterns: [
    { journey: 'browse', name: '/items/{num}', pattern: '/items/{num}', requests: 900, errors: 0, share: 0.45, model_share: 0.3,
      distinct_urls: 212, top_url: '/items/3', top_url_share: 0.021, p50_ms: 4.2, p95_ms: null, off_model: true },
    { journey: 'browse', name: '/', pattern: '/', requests: 300, errors: 2, share: 0.15, model_share: 0.16,
      distinct_urls: 1, top_url: '/', top_url_share: 1, p50_ms: 2, p95_ms: 5, off_model: false },
  ],
  journeys: [{
    name: 'browse', sessions: 300, median_pages: 4, mean_pages: 4.6, model_mean_pages: 4.8, lengths: [[4, 300]],
    funnel: [{ state: '/', sessions: 300, reached: 1, exits: 75 }, { state: '/items/{num}', sessions: 240, reached: 0.8, exits: 120 }],
    searches: 120, searches_found: 117, search_hit_rate: 0.975,
  }],
  think_mean_s: 1.2,
  think_histogram: [],
  unloaded_patterns: ['/admin/{num}'],
  warnings: ['/items/{num}: 45.0% of requests against the model\'s 30.0%'],
}

test('each pattern shows share against the model, distinct URLs and a missing p95 as a dash', () => {
  render(<CoverageCard realism={realism} runId={3} screenshots={['/tmp/shots/items_num.png']} />)
  const row = screen.getAllByTestId('coverage-row')[0]
  const cells = within(row).getAllByRole('cell').map((c) => c.textContent)
  expect(cells).toEqual(['900', '45%', '30%', '212', '2.1%', '4.2 ms', '–', '0'])
  expect(within(row).getByText('45%')).toHaveAttribute('title', 'More than 20% away from the model')
  expect(within(row).getByRole('img')).toHaveAttribute('src', '/api/v1/runs/3/screenshots/items_num.png')
  expect(within(screen.getAllByTestId('coverage-row')[1]).queryByRole('img')).toBeNull()
})

test('the funnel, the search hit rate, unloaded patterns and warnings are shown', () => {
  render(<CoverageCard realism={realism} runId={3} screenshots={[]} />)
  const journey = screen.getByRole('region', { name: 'Journey browse' })
  expect(journey).toHaveTextContent('300 sessions · median 4 pages (model mean 4.8)')
  expect(journey).toHaveTextContent('searches found results 97.5% of 120')
  const funnel = within(journey).getAllByRole('listitem').map((li) => li.textContent)
  expect(funnel[1]).toContain('80% reached · 120 exits')
  expect(screen.getByText(/Found by discovery, no load: \/admin\/\{num\}/)).toBeInTheDocument()
  expect(screen.getByText(/45.0% of requests against the model/)).toBeInTheDocument()
})
