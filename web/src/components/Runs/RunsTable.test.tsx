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

test('the verdict is the badge: a completed run that failed its thresholds is not green', () => {
  render(
    <MemoryRouter>
      <RunsTable now={new Date('2026-11-26T01:05:00Z')} runs={[run(), run({ id: 8, verdict: 'thresholds_failed' })]} />
    </MemoryRouter>,
  )
  const table = screen.getByRole('region', { name: 'Runs' })
  const [, passed, failed] = within(table).getAllByRole('row')
  expect(within(passed).getByText('Passed').className).toMatch(/emerald/)
  const badge = within(failed).getByText('Failed thresholds')
  expect(badge.className).toMatch(/rose/)
  expect(failed.innerHTML).not.toMatch(/emerald/) // neither the verdict nor the status is green
})
