/** Series colours, readable on both the light and the dark theme. */
export const COLORS = {
  rps: '#6366f1',
  p50: '#10b981',
  p95: '#f59e0b',
  errors: '#f43f5e',
  users: '#0ea5e9',
}

