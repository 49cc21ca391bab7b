// Generated from openapi.json by scripts/gen-defaults.mjs (npm run gen:api): do not edit.
/** The server's defaults for the run options the form shows. */
export const RUN_DEFAULTS = {
  duration_s: 60,
  ramp_up_s: 0,
  think_time_min_s: 0.5,
  think_time_max_s: 1.5,
  max_pages: 1000,
  max_depth: 4,
  max_discovery_s: 90,
} as const
