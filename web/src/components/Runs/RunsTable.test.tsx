import { render, screen, within } from '@testing-library/react'
import { MemoryRouter } from 'react-router'
import { expect, test } from 'vitest'
import { run } from '../../test/fixtures'
import { RunsTable } from './RunsTable'

test('rows link to their run and show a dash until a run has numbers', () => {
  const now = new Date('2026-11-26T01:05:00Z')
  render(
    <MemoryRouter>
      <RunsTable now={now} runs={[run(), run({ id: 8, status: 'discovering', requests: null, errors: null, p95_ms: null, rps: null, error_rate: null, finished_at: null })]} />
    </MemoryRouter>,
  )
  const table = screen.getByRole('region', { name: 'Runs' })
  const [, done, active] = within(table).getAllByRole('row')
  expect(within(done).getByRole('link')).toHaveAttribute('href', '/runs/7')
  expect(done).toHaveTextContent('12.3 ms')
  expect(done).toHaveTextContent('2.1%')
  expect(done).toHaveTextContent('35.6/s')
  expect(done).toHaveTextContent('12 s')
  expect(within(active).getAllByText('–')).toHaveLength(3)
  expect(active).toHaveTextContent('running')
})
