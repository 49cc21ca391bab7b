import type { ProfilePreview as Profile, ShapePreview as Shape } from '../../client/api'
import { formatDuration } from '../../lib/format'
import type { RunFormValues } from '../../lib/runForm'
import { ShapePreview } from '../Charts/ShapePreview'

const B = ({ children }: { children: React.ReactNode }) => <b className="text-slate-700 dark:text-slate-200">{children}</b>
const note = 'mt-2 text-xs text-slate-500 dark:text-slate-400'

/**
 * The chosen profile as a picture, drawn from the server's reading of it: users over time (closed)
 * or arrival rate over time (open). A custom shape has its own preview (POST /shapes/preview).
 */
export function ProfilePreview({ values, shape, profile }: { values: RunFormValues; shape?: Shape; profile?: Profile }) {
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
  const fields = profile?.fields
  const data = fields ? (profile.points ?? []).map((p) => ({ t: p.t, value: p.value })) : []
  const open = profile?.unit === 'rate'
  return (
    <>
      <ShapePreview data={data} yKey="value" empty="Enter a valid load to preview it."
        label={fields ? `Planned ${open ? 'arrival rate' : 'users'}: peak ${profile.peak} over ${profile.duration_s} s` : 'Planned load: not valid yet'} />
      {fields && (open
        ? <p className={note}><B>{profile.peak}</B> iterations/s for <B>{formatDuration(profile.duration_s)}</B>, at most <B>{fields.max_users}</B> users at once.</p>
        : <p className={note}>Up to <B>{profile.peak}</B> users over <B>{formatDuration(profile.duration_s)}</B>, after discovery.</p>)}
    </>
  )
}
