import type { Me, RunDetail, RunSummary, StepSummary } from '../client/api'

export const latency = (p50: number, p95: number) => ({ p50, p90: p95, p95, p99: p95, max: p95, mean: p50 })

export const step = (name: string, requests: number, p95: number, errors = 0): StepSummary => ({
  flow: 'browse', name, method: 'GET', url: `http://127.0.0.1:8001${name}`, requests, errors, retried: 0, redirects: 0, latency_ms: latency(1, p95), latency_uncorrected_ms: null, ttfb_ms: null, connect_ms: null, tls_ms: null,
})

export const summary: RunSummary = {
  run_id: '7', target_url: 'http://127.0.0.1:8001/', status: 'completed', reason: '', partial: false,
  started_at: '2026-11-26T01:00:00Z', finished_at: '2026-11-26T01:00:12Z', duration_s: 4, users: 5,
  discovery: { pages: 10, patterns: ['/', '/cart'], forms: 1, api_calls: 1, flows: 2, skipped: [], verification: [], duration_s: 7, screenshots: [], routes: [], warnings: [], budget_s: 60, stop_reason: 'explored', coverage: [] },
  totals: { requests: 143, errors: 3, error_rate: 3 / 143, rps: 35.6, latency_ms: latency(3.9, 12.3), latency_uncorrected_ms: null, dropped_iterations: 0, ttfb_ms: null, connect_ms: null, tls_ms: null, assets_skipped: 0 },
  steps: [step('/cart', 40, 15), step('/', 90, 7), step('/search', 13, 26, 3)],
  errors: [{ kind: 'http_500', count: 3, example: 'GET /search: HTTP 500', flow: 'browse', step: '/search', status: 500, message: 'HTTP 500', url: '/search' }],
  verdict: 'passed',
  thresholds: [],
  timeseries: [0, 1, 2, 3].map((t) => ({ t, rps: 35, errors: t === 2 ? 3 : 0, active_users: 5, p50_ms: 4, p95_ms: 12, p99_ms: 20 })),
  realism: null,
  endpoints: [],
  latency_distribution: [],
  nodes: [],
}

export const node = (n: number, over: Partial<RunSummary['nodes'][number]> = {}): RunSummary['nodes'][number] => ({
  node: n, host: `10.0.0.${n}`, cpus: 2, share: `users ${n === 1 ? 3 : 2} of 7`, users: n === 1 ? 3 : 2,
  requests: 50, errors: 0, cpu_s: 3.25, lost_at_s: null, ...over,
})

/** A run over a 3-node Ray cluster whose node 2 was lost 4.2 s in: partial results. */
export const clusterSummary: RunSummary = {
  ...summary,
  verdict: 'aborted',
  partial: true,
  reason: 'node 2 of 3 (10.0.0.2) was lost at 4.2 s (ActorDiedError; last heard 1.0 s before; its share: users 2 of 7; what it sent since its last report is not counted): partial results',
  thresholds: [
    { expression: 'p95 < 500ms', passed: true, observed: 12.3, unit: 'ms', observed_text: '12.30 ms', partial: true },
    { expression: 'error_rate < 1%', passed: false, observed: 3 / 143, unit: '%', observed_text: '2.10%', partial: true },
  ],
  nodes: [node(1, { requests: 61, errors: 1 }), node(2, { requests: 20, cpu_s: 0.9, lost_at_s: 4.2 }), node(3, { requests: 62, errors: 2, cpu_s: 12.5 })],
}

export const run = (over: Partial<RunDetail> = {}): RunDetail => ({
  id: 7, target_url: 'http://127.0.0.1:8001/', status: 'completed', users: 5, duration_s: 4, options: {},
  created_at: '2026-11-26T01:00:00Z', started_at: '2026-11-26T01:00:00Z', finished_at: '2026-11-26T01:00:12Z',
  reason: '', requests: 143, errors: 3, error_rate: 3 / 143, rps: 35.6, p95_ms: 12.3, verdict: 'passed',
  live: null, discovery_message: '', summary: null, created_by: 'ada@example.com', audit: [], ...over,
})

/** A signed-in person: by default an admin of team "Default" (role and team overridable). */
export const me = (over: Partial<Me> = {}): Me => ({
  via: 'session', label: 'ada@example.com', user_id: 1, email: 'ada@example.com', is_instance_admin: false,
  team_id: 1, team_name: 'Default', role: 'admin', teams: [{ team_id: 1, name: 'Default', role: 'admin' }],
  csrf_token: 'csrf-1', ...over,
})

/**
 * The server's reading of a load profile (POST /profiles/preview), faked for the form tests: it
 * knows the few durations they type (the real grammar is tested against the server in pytest).
 */
const SECONDS: Record<string, number> = { '10': 10, '10s': 10, '15s': 15, '30s': 30, '60': 60, '1m': 60, '2m': 120 }

export function profileAnswer(body: { kind: string; users: string; duration: string; ramp_up: string;
  stages: { duration: string; target: string }[]; arrival_rate: string; max_users: string }) {
  const none = { stages: null, arrival_rate: null, max_users: null, ramp_up_s: 0 }
  if (body.kind === 'stages') {
    let t = 0
    const points = [{ t: 0, value: 0 }]
    for (const row of body.stages) {
      t += SECONDS[row.duration]
      points.push({ t, value: Number(row.target) })
    }
    const peak = Math.max(...points.map((p) => p.value))
    const stages = body.stages.map((r) => `${SECONDS[r.duration]}s:${r.target}`).join(',')
    return { errors: {}, unit: 'users', peak, duration_s: t, points,
      fields: { ...none, users: peak, duration_s: t, stages } }
  }
  const duration = SECONDS[body.duration]
  if (duration === undefined) return { errors: { duration: 'Enter the duration like 30s, 2m or 1h30m' }, fields: null, points: [] }
  if (body.kind === 'arrival') {
    const rate = Number(body.arrival_rate)
    return { errors: {}, unit: 'rate', peak: rate, duration_s: duration,
      points: [{ t: 0, value: rate }, { t: duration, value: rate }],
      fields: { ...none, users: Number(body.max_users), duration_s: duration, arrival_rate: String(rate), max_users: Number(body.max_users) } }
  }
  const users = Number(body.users)
  const ramp = SECONDS[body.ramp_up] ?? 0
  return { errors: {}, unit: 'users', peak: users, duration_s: duration,
    points: [{ t: 0, value: 0 }, { t: ramp, value: users }, { t: duration, value: users }],
    fields: { ...none, users, duration_s: duration, ramp_up_s: ramp } }
}
