import '@testing-library/jest-dom/vitest'
import { cleanup, configure } from '@testing-library/react'
import { afterEach, vi } from 'vitest'

afterEach(() => cleanup())

// CI shares two cores with a browser and servers: give async queries room before calling it a failure.
configure({ asyncUtilTimeout: 5000 })

// jsdom has neither matchMedia nor ResizeObserver; the theme hook and recharts need them.
Object.defineProperty(window, 'matchMedia', {
  writable: true,
  value: vi.fn((query: string) => ({
    matches: false, media: query, onchange: null,
    addEventListener: vi.fn(), removeEventListener: vi.fn(),
    addListener: vi.fn(), removeListener: vi.fn(), dispatchEvent: vi.fn(),
  })),
})
class ResizeObserverStub {
  observe() {}
  unobserve() {}
  disconnect() {}
}
globalThis.ResizeObserver = ResizeObserverStub as unknown as typeof ResizeObserver

// jsdom lays nothing out, so ResponsiveContainer would measure 0×0 and warn; give charts a fixed size.
vi.mock('recharts', async (importOriginal) => {
  const { createElement, cloneElement } = await import('react')
  const mod = await importOriginal<typeof import('recharts')>()
  const ResponsiveContainer = ({ children }: { children: React.ReactElement<{ width?: number; height?: number }> }) =>
    createElement('div', { style: { width: 400, height: 200 } }, cloneElement(children, { width: 400, height: 200 }))
  return { ...mod, ResponsiveContainer }
})
