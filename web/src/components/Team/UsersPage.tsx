import { useState } from 'react'
import type { FormEvent } from 'react'
import { useCreateUser, useUsers } from '../../hooks/team'
import { checkNewAccount, MIN_PASSWORD } from '../../lib/signin'
import type { PasswordErrors } from '../../lib/signin'
import { Button } from '../ui/Button'
import { Card } from '../ui/Card'
import { Loading, Notice, Spinner } from '../ui/Feedback'
import { Field } from '../ui/Field'
import { RowHeader, TableContainer, Td, Th } from '../ui/Table'

/** Every account on this instance (instance admins), and a form for a new one. */
export function UsersPage() {
  const users = useUsers()
  return (
    <div className="grid gap-6">
      <CreateUser />
      <Card title="Users">
        {users.isLoading ? <Loading label="Loading users…" />
          : users.isError ? <Notice title="Could not load the users">{users.error.message}</Notice>
            : (
              <TableContainer label="Users">
                <thead><tr><Th>Email</Th><Th>Instance admin</Th><Th>State</Th></tr></thead>
                <tbody>{users.data?.map((u) => (
                  <tr key={u.id}><RowHeader>{u.email}</RowHeader><Td>{u.is_admin ? 'yes' : 'no'}</Td><Td>{u.disabled ? 'disabled' : 'active'}</Td></tr>
                ))}</tbody>
              </TableContainer>
            )}
      </Card>
    </div>
  )
}

function CreateUser() {
  const [email, setEmail] = useState('')
  const [password, setPassword] = useState('')
  const [isAdmin, setIsAdmin] = useState(false)
  const [errors, setErrors] = useState<PasswordErrors>({})
  const create = useCreateUser()
  const submit = (e: FormEvent) => {
    e.preventDefault()
    const found = checkNewAccount(email, password, password)
    setErrors(found)
    if (Object.keys(found).length) return
    create.mutate({ email: email.trim(), password, is_admin: isAdmin }, { onSuccess: () => { setEmail(''); setPassword(''); setIsAdmin(false) } })
  }
  return (
    <Card title="New account">
      <form onSubmit={submit} noValidate className="grid gap-3">
        <div className="grid gap-3 sm:grid-cols-2">
          <Field label="Email" type="email" autoComplete="off" value={email} error={errors.email} onChange={(e) => setEmail(e.target.value)} />
          <Field label="Password" type="password" autoComplete="new-password" value={password} error={errors.password}
            hint={`At least ${MIN_PASSWORD} characters; tell them to keep it safe`} onChange={(e) => setPassword(e.target.value)} />
        </div>
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" className="size-4 accent-indigo-600" checked={isAdmin} onChange={(e) => setIsAdmin(e.target.checked)} />
          Instance admin (manages teams, users and quotas)
        </label>
        <p className="text-xs text-slate-500 dark:text-slate-400">The account starts in no team: add it to one under Members or Teams.</p>
        {create.error && <Notice title="Could not create the account">{create.error.message}</Notice>}
        {create.data && <Notice tone="info">Created {create.data.email}.</Notice>}
        <div><Button type="submit" disabled={create.isPending}>{create.isPending ? <><Spinner /> Creating…</> : 'Create account'}</Button></div>
      </form>
    </Card>
  )
}
