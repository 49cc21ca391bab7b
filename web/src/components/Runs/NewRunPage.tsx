import { useEffect, useState } from 'react'
import type { ChangeEvent, FormEvent } from 'react'
import { useNavigate } from 'react-router'
import { ApiError } from '../../client/api'
import { useCreateRun, useProfilePreview, useShapePreview, useThresholdCheck } from '../../hooks/runs'
import { useDebounced } from '../../hooks/useDebounced'
import { profileErrors, profileText } from '../../lib/loadProfile'
import { DEFAULT_FORM, toRunCreate, validateRunForm } from '../../lib/runForm'
import type { FormErrors, RunFormValues, TextKey } from '../../lib/runForm'
import { LoadCard } from '../NewRun/LoadCard'
import { LoginFields } from '../NewRun/LoginFields'
import { ProfilePreview } from '../NewRun/ProfilePreview'
import { ShapeEditor } from '../NewRun/ShapeEditor'
import { ThresholdsCard } from '../NewRun/ThresholdsCard'
import { Button } from '../ui/Button'
import { Card } from '../ui/Card'
import { Field } from '../ui/Field'
import { Notice, Spinner } from '../ui/Feedback'
import { PageHeader } from '../ui/PageHeader'

type Key = keyof RunFormValues

/** "Checking…" is a state, not an error: the editor shows a spinner for it instead. */
const visibleShapeError = (error?: string) => (error === 'Checking the shape…' ? undefined : error)

/** Start a test: target, load profile, thresholds, discovery limits and login; client checks first, then the API's. */
export function NewRunPage() {
  const navigate = useNavigate()
  const create = useCreateRun()
  const [values, setValues] = useState<RunFormValues>(DEFAULT_FORM)
  const [touched, setTouched] = useState<Partial<Record<Key, boolean>>>({})
  const [submitted, setSubmitted] = useState(false)
  const [serverFieldErrors, setServerFieldErrors] = useState<FormErrors>({})

  const shapeText = useDebounced(values.profile === 'shape' ? values.shape_text : '', 300)
  const shape = useShapePreview(shapeText)
  const shapeReady = shape.data !== undefined && !shape.isError && !shape.isPlaceholderData && shapeText === values.shape_text
  const clientErrors = validateRunForm(values)
  if (values.profile === 'shape' && !clientErrors.shape_text) {
    // The server's reading of the text is the validation; wait for it before starting.
    if (shape.isError) clientErrors.shape_text = shape.error.message.replace(/^text: /, '')
    else if (!shapeReady) clientErrors.shape_text = 'Checking the shape…'
  }
  // The server reads the load profile (durations, stages, rates): its answer is the validation.
  const typedProfile = JSON.stringify(profileText(values))
  const profileBody = useDebounced(typedProfile, 300)
  const profile = useProfilePreview(values.profile === 'shape' ? null : profileBody)
  const profileRead = profile.data !== undefined && !profile.isPlaceholderData && profileBody === typedProfile
  const fromServer = profileErrors(values.profile, profileRead ? profile.data?.errors ?? {} : {}, values.stages.length)
  if (values.profile !== 'shape') {
    Object.assign(clientErrors, fromServer.fields)
    const checking = values.profile === 'stages' ? 'stages' : 'duration_s'
    if (profile.isError) clientErrors[checking] = profile.error.message
    else if (!profileRead) clientErrors[checking] ??= 'Checking the load profile…'
  }
  const thresholdRows = useDebounced(values.thresholds, 300)
  const thresholds = useThresholdCheck(thresholdRows)
  const thresholdsRead = thresholds.data !== undefined && !thresholds.isPlaceholderData && thresholdRows === values.thresholds
  // The server's reading of each row is the validation; blank rows need no answer.
  const rowErrors = values.thresholds.map((row, i) =>
    !row.trim() ? undefined : thresholdsRead ? thresholds.data?.[i]?.error ?? undefined : undefined)
  if (rowErrors.some(Boolean)) clientErrors.thresholds = 'Fix the thresholds marked below'
  else if (thresholds.isError) clientErrors.thresholds = thresholds.error.message
  else if (values.thresholds.some((r) => r.trim()) && !thresholdsRead) clientErrors.thresholds = 'Checking the thresholds…'
  const visible = (key: Key) => (submitted || touched[key] ? clientErrors[key] : undefined) ?? serverFieldErrors[key]

  const set = <K extends Key>(key: K) => (value: RunFormValues[K]) => {
    setValues((v) => ({ ...v, [key]: value }))
    setServerFieldErrors((e) => ({ ...e, [key]: undefined }))
  }
  const text = (key: TextKey) => ({
    value: values[key],
    onChange: (e: ChangeEvent<HTMLInputElement>) => set(key)(e.target.value as RunFormValues[typeof key]),
    onBlur: () => setTouched((t) => ({ ...t, [key]: true })),
    error: visible(key),
    name: key,
  })

  // Start pressed while the server was still reading a field: start once it has, unless it objects.
  const [startWhenRead, setStartWhenRead] = useState(false)
  const problems = Object.values(clientErrors).filter(Boolean)
  const onlyChecking = problems.length > 0 && problems.every((m) => m?.startsWith('Checking'))

  const start = () => {
    create.mutate(toRunCreate(values, shape.data, profile.data?.fields), {
      onSuccess: (run) => navigate(`/runs/${run.id}`),
      onError: (err) => {
        const fields: FormErrors = err instanceof ApiError ? { ...err.fields } : {}
        if (err instanceof ApiError && err.fields.shape) fields.shape_text = err.fields.shape
        setServerFieldErrors(fields)
      },
    })
  }

  const onSubmit = (e: FormEvent) => {
    e.preventDefault()
    setSubmitted(true)
    if (onlyChecking) setStartWhenRead(true)
    else if (problems.length === 0) start()
  }

  useEffect(() => {
    if (!startWhenRead || onlyChecking) return
    setStartWhenRead(false)
    if (problems.length === 0) start()
  })

  const apiError = create.error
  const errorCount = submitted && !onlyChecking ? problems.length : 0

  return (
    <div className="mx-auto max-w-4xl">
      <PageHeader title="New load test"
        subtitle="loadscout explores your app in a real browser, records the flows users take, then replays them with many virtual users." />
      <form noValidate onSubmit={onSubmit} className="grid gap-6 lg:grid-cols-[1fr_18rem]" aria-label="New load test">
        <div className="grid min-w-0 gap-6">
          <Card title="Target">
            <Field label="Application URL" type="url" inputMode="url" autoComplete="url" placeholder="https://staging.example.com/"
              hint="The start page. Discovery stays on this origin unless you widen the scope." required autoFocus
              {...text('target_url')} />
          </Card>
          <LoadCard values={values} text={text} setProfile={(kind) => set('profile')(kind)}
            setStages={(rows) => { set('stages')(rows); setTouched((t) => ({ ...t, stages: true })) }}
            stagesError={visible('stages')} stageRowErrors={fromServer.stageRows} showStageErrors={submitted || Boolean(touched.stages)}
            shapeEditor={
              <ShapeEditor text={values.shape_text} onChange={(t) => set('shape_text')(t)}
                onBlur={() => setTouched((t) => ({ ...t, shape_text: true }))}
                error={shape.isError ? clientErrors.shape_text : visibleShapeError(visible('shape_text'))}
                checking={shape.isFetching || shapeText !== values.shape_text} />
            } />
          <ThresholdsCard rows={values.thresholds} rowErrors={rowErrors} onChange={(rows) => set('thresholds')(rows)}
            abortOnFail={values.abort_on_fail} onAbortChange={(v) => set('abort_on_fail')(v)}
            showErrors={() => submitted || Boolean(touched.thresholds)} error={visible('thresholds')}
            onRowBlur={() => setTouched((t) => ({ ...t, thresholds: true }))} />
          <details className="group rounded-xl border border-slate-200 bg-white shadow-sm dark:border-slate-800 dark:bg-slate-900">
            <summary className="flex cursor-pointer list-none items-center justify-between gap-2 rounded-xl px-4 py-3 text-sm font-semibold">
              Discovery options
              <span className="text-xs font-normal text-slate-500 dark:text-slate-400">
                {values.max_pages} pages · depth {values.max_depth}{values.login_url.trim() ? ' · login' : ''}{values.allow_writes ? ' · writes allowed' : ''}
                <span aria-hidden className="ml-2 inline-block transition-transform group-open:rotate-180">▾</span>
              </span>
            </summary>
            <div className="grid gap-4 border-t border-slate-100 p-4 sm:grid-cols-3 dark:border-slate-800">
              <Field label="Max pages" type="number" inputMode="numeric" min={1} {...text('max_pages')} />
              <Field label="Max depth" type="number" inputMode="numeric" min={0} hint="Clicks from the start page." {...text('max_depth')} />
              <Field label="Time limit" type="number" inputMode="decimal" min={1} suffix="s" {...text('max_discovery_s')} />
              <Field label="Extra scope (regex)" className="sm:col-span-3" placeholder="^https://api\.example\.com/"
                hint="Other URLs discovery may visit, e.g. an API on another host." {...text('scope')} />
              <label className="flex items-start gap-3 text-sm sm:col-span-3">
                <input type="checkbox" name="allow_writes" checked={values.allow_writes}
                  onChange={(e) => set('allow_writes')(e.target.checked)}
                  className="mt-0.5 size-4 rounded border-slate-300 accent-indigo-600" />
                <span>
                  <span className="font-medium">Allow writes</span>
                  <span className="block text-slate-500 dark:text-slate-400">Submit forms that change data (POST, PUT, DELETE). Off by default; use it on test environments only.</span>
                </span>
              </label>
              <LoginFields text={text} />
            </div>
          </details>
        </div>
        <aside className="grid content-start gap-6">
          <Card title="Planned load">
            <ProfilePreview values={values} shape={shapeReady ? shape.data : undefined}
              profile={profileRead ? profile.data : undefined} />
          </Card>
          <div className="grid gap-3" aria-live="polite">
            {errorCount > 0 && (
              <Notice tone="error" title={`Fix ${errorCount === 1 ? 'one field' : `${errorCount} fields`} to start`} />
            )}
            {apiError && (
              <Notice tone="error" title="The test could not start">{apiError.message}</Notice>
            )}
            <Button type="submit" disabled={create.isPending} className="w-full py-2.5">
              {create.isPending || startWhenRead ? <><Spinner /> Checking target…</> : 'Start test'}
            </Button>
          </div>
        </aside>
      </form>
    </div>
  )
}
