import { useState } from 'react'
import type { FormEvent } from 'react'
import type { Role, TeamPublic } from '../../client/api'
import { useAddToTeam, useCreateTeam, useTeams } from '../../hooks/team'
import { Button } from '../ui/Button'
import { Card } from '../ui/Card'
import { Loading, Notice, Spinner } from '../ui/Feedback'
import { Field } from '../ui/Field'
import { QuotasForm, QuotasList } from './QuotasForm'
import { RoleSelect } from './RoleSelect'

/** Every team on this instance (instance admins): quotas, adding people, new teams. */
export function TeamsPage() {
  const teams = useTeams()
  return (
    <div className="grid gap-6">
      <CreateTeam />
      {teams.isLoading ? <Loading label="Loading teams…" />
        : teams.isError ? <Notice title="Could not load the teams">{teams.error.message}</Notice>
          : teams.data?.map((team) => <TeamCard key={team.id} team={team} />)}
    </div>
  )
}

function TeamCard({ team }: { team: TeamPublic }) {
  const [editing, setEditing] = useState(false)
  return (
    <Card title={team.name} actions={
      <Button variant="ghost" className="py-1" onClick={() => setEditing(!editing)} aria-expanded={editing}
        aria-label={`${editing ? 'Close' : 'Edit'} quotas of ${team.name}`}>{editing ? 'Close' : 'Edit quotas'}</Button>
    }>
      <div className="grid gap-5">
        {editing ? <QuotasForm team={team} onSaved={() => setEditing(false)} /> : <QuotasList team={team} />}
        <AddToTeam team={team} />
      </div>
    </Card>
  )
}

function AddToTeam({ team }: { team: TeamPublic }) {
  const [email, setEmail] = useState('')
  const [role, setRole] = useState<Role>('runner')
  const add = useAddToTeam()
  const submit = (e: FormEvent) => {
    e.preventDefault()
    add.mutate({ teamId: team.id, email: email.trim(), role }, { onSuccess: () => setEmail('') })
  }
  return (
    <form onSubmit={submit} className="grid gap-2 border-t border-slate-100 pt-4 dark:border-slate-800" aria-label={`Add a member to ${team.name}`}>
      <div className="flex flex-wrap items-end gap-3">
        <Field label="Add by email" type="email" className="min-w-56 flex-1" value={email} onChange={(e) => setEmail(e.target.value)} />
        <label className="grid gap-1.5 text-sm font-medium text-slate-700 dark:text-slate-300">Role <RoleSelect aria-label="Role" value={role} onChange={setRole} /></label>
        <Button type="submit" variant="secondary" disabled={add.isPending || !email.trim()}>{add.isPending ? <><Spinner /> Adding…</> : 'Add or change role'}</Button>
      </div>
      {add.error && <Notice title="Could not add the member">{add.error.message}</Notice>}
      {add.data && <Notice tone="info">{add.data.email} is {add.data.role} in {team.name}.</Notice>}
    </form>
  )
}

function CreateTeam() {
  const [name, setName] = useState('')
  const create = useCreateTeam()
  const submit = (e: FormEvent) => {
    e.preventDefault()
    create.mutate(name.trim(), { onSuccess: () => setName('') })
  }
  return (
    <Card title="New team">
      <form onSubmit={submit} className="grid gap-2">
        <div className="flex flex-wrap items-end gap-3">
          <Field label="Name" className="min-w-56 flex-1" maxLength={100} value={name} onChange={(e) => setName(e.target.value)} />
          <Button type="submit" disabled={create.isPending || !name.trim()}>{create.isPending ? <><Spinner /> Creating…</> : 'Create team'}</Button>
        </div>
        {create.error && <Notice title="Could not create the team">{create.error.message}</Notice>}
      </form>
    </Card>
  )
}
