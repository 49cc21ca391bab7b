import { render, screen } from '@testing-library/react'
import { expect, test } from 'vitest'
import { LivePanel } from './LivePanel'

test('a run with no response yet (target down) shows "–" for its percentiles, never 0 ms', () => {
  render(<LivePanel durationS={10} live={{ elapsed_s: 3, active_users: 2, requests: 40, errors: 40, rps: 13, p50_ms: null, p95_ms: null }} />)
  const numbers = screen.getByLabelText('Live numbers')
  expect(numbers).not.toHaveTextContent(/(^|[^\d.])0 ms/)
  expect(screen.getAllByText('–')).toHaveLength(2)
})
