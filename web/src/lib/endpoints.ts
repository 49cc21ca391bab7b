import type { EndpointSummary } from '../client/api'

export type EndpointSort = 'requests' | 'p95'

/** Endpoints whose method + pattern contains every word of ``query``, busiest (or slowest) first. */
export function filterEndpoints(endpoints: EndpointSummary[], query: string, sort: EndpointSort): EndpointSummary[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean)
  const matching = endpoints.filter((e) => words.every((w) => `${e.method} ${e.pattern}`.toLowerCase().includes(w)))
  const key = (e: EndpointSummary) => (sort === 'requests' ? e.requests : e.latency_ms.p95 ?? -1)
  return [...matching].sort((a, b) => key(b) - key(a))
}
