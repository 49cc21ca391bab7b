import { useState } from 'react'
import type { FormEvent } from 'react'
import type { MemberRecord, Role } from '../../client/api'
import { useMembers, useRemoveMember, useSetMember } from '../../hooks/team'
import { Button } from '../ui/Button'
import { Card } from '../ui/Card'
import { ConfirmDialog } from '../ui/ConfirmDialog'
import { Loading, Notice, Spinner } from '../ui/Feedback'
import { Field } from '../ui/Field'
import { RowHeader, TableContainer, Td, Th } from '../ui/Table'
import { useCan, useSession } from '../Account/session'
import { ROLE_HINT } from '../../lib/access'
import { RoleSelect } from './RoleSelect'

export function MembersPage() {
  const members = useMembers()
  const admin = useCan('team.manage')
  const setMember = useSetMember()
  return (
    <div className="grid gap-6">
      <Card title="Members">
        {members.isLoading ? <Loading label="Loading members…" />
          : members.isError ? <Notice title="Could not load the members">{members.error.message}</Notice>
            : (
              <>
                {setMember.error && <div className="mb-3"><Notice title="Could not change the role">{setMember.error.message}</Notice></div>}
                <TableContainer label="Members">
                  <thead><tr><Th>Email</Th><Th>Role</Th>{admin && <Th><span className="sr-only">Actions</span></Th>}</tr></thead>
                  <tbody>
                    {members.data?.map((m) => <MemberRow key={m.user_id} member={m} admin={admin}
                      onRole={(role) => setMember.mutate({ email: m.email, role })} busy={setMember.isPending} />)}
                  </tbody>
                </TableContainer>
              </>
            )}
      </Card>
      {admin && <AddMember />}
    </div>
  )
}

function MemberRow({ member, admin, onRole, busy }: { member: MemberRecord; admin: boolean; onRole: (role: Role) => void; busy: boolean }) {
  const me = useSession()
  return (
    <tr>
      <RowHeader>{member.email}{member.user_id === me?.user_id && <span className="ml-2 text-xs font-normal text-slate-500">(you)</span>}</RowHeader>
      <Td>{admin ? <RoleSelect aria-label={`Role of ${member.email}`} value={member.role} onChange={onRole} disabled={busy} />
        : <span className="capitalize">{member.role}</span>}</Td>
      {admin && <Td className="text-right"><RemoveMember member={member} /></Td>}
    </tr>
  )
}

function RemoveMember({ member }: { member: MemberRecord }) {
  const [asking, setAsking] = useState(false)
  const remove = useRemoveMember()
  return (
    <>
      <Button variant="danger" className="py-1" onClick={() => setAsking(true)} aria-label={`Remove ${member.email}`}>Remove</Button>
      <ConfirmDialog open={asking} title={`Remove ${member.email}?`} confirmLabel="Remove" busyLabel="Removing…" busy={remove.isPending}
        onCancel={() => { setAsking(false); remove.reset() }}
        onConfirm={() => remove.mutate(member.user_id, { onSuccess: () => setAsking(false) })}>
        <p>They lose access to this team's runs at once; their account stays.</p>
        {remove.error && <p role="alert" className="mt-2 text-rose-600 dark:text-rose-400">{remove.error.message}</p>}
      </ConfirmDialog>
    </>
  )
}

function AddMember() {
  const [email, setEmail] = useState('')
  const [role, setRole] = useState<Role>('runner')
  const add = useSetMember()
  const submit = (e: FormEvent) => {
    e.preventDefault()
    add.mutate({ email: email.trim(), role }, { onSuccess: () => setEmail('') })
  }
  return (
    <Card title="Add a member">
      <form onSubmit={submit} className="grid gap-3">
        <p className="text-sm text-slate-500 dark:text-slate-400">The account must exist: an instance admin creates accounts under Users.</p>
        <div className="flex flex-wrap items-end gap-3">
          <Field label="Email" type="email" className="min-w-56 flex-1" value={email} onChange={(e) => setEmail(e.target.value)} />
          <label className="grid gap-1.5 text-sm font-medium text-slate-700 dark:text-slate-300">
            Role <RoleSelect aria-label="Role" value={role} onChange={setRole} />
          </label>
          <Button type="submit" disabled={add.isPending || !email.trim()}>{add.isPending ? <><Spinner /> Adding…</> : 'Add member'}</Button>
        </div>
        <p className="text-xs text-slate-500 dark:text-slate-400"><span className="capitalize">{role}</span>: {ROLE_HINT[role]}.</p>
        {add.error && <Notice title="Could not add the member">{add.error.message}</Notice>}
      </form>
    </Card>
  )
}
