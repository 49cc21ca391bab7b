import { render, screen } from '@testing-library/react'
import { expect, test } from 'vitest'
import { bucketLabel } from '../../lib/format'
import { DistributionCard } from './DistributionChart'

test('the distribution names every bucket and counts every response', () => {
  render(<DistributionCard buckets={[{ le_ms: 1, count: 3 }, { le_ms: 2, count: 10 }, { le_ms: 2000, count: 1 }]} />)
  expect(screen.getByRole('figure', { name: 'Response time distribution' })).toHaveAttribute('data-buckets', '3')
  expect(screen.getByText('14 responses')).toBeInTheDocument()
  expect(screen.getByText('≤1 ms: 3, ≤2 ms: 10, ≤2 s: 1')).toBeInTheDocument()
  expect(bucketLabel({ le_ms: 500, count: 0 })).toBe('≤500 ms')
})

test('no responses, no chart', () => {
  const { container } = render(<DistributionCard buckets={[]} />)
  expect(container).toBeEmptyDOMElement()
})
