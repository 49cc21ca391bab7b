/** The run's progress read from its status events: when each stage began and where it ended. */
import type { EventPublic } from '../client/api'
import { parseTimestamp, secondsBetween } from './format'
import { STAGES, isFinal } from './status'
import type { RunStatus } from './status'

export interface StageTimes {
  /** When each stage (and the final status) was first entered, ISO strings from the server. */
  entered: Partial<Record<string, string>>
  /** Seconds spent in each stage that has ended (or up to `now` for the current one). */
  took: Partial<Record<string, number>>
  /** For an ended run, the last stage it went through before its final status. */
  stoppedIn?: RunStatus
}

export function stageTimes(events: EventPublic[], now: Date = new Date()): StageTimes {
  const entered: Record<string, string> = {}
  const order: string[] = []
  for (const e of events) {
    if (!(e.status in entered)) {
      entered[e.status] = e.at
      order.push(e.status)
    }
  }
  const took: Record<string, number> = {}
  order.forEach((status, i) => {
    if (isFinal(status)) return
    const next = order[i + 1]
    const seconds = secondsBetween(entered[status], next ? entered[next] : null, now)
    if (seconds != null) took[status] = seconds
  })
  const stoppedIn = [...order].reverse().find((s): s is RunStatus => (STAGES as readonly string[]).includes(s))
  return { entered, took, stoppedIn: order.some(isFinal) ? stoppedIn : undefined }
}

/** When the load started (the first `loading` event), in ms since the epoch, or null. */
export function loadStartedAt(events: EventPublic[]): number | null {
  const at = events.find((e) => e.status === 'loading')?.at
  return parseTimestamp(at)?.getTime() ?? null
}
