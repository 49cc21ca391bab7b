import { useTeam } from '../../hooks/team'
import { Card } from '../ui/Card'
import { Loading, Notice } from '../ui/Feedback'
import { useCan } from '../Account/session'
import { QuotasForm, QuotasList } from './QuotasForm'

/** The current team's quotas: read-only for its members, editable by instance admins. */
export function QuotasPage() {
  const team = useTeam()
  const editable = useCan('instance.manage')
  if (team.isLoading) return <Loading label="Loading quotas…" />
  if (team.isError) return <Notice title="Could not load the quotas">{team.error.message}</Notice>
  if (!team.data) return null
  return (
    <Card title={`Quotas of ${team.data.name}`}>
      <div className="grid gap-4">
        <p className="text-sm text-slate-500 dark:text-slate-400">
          A run over a quota is refused with 429 before it starts.{!editable && ' Only an instance admin can change them.'}
        </p>
        {editable ? <QuotasForm key={team.data.id} team={team.data} /> : <QuotasList team={team.data} />}
      </div>
    </Card>
  )
}
