import { useState } from 'react'
import type { FormEvent } from 'react'
import type { TeamPublic } from '../../client/api'
import { useSetQuotas } from '../../hooks/team'
import { QUOTAS, quotasToText, quotaValue, textToQuotas } from '../../lib/quotas'
import type { QuotaText } from '../../lib/quotas'
import { Button } from '../ui/Button'
import { Notice, Spinner } from '../ui/Feedback'
import { Field } from '../ui/Field'

/** A team's quotas as a read-only list. */
export function QuotasList({ team }: { team: TeamPublic }) {
  return (
    <dl aria-label={`Quotas of ${team.name}`} className="grid gap-3 sm:grid-cols-4">
      {QUOTAS.map(({ key, label, unit }) => (
        <div key={key} className="min-w-0">
          <dt className="text-xs font-medium uppercase tracking-wide text-slate-500 dark:text-slate-400">{label}</dt>
          <dd className="mt-1 text-sm font-semibold tabular-nums">{quotaValue(team.quotas[key], unit)}</dd>
        </div>
      ))}
    </dl>
  )
}

/** Edit a team's quotas (instance admins); an empty field lifts the quota. */
export function QuotasForm({ team, onSaved }: { team: TeamPublic; onSaved?: () => void }) {
  const [text, setText] = useState<QuotaText>(() => quotasToText(team.quotas))
  const [errors, setErrors] = useState<Partial<QuotaText>>({})
  const save = useSetQuotas()
  const submit = (e: FormEvent) => {
    e.preventDefault()
    const { quotas, errors: found } = textToQuotas(text)
    setErrors(found)
    if (Object.keys(found).length === 0) save.mutate({ teamId: team.id, quotas }, { onSuccess: onSaved })
  }
  return (
    <form onSubmit={submit} className="grid gap-3" aria-label={`Quotas of ${team.name}`}>
      <div className="grid gap-3 sm:grid-cols-4">
        {QUOTAS.map(({ key, label, unit }) => (
          <Field key={key} label={label} suffix={unit} inputMode="decimal" placeholder="server limit"
            value={text[key]} error={errors[key]} onChange={(e) => setText({ ...text, [key]: e.target.value })} />
        ))}
      </div>
      <p className="text-xs text-slate-500 dark:text-slate-400">Leave a field empty for the server's own limit.</p>
      {save.error && <Notice title="Could not save the quotas">{save.error.message}</Notice>}
      {save.isSuccess && <Notice tone="info">Saved.</Notice>}
      <div><Button type="submit" disabled={save.isPending}>{save.isPending ? <><Spinner /> Saving…</> : 'Save quotas'}</Button></div>
    </form>
  )
}
