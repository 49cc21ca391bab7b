import type { ShapePreview as Shape } from '../../client/api'
import { parseDuration } from '../../lib/durations'
import { formatDuration } from '../../lib/format'
import { rateOverTime, stagesDuration, stagesOverTime, stagesPeak } from '../../lib/loadProfile'
import type { RunFormValues } from '../../lib/runForm'
import { RampPreview } from '../Charts/RampPreview'
import { ShapePreview } from '../Charts/ShapePreview'

const B = ({ children }: { children: React.ReactNode }) => <b className="text-slate-700 dark:text-slate-200">{children}</b>
const note = 'mt-2 text-xs text-slate-500 dark:text-slate-400'

/** The chosen profile as a picture: users over time (closed) or arrival rate over time (open). */
export function ProfilePreview({ values, shape }: { values: RunFormValues; shape?: Shape }) {
  const duration = parseDuration(values.duration_s) || 0
  if (values.profile === 'shape') {
    const data = shape ? shape.points.map((p) => ({ t: p.t, value: p.value })) : []
    const unit = shape?.unit === 'rate' ? 'iterations/s' : 'users'
    return (
      <>
        <ShapePreview data={data} yKey="value" empty="Paste or load a shape to preview the load."
          label={shape ? `Planned ${shape.unit === 'rate' ? 'arrival rate' : 'users'}: custom ${shape.kind} shape, peak ${shape.peak} over ${shape.duration_s} s` : 'Planned load: no shape yet'} />
        {shape && <p className={note}>Up to <B>{shape.peak}</B> {unit} over <B>{formatDuration(shape.duration_s)}</B>, after discovery.</p>}
      </>
    )
  }
  if (values.profile === 'stages') {
    const total = stagesDuration(values.stages)
    const peak = stagesPeak(values.stages)
    return (
      <>
        <ShapePreview data={stagesOverTime(values.stages)} yKey="users" empty="Enter valid stages to preview the load."
          label={`Planned users: ${values.stages.length} stages, peak ${peak} over ${total} s`} />
        <p className={note}>Up to <B>{peak}</B> users over <B>{total} s</B>, after discovery.</p>
      </>
    )
  }
  if (values.profile === 'arrival') {
    const rate = Number(values.arrival_rate.trim().replace(/\/s$/, '')) || 0
    return (
      <>
        <ShapePreview data={rateOverTime(rate, duration)} yKey="rate" empty="Enter a rate and a duration to preview the load."
          label={`Planned arrival rate: ${rate} iterations/s for ${duration} s`} />
        <p className={note}>
          <B>{rate}</B> iterations/s for <B>{duration} s</B>, at most <B>{values.max_users || 0}</B> users at once.
        </p>
      </>
    )
  }
  return (
    <>
      <RampPreview users={Number(values.users) || 0} durationS={duration} rampUpS={parseDuration(values.ramp_up_s) || 0} />
      <p className={note}>Up to <B>{values.users || 0}</B> users for <B>{formatDuration(duration)}</B>, after discovery.</p>
    </>
  )
}
