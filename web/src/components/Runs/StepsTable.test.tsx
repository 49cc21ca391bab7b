import { render, screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { expect, test, vi } from 'vitest'
import { latency, step } from '../../test/fixtures'
import { StepsTable } from './StepsTable'

const names = () => screen.getAllByRole('row').slice(1).map((r) => within(r).getAllByRole('cell')[0].textContent)

test('starts with the slowest p95 first and sorts by any column, both ways', async () => {
  render(<StepsTable steps={[step('/a', 5, 10), step('/b', 50, 30), step('/c', 20, 20)]} />)
  expect(names()).toEqual([expect.stringContaining('/b'), expect.stringContaining('/c'), expect.stringContaining('/a')])

  const header = screen.getByRole('columnheader', { name: /Sent/ })
  await userEvent.click(within(header).getByRole('button'))
  expect(header).toHaveAttribute('aria-sort', 'descending')
  expect(names().map((n) => n?.match(/\/[abc]/)?.[0])).toEqual(['/b', '/c', '/a'])

  await userEvent.click(within(header).getByRole('button'))
  expect(header).toHaveAttribute('aria-sort', 'ascending')
  expect(names().map((n) => n?.match(/\/[abc]/)?.[0])).toEqual(['/a', '/c', '/b'])
})

test('sorting works from the keyboard', async () => {
  render(<StepsTable steps={[step('/a', 5, 10), step('/b', 50, 30)]} />)
  const header = screen.getByRole('columnheader', { name: /Step/ })
  within(header).getByRole('button').focus()
  await userEvent.keyboard('{Enter}')
  expect(header).toHaveAttribute('aria-sort', 'ascending')
})

test('error rates above 1% stand out', () => {
  render(<StepsTable steps={[step('/ok', 100, 5), step('/bad', 100, 5, 7)]} />)
  const bad = screen.getByText('7%')
  expect(bad.className).toMatch(/rose/)
  expect(screen.getAllByText('0%')[0].className).not.toMatch(/rose/)
})

test('identical steps (same flow, name and URL) still sort correctly', async () => {
  // React reorders rows with duplicate keys unpredictably (it happened in Chromium); dev mode reports them.
  const consoleError = vi.spyOn(console, 'error').mockImplementation(() => {})
  render(<StepsTable steps={[step('/x', 1, 1), step('/x', 3, 2), step('/x', 2, 3), step('/x', 3, 4)]} />)
  const header = screen.getByRole('columnheader', { name: /Sent/ })
  await userEvent.click(within(header).getByRole('button'))
  await userEvent.click(within(header).getByRole('button'))
  const counts = () => screen.getAllByRole('row').slice(1).map((r) => within(r).getAllByRole('cell')[1].textContent)
  expect(counts()).toEqual(['1', '2', '3', '3'])
  await userEvent.click(within(header).getByRole('button'))
  expect(counts()).toEqual(['3', '3', '2', '1'])
  expect(consoleError).not.toHaveBeenCalled()
  consoleError.mockRestore()
})

test('TTFB p95 sorts both ways with steps lacking it (streams) last', async () => {
  const timed = (name: string, ttfb: number | null) => ({ ...step(name, 10, 10), ttfb_ms: ttfb == null ? null : latency(1, ttfb) })
  render(<StepsTable steps={[timed('/a', 4), timed('/ws', null), timed('/b', 30), timed('/c', 12)]} />)
  const header = screen.getByRole('columnheader', { name: /TTFB p95/ })
  const order = () => names().map((n) => n?.match(/\/(ws|[abc])/)?.[0])
  await userEvent.click(within(header).getByRole('button'))
  expect(header).toHaveAttribute('aria-sort', 'descending')
  expect(order()).toEqual(['/b', '/c', '/a', '/ws'])
  expect(screen.getAllByRole('row')[1]).toHaveTextContent('30 ms')
  await userEvent.click(within(header).getByRole('button'))
  expect(order()).toEqual(['/a', '/c', '/b', '/ws'])
})

test('no TTFB column for results stored before per-step TTFB existed', () => {
  render(<StepsTable steps={[step('/a', 5, 10)]} />)
  expect(screen.getAllByRole('columnheader').map((h) => h.textContent)).not.toContainEqual(expect.stringContaining('TTFB'))
  expect(within(screen.getAllByRole('row')[1]).getAllByRole('cell')).toHaveLength(8)
})

test('on a phone the table says it scrolls sideways', () => {
  render(<StepsTable steps={[step('/', 3, 5)]} />)
  expect(screen.getByTestId('scroll-cue')).toHaveTextContent('Swipe sideways for more columns')
  expect(screen.getByTestId('scroll-cue')).toHaveClass('sm:hidden')
})

test('retried and redirect columns appear only when a step has some', () => {
  const { unmount } = render(<StepsTable steps={[step('/a', 5, 10)]} />)
  expect(screen.queryByRole('columnheader', { name: /Retried/ })).toBeNull()
  unmount()
  render(<StepsTable steps={[step('/a', 5, 10), { ...step('/r', 9, 10), retried: 2, redirects: 4 }]} />)
  expect(screen.getByRole('columnheader', { name: /Retried/ })).toBeInTheDocument()
  const row = screen.getAllByRole('row').find((r) => r.textContent?.includes('/r'))
  const cells = within(row!).getAllByRole('cell').map((c) => c.textContent)
  expect(cells.slice(1, 4)).toEqual(['9', '2', '4'])
})
