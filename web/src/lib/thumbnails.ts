/** Which page thumbnail (discovery's PNG per URL pattern) belongs to which flow. */
import type { FlowSet } from '../client/api'

/** Mirrors discovery's `thumbnail_name`: `/products/{num}` -> `products_num.png`. */
export function thumbnailName(pattern: string): string {
  const slug = pattern.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_+|_+$/g, '') || 'home'
  return `${slug.slice(0, 80)}.png`
}

export const screenshotUrl = (runId: number, name: string) =>
  `/api/v1/runs/${runId}/screenshots/${encodeURIComponent(name)}`

export interface Thumbnail { name: string; pattern: string }

const baseName = (path: string) => path.split(/[\\/]/).pop() ?? path

/** The page patterns a flow shows, best first: the one its name is about, then its page steps. */
function flowPatterns(flow: FlowSet['flows'][number]): string[] {
  const out: string[] = []
  const named = /(?:^browse | on )(\/\S*)$/.exec(flow.name)
  if (named) out.push(named[1])
  for (const step of flow.steps) {
    if (step.kind !== 'document') continue
    const m = /^[A-Z]+ (\/\S*)$/.exec(step.name)
    if (m) out.push(m[1])
  }
  return out
}

/** Per flow name, the thumbnail of its page, when discovery took one. */
export function flowThumbnails(flowset: FlowSet, screenshots: string[]): Map<string, Thumbnail> {
  const names = new Set(screenshots.map(baseName))
  const result = new Map<string, Thumbnail>()
  for (const flow of flowset.flows) {
    const pattern = flowPatterns(flow).find((p) => names.has(thumbnailName(p)))
    if (pattern !== undefined) result.set(flow.name, { name: thumbnailName(pattern), pattern })
  }
  return result
}
