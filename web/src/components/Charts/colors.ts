/** Series colours, readable on both the light and the dark theme. */
export const COLORS = {
  rps: '#6366f1',
  p50: '#10b981',
  p95: '#f59e0b',
  p99: '#a855f7',
  errors: '#f43f5e',
  users: '#0ea5e9',
}

