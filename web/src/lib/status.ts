/**
 * Run status, typed by the generated client's `RunStatus` enum (loadscout/status.py on the
 * server): its lifecycle order, labels, and which statuses end a run. The `Record` below makes
 * `tsc` refuse a status the server adds and the dashboard does not know, so nothing else keeps
 * its own list.
 */
import type { RunStatus } from '../client/api'

export type { RunStatus }

/** How an ended run turned out, for colours and icons; absent while the run is still going. */
export type Outcome = 'good' | 'bad' | 'warn'

const INFO: Record<RunStatus, { label: string; outcome?: Outcome }> = {
  queued: { label: 'Queued' },
  discovering: { label: 'Discovering' },
  loading: { label: 'Loading' },
  completed: { label: 'Completed', outcome: 'good' },
  failed: { label: 'Failed', outcome: 'bad' },
  cancelled: { label: 'Cancelled', outcome: 'warn' },
}

/** Every status, in lifecycle order. */
export const RUN_STATUSES = Object.keys(INFO) as RunStatus[]

/** A status a run stays in for good. */
export const isFinal = (status: string): status is RunStatus =>
  status in INFO && INFO[status as RunStatus].outcome !== undefined

/** Still going (or unknown to this dashboard: keep polling rather than freeze). */
export const isActive = (status: string): boolean => !isFinal(status)

export const FINAL_STATUSES: readonly RunStatus[] = RUN_STATUSES.filter(isFinal)

/** The stages a run moves through before it ends: queued, discovering, loading. */
export const STAGES: readonly RunStatus[] = RUN_STATUSES.filter(isActive)

export const statusLabel = (status: RunStatus): string => INFO[status].label

export const outcomeOf = (status: RunStatus): Outcome | undefined => INFO[status].outcome
