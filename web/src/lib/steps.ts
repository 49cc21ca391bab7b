/** Sorting and labels for per-step results. */
import type { StepSummary } from '../client/api'

export type SortKey = 'name' | 'requests' | 'retried' | 'redirects' | 'errors' | 'error_rate' | 'p50' | 'p95' | 'p99' | 'max' | 'ttfb_p95'

function value(step: StepSummary, key: SortKey): number | string | null {
  switch (key) {
    case 'name': return `${step.flow} ${step.name}`.toLowerCase()
    case 'requests': return step.requests
    case 'retried': return step.retried
    case 'redirects': return step.redirects
    case 'errors': return step.errors
    case 'error_rate': return step.requests ? step.errors / step.requests : 0
    // Streams (websocket, eventsource) and results stored before TTFB existed have none.
    case 'ttfb_p95': return step.ttfb_ms?.p95 ?? null
    default: return step.latency_ms[key]
  }
}

/** Sorted copy; steps without a value for the key go last in either order. */
export function sortSteps(steps: StepSummary[], key: SortKey, desc: boolean): StepSummary[] {
  return [...steps].sort((a, b) => {
    const va = value(a, key)
    const vb = value(b, key)
    if (va === null || vb === null) return Number(va === null) - Number(vb === null)
    const cmp = typeof va === 'string' ? va.localeCompare(String(vb)) : va - (vb as number)
    return desc ? -cmp : cmp
  })
}

/** Step names often repeat the method the badge already shows ("GET /cart"). */
export function stepLabel(name: string, method: string): string {
  return name.startsWith(`${method} `) ? name.slice(method.length + 1) : name
}

