/** Server state for runs: TanStack Query hooks over the typed client, polling while runs are active. */
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useMemo } from 'react'
import { api, ApiError, unwrap } from '../client/api'
import { isActive } from '../lib/status'
import { parseTimestamp } from '../lib/format'
import { lastSecond, liveTail, mergePoints } from '../lib/liveSeries'
import type { ChartPoint } from '../lib/liveSeries'
import type { EventPublic, FlowSet, ProfilePreview, ProfileText, RunCreate, RunDetail, RunPublic, RunStatus, ShapePreview, ThresholdCheck } from '../client/api'

export const runKeys = {
  all: ['runs'] as const,
  list: (params: { limit: number; offset: number; status?: RunStatus }) => ['runs', 'list', params] as const,
  detail: (id: number) => ['runs', 'detail', id] as const,
  flows: (id: number) => ['runs', 'flows', id] as const,
  events: (id: number, status?: string) => ['runs', 'events', id, ...(status ? [status] : [])] as const,
  metrics: (id: number) => ['runs', 'metrics', id] as const,
}

export function useRunsList(params: { limit: number; offset: number; status?: RunStatus }) {
  return useQuery({
    queryKey: runKeys.list(params),
    queryFn: async () =>
      unwrap(await api.GET('/api/v1/runs', { params: { query: params } })) as { data: RunPublic[]; count: number },
    placeholderData: keepPreviousData,
    // Refresh every 2 s while any listed run is still going; otherwise only on focus.
    refetchInterval: (query) => (query.state.data?.data.some((r) => isActive(r.status)) ? 2000 : false),
  })
}

export function useRun(id: number, enabled = true) {
  return useQuery({
    queryKey: runKeys.detail(id),
    enabled,
    queryFn: async () =>
      unwrap(await api.GET('/api/v1/runs/{run_id}', { params: { path: { run_id: id } } })) as RunDetail,
    refetchInterval: (query) => {
      const run = query.state.data
      if (!run || isActive(run.status)) return 1000
      // The status can turn final a moment before the result is stored: keep asking briefly.
      return awaitingResult(run) ? 1000 : false
    },
    refetchIntervalInBackground: true,
    retry: (count, error) => !(error instanceof ApiError && error.status === 404) && count < 2,
  })
}

/**
 * The run's flows, once discovery produced them: from `loading` on, or for an ended run whose
 * summary counts flows (a run cancelled while discovering has none; asking would be a 409).
 */
export function useRunFlows(run: RunDetail) {
  const ready = run.status === 'loading' || (run.summary?.discovery.flows ?? 0) > 0
  return useQuery({
    queryKey: [...runKeys.flows(run.id), ready ? run.status : 'waiting'],
    enabled: ready,
    retry: false,
    staleTime: Infinity,
    queryFn: async (): Promise<FlowSet | null> => {
      const result = await api.GET('/api/v1/runs/{run_id}/flows', { params: { path: { run_id: run.id } } })
      if (result.response.status === 409) return null
      return unwrap(result) as FlowSet
    },
  })
}

export function useCreateRun() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: async (body: RunCreate): Promise<RunPublic> =>
      unwrap(await api.POST('/api/v1/runs', { body })) as RunPublic,
    onSuccess: (run) => {
      client.invalidateQueries({ queryKey: runKeys.all })
      client.setQueryData<RunDetail>(runKeys.detail(run.id), { ...run, discovery_message: '', live: null, summary: null, audit: [] })
    },
  })
}

export function useCancelRun(id: number) {
  const client = useQueryClient()
  return useMutation({
    mutationFn: async (): Promise<RunPublic> =>
      unwrap(await api.POST('/api/v1/runs/{run_id}/cancel', { params: { path: { run_id: id } } })) as RunPublic,
    onSettled: () => client.invalidateQueries({ queryKey: runKeys.all }),
  })
}

/** Queue a finished run again: its settings and the very flows it replayed (no discovery). */
export function useRerun(id: number) {
  const client = useQueryClient()
  return useMutation({
    mutationFn: async (): Promise<RunPublic> =>
      unwrap(await api.POST('/api/v1/runs/{run_id}/rerun', { params: { path: { run_id: id } } })) as RunPublic,
    onSuccess: (run) => {
      client.invalidateQueries({ queryKey: runKeys.all })
      client.setQueryData<RunDetail>(runKeys.detail(run.id), { ...run, discovery_message: '', live: null, summary: null, audit: [] })
    },
  })
}

/** A run that ended in the last 30 s without a summary yet (it is being written). */
export function awaitingResult(run: RunDetail, now: number = Date.now()): boolean {
  if (run.summary || isActive(run.status)) return false
  const finished = parseTimestamp(run.finished_at)
  return finished !== null && now - finished.getTime() < 30_000
}

export type ReportFormat = 'json' | 'csv' | 'html' | 'xml'
export const REPORT_FORMATS: readonly ReportFormat[] = ['json', 'csv', 'html', 'xml'] // xml: JUnit, for CI
export const reportUrl = (id: number, format: ReportFormat) => `/api/v1/runs/${id}/report.${format}`

/**
 * The run's status changes with their times, re-read every second while it is active; keyed by
 * the status too, so the final event is fetched once the run ends.
 */
export function useRunEvents(id: number, status: string) {
  const active = isActive(status)
  return useQuery({
    queryKey: runKeys.events(id, status),
    placeholderData: keepPreviousData,
    queryFn: async (): Promise<EventPublic[]> =>
      unwrap(await api.GET('/api/v1/runs/{run_id}/events', { params: { path: { run_id: id } } })).data,
    refetchInterval: active ? 1000 : false,
    refetchIntervalInBackground: true,
  })
}

/**
 * The per-second series while the run loads: each poll asks only for seconds after the last one
 * held (`since`) and merges them in, so a long run costs one small answer a second. The second
 * in progress is drawn from the live numbers of the same answer until the series stores it.
 */
export function useRunMetrics(id: number, polling: boolean) {
  const client = useQueryClient()
  const key = runKeys.metrics(id)
  const query = useQuery({
    queryKey: key,
    enabled: polling,
    queryFn: async (): Promise<PolledSeries> => {
      const held = client.getQueryData<PolledSeries>(key)?.points ?? []
      const page = unwrap(await api.GET('/api/v1/runs/{run_id}/metrics', {
        params: { path: { run_id: id }, query: { since: lastSecond(held) } },
      }))
      // Read again: a slow answer must not drop what a faster one merged meanwhile.
      const points = mergePoints(client.getQueryData<PolledSeries>(key)?.points ?? held, page.data)
      return { points, tail: liveTail(points, page.live) }
    },
    refetchInterval: polling ? 1000 : false,
    refetchIntervalInBackground: true,
    staleTime: Infinity,
  })
  const data = query.data
  const points = useMemo(() => (data ? (data.tail ? [...data.points, data.tail] : data.points) : undefined), [data])
  return { ...query, points }
}

interface PolledSeries {
  points: ChartPoint[]
  tail: ChartPoint | null
}

export function useDeleteRun(id: number) {
  const client = useQueryClient()
  return useMutation({
    mutationFn: async (): Promise<void> => {
      unwrap(await api.DELETE('/api/v1/runs/{run_id}', { params: { path: { run_id: id } } }))
    },
    onSuccess: () => {
      for (const key of [runKeys.detail(id), runKeys.events(id), runKeys.metrics(id), runKeys.flows(id)]) {
        client.removeQueries({ queryKey: key })
      }
      return client.invalidateQueries({ queryKey: ['runs', 'list'] })
    },
  })
}

/** A pasted or uploaded load shape read by the server (the `--shape` parser): profile + curve. */
export function useShapePreview(text: string) {
  const trimmed = text.trim()
  return useQuery({
    queryKey: ['shapes', trimmed],
    enabled: trimmed.length > 0,
    retry: false,
    staleTime: Infinity,
    placeholderData: keepPreviousData,
    queryFn: async (): Promise<ShapePreview> =>
      unwrap(await api.POST('/api/v1/shapes/preview', { body: { text: trimmed } })),
  })
}

/**
 * The load card's profile read by the server (the durations and profiles a run uses): per-field
 * problems, or the RunCreate values to send and the planned curve. `body` is JSON text (a stable
 * query key); null for a custom shape, which has its own preview.
 */
export function useProfilePreview(body: string | null) {
  return useQuery({
    queryKey: ['profile', body],
    enabled: body !== null,
    retry: false,
    staleTime: Infinity,
    placeholderData: keepPreviousData,
    queryFn: async (): Promise<ProfilePreview> =>
      unwrap(await api.POST('/api/v1/profiles/preview', { body: JSON.parse(body ?? '{}') as ProfileText })),
  })
}

/**
 * Threshold rows read by the server (the grammar a run uses, plan/thresholds.py): one answer per
 * row, in order. Blank rows are skipped by the server too, so nothing is asked for them alone.
 */
export function useThresholdCheck(rows: string[]) {
  return useQuery({
    queryKey: ['thresholds', rows],
    enabled: rows.some((r) => r.trim()),
    retry: false,
    staleTime: Infinity,
    placeholderData: keepPreviousData,
    queryFn: async (): Promise<ThresholdCheck[]> =>
      unwrap(await api.POST('/api/v1/thresholds/check', { body: { expressions: rows } })).data,
  })
}
