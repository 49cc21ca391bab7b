// The run form's defaults, read from the API's own schema (openapi.json) so the dashboard,
// the CLI and the API share one default per option (plan/options.py and discovery/options.py).
import { readFileSync, writeFileSync } from 'node:fs'

const spec = JSON.parse(readFileSync(new URL('../openapi.json', import.meta.url)))
const props = spec.components.schemas.RunCreate.properties
const keys = ['duration_s', 'ramp_up_s', 'think_time_min_s', 'think_time_max_s', 'max_pages', 'max_depth', 'max_discovery_s']
const lines = keys.map((k) => {
  if (props[k]?.default === undefined) throw new Error(`RunCreate.${k} has no default in openapi.json`)
  return `  ${k}: ${JSON.stringify(props[k].default)},`
})
writeFileSync(new URL('../src/client/defaults.ts', import.meta.url),
  `// Generated from openapi.json by scripts/gen-defaults.mjs (npm run gen:api): do not edit.\n` +
  `/** The server's defaults for the run options the form shows. */\nexport const RUN_DEFAULTS = {\n${lines.join('\n')}\n} as const\n`)
