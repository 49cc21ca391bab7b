import { useState } from 'react'
import type { FormEvent } from 'react'
import type { Role, TokenCreated, TokenRecord } from '../../client/api'
import { useCreateToken, useRevokeToken, useTokens } from '../../hooks/team'
import { formatRelative, formatTimestamp } from '../../lib/format'
import { tokenState } from '../../lib/tokens'
import { Button } from '../ui/Button'
import { Card } from '../ui/Card'
import { ConfirmDialog } from '../ui/ConfirmDialog'
import { CopyButton } from '../ui/CopyButton'
import { cx } from '../ui/cx'
import { EmptyState, Loading, Notice, Spinner } from '../ui/Feedback'
import { Field } from '../ui/Field'
import { inputClass } from '../ui/styles'
import { RowHeader, TableContainer, Td, Th } from '../ui/Table'
import { ROLE_HINT } from '../../lib/access'
import { RoleSelect } from './RoleSelect'

/** Team API tokens for CI and scripts (`Authorization: Bearer lsk_…`): create, list, revoke. */
export function TokensPage() {
  const [created, setCreated] = useState<TokenCreated | null>(null)
  return (
    <div className="grid gap-6">
      {created ? <NewToken created={created} onDone={() => setCreated(null)} /> : <CreateToken onCreated={setCreated} />}
      <TokenList />
    </div>
  )
}

const EXPIRY = [['30', '30 days'], ['90', '90 days'], ['365', '1 year'], ['', 'Never']] as const

function CreateToken({ onCreated }: { onCreated: (created: TokenCreated) => void }) {
  const [name, setName] = useState('')
  const [role, setRole] = useState<Role>('runner')
  const [days, setDays] = useState('90')
  const create = useCreateToken()
  const submit = (e: FormEvent) => {
    e.preventDefault()
    create.mutate({ name: name.trim(), role, expires_in_days: days ? Number(days) : null }, { onSuccess: onCreated })
  }
  return (
    <Card title="Create a token">
      <form onSubmit={submit} className="grid gap-3">
        <div className="flex flex-wrap items-end gap-3">
          <Field label="Name" className="min-w-56 flex-1" placeholder="github-actions" maxLength={100}
            value={name} onChange={(e) => setName(e.target.value)} />
          <label className="grid gap-1.5 text-sm font-medium text-slate-700 dark:text-slate-300">
            Role <RoleSelect aria-label="Role" value={role} onChange={setRole} />
          </label>
          <label className="grid gap-1.5 text-sm font-medium text-slate-700 dark:text-slate-300">
            Expires
            <select aria-label="Expires" value={days} onChange={(e) => setDays(e.target.value)} className={cx(inputClass(false), 'w-auto py-1.5')}>
              {EXPIRY.map(([value, label]) => <option key={label} value={value}>{label}</option>)}
            </select>
          </label>
          <Button type="submit" disabled={create.isPending || !name.trim()}>{create.isPending ? <><Spinner /> Creating…</> : 'Create token'}</Button>
        </div>
        <p className="text-xs text-slate-500 dark:text-slate-400">
          A token acts in this team as a <span className="capitalize">{role}</span> ({ROLE_HINT[role]}). Send it as <code>Authorization: Bearer lsk_…</code>, or set <code>LOADSCOUT_TOKEN</code> for <code>loadscout run --server</code>.
        </p>
        {create.error && <Notice title="Could not create the token">{create.error.message}</Notice>}
      </form>
    </Card>
  )
}

/** The new token, shown this once: the server keeps only its hash. */
function NewToken({ created, onDone }: { created: TokenCreated; onDone: () => void }) {
  return (
    <Card title={`Token “${created.record.name}” created`}>
      <div className="grid gap-3">
        <Notice tone="warning" title="Copy it now: you won't see it again">
          loadscout stores only a hash of it. If it is lost, revoke it and create another.
        </Notice>
        <div className="flex flex-wrap items-center gap-2">
          <code data-testid="new-token" className="min-w-0 flex-1 break-all rounded-lg bg-slate-100 px-3 py-2 font-mono text-sm dark:bg-slate-800">{created.token}</code>
          <CopyButton text={created.token} label="Copy token" />
        </div>
        <div><Button variant="secondary" onClick={onDone}>Done</Button></div>
      </div>
    </Card>
  )
}

function TokenList() {
  const tokens = useTokens()
  return (
    <Card title="Tokens">
      {tokens.isLoading ? <Loading label="Loading tokens…" />
        : tokens.isError ? <Notice title="Could not load the tokens">{tokens.error.message}</Notice>
          : !tokens.data?.length ? <EmptyState title="No tokens yet">Create one for CI or a script.</EmptyState>
            : (
              <TableContainer label="Tokens">
                <thead><tr>
                  <Th>Name</Th><Th>Prefix</Th><Th>Role</Th><Th>Created by</Th><Th>Created</Th><Th>Expires</Th><Th>Last used</Th><Th>State</Th>
                  <Th><span className="sr-only">Actions</span></Th>
                </tr></thead>
                <tbody>{tokens.data.map((t) => <TokenRow key={t.id} token={t} />)}</tbody>
              </TableContainer>
            )}
    </Card>
  )
}

const STATE_TONE = {
  active: 'text-emerald-700 dark:text-emerald-400',
  expired: 'text-amber-700 dark:text-amber-400',
  revoked: 'text-slate-500 dark:text-slate-400',
}

function TokenRow({ token }: { token: TokenRecord }) {
  const state = tokenState(token)
  return (
    <tr data-token-id={token.id}>
      <RowHeader>{token.name}</RowHeader>
      <Td><code className="font-mono text-xs">{token.prefix}…</code></Td>
      <Td className="capitalize">{token.role}</Td>
      <Td>{token.created_by}</Td>
      <Td><span title={formatTimestamp(token.created_at)}>{formatRelative(token.created_at)}</span></Td>
      <Td>{token.expires_at ? formatTimestamp(token.expires_at) : 'never'}</Td>
      <Td>{token.last_used_at ? <span title={formatTimestamp(token.last_used_at)}>{formatRelative(token.last_used_at)}</span> : 'never'}</Td>
      <Td><span className={cx('font-medium capitalize', STATE_TONE[state])}>{state}</span>
        {token.revoked_at && <span className="ml-1 text-xs text-slate-500">{formatRelative(token.revoked_at)}</span>}</Td>
      <Td className="text-right">{state === 'active' && <RevokeToken token={token} />}</Td>
    </tr>
  )
}

function RevokeToken({ token }: { token: TokenRecord }) {
  const [asking, setAsking] = useState(false)
  const revoke = useRevokeToken()
  return (
    <>
      <Button variant="danger" className="py-1" aria-label={`Revoke ${token.name}`} onClick={() => setAsking(true)}>Revoke</Button>
      <ConfirmDialog open={asking} title={`Revoke “${token.name}”?`} confirmLabel="Revoke token" busyLabel="Revoking…" busy={revoke.isPending}
        onCancel={() => { setAsking(false); revoke.reset() }}
        onConfirm={() => revoke.mutate(token.id, { onSuccess: () => setAsking(false) })}>
        <p>Anything using it gets 401 from its next request on. This cannot be undone.</p>
        {revoke.error && <p role="alert" className="mt-2 text-rose-600 dark:text-rose-400">{revoke.error.message}</p>}
      </ConfirmDialog>
    </>
  )
}
