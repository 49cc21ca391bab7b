import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { render } from '@testing-library/react'
import type { ReactElement } from 'react'
import { MemoryRouter, Route, Routes, useSearchParams } from 'react-router'
import type { Me } from '../client/api'
import { SessionContext } from '../components/Account/session'
import { me as signedIn } from './fixtures'

/**
 * Render a page inside the providers the app uses, at `path`, with a probe for navigation,
 * signed in as `me` (a team admin unless told otherwise).
 */
export function renderPage(ui: ReactElement, { path = '/', route = '/', me = signedIn() }: { path?: string; route?: string; me?: Me } = {}) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } })
  return render(
    <QueryClientProvider client={client}>
      <SessionContext.Provider value={me}>
      <MemoryRouter initialEntries={[path]}>
        <Routes>
          <Route path={route} element={ui} />
          <Route path="/runs/:id" element={<p>run page</p>} />
          {route !== '/' && <Route path="/" element={<p>runs list</p>} />}
          {route !== '/compare' && <Route path="/compare" element={<CompareProbe />} />}
        </Routes>
      </MemoryRouter>
      </SessionContext.Provider>
    </QueryClientProvider>,
  )
}

export function jsonResponse(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } })
}

function CompareProbe() {
  const [params] = useSearchParams()
  return <p>compare page a={params.get('a')} b={params.get('b')}</p>
}
