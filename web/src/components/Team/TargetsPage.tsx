import { useState } from 'react'
import type { FormEvent, ReactNode } from 'react'
import type { TargetPublic } from '../../client/api'
import { useAddTarget, useCheckTarget, useDeleteTarget, useTargets } from '../../hooks/team'
import { formatRelative, formatTimestamp } from '../../lib/format'
import { Button } from '../ui/Button'
import { Card } from '../ui/Card'
import { ConfirmDialog } from '../ui/ConfirmDialog'
import { CopyButton } from '../ui/CopyButton'
import { EmptyState, Loading, Notice, Spinner } from '../ui/Feedback'
import { Field } from '../ui/Field'
import { useCan } from '../Account/session'

/**
 * The hosts this team proved it owns (team mode: loads past the free allowance need one), each
 * with its token and the three ways to publish it; "Check now" looks for it at once.
 */
export function TargetsPage() {
  const targets = useTargets()
  const admin = useCan('team.manage')
  return (
    <div className="grid gap-6">
      {admin && <AddTarget />}
      {targets.isLoading ? <Loading label="Loading targets…" />
        : targets.isError ? <Notice title="Could not load the targets">{targets.error.message}</Notice>
          : !targets.data?.length ? <Card><EmptyState title="No targets yet">Add the start page of an app you own, then publish its token.</EmptyState></Card>
            : targets.data.map((t) => <TargetCard key={t.id} target={t} admin={admin} />)}
    </div>
  )
}

function AddTarget() {
  const [url, setUrl] = useState('')
  const add = useAddTarget()
  const submit = (e: FormEvent) => {
    e.preventDefault()
    add.mutate(url.trim(), { onSuccess: () => setUrl('') })
  }
  return (
    <Card title="Add a target">
      <form onSubmit={submit} className="grid gap-2">
        <div className="flex flex-wrap items-end gap-3">
          <Field label="Start page URL" className="min-w-64 flex-1" placeholder="https://shop.example.com/" value={url} onChange={(e) => setUrl(e.target.value)} />
          <Button type="submit" disabled={add.isPending || !url.trim()}>{add.isPending ? <><Spinner /> Adding…</> : 'Add target'}</Button>
        </div>
        {add.error && <Notice title="Could not add the target">{add.error.message}</Notice>}
      </form>
    </Card>
  )
}

function TargetCard({ target, admin }: { target: TargetPublic; admin: boolean }) {
  const check = useCheckTarget()
  const verified = target.verified_at != null
  return (
    <Card title={target.host} actions={admin && (
      <span className="flex gap-2">
        <Button variant="secondary" className="py-1" disabled={check.isPending} onClick={() => check.mutate(target.id)}
          aria-label={`Check ${target.host} now`}>{check.isPending ? <><Spinner /> Checking…</> : 'Check now'}</Button>
        <DeleteTarget target={target} />
      </span>
    )}>
      <div className="grid gap-4 text-sm">
        <p data-testid="target-status">
          {verified
            ? <span className="font-medium text-emerald-700 dark:text-emerald-400">Verified {target.method ? `by ${target.method}` : ''} {formatRelative(target.verified_at)}</span>
            : <span className="font-medium text-amber-700 dark:text-amber-400">Not verified yet</span>}
          {target.checked_at && <span className="text-slate-500 dark:text-slate-400"> · last checked <span title={formatTimestamp(target.checked_at)}>{formatRelative(target.checked_at)}</span></span>}
        </p>
        {target.detail && <p className="break-words text-slate-600 dark:text-slate-300">{target.detail}</p>}
        {check.error && <Notice title="Could not check">{check.error.message}</Notice>}
        <div className="flex flex-wrap items-center gap-2">
          <span className="text-slate-500 dark:text-slate-400">Token</span>
          <code className="break-all rounded bg-slate-100 px-2 py-1 font-mono text-xs dark:bg-slate-800">{target.token}</code>
          <CopyButton text={target.token} label="Copy token" />
        </div>
        <div>
          <p className="mb-2 font-medium">Publish it in one of three ways:</p>
          <ol className="grid gap-2">
            <Way title="A file">Serve the token as the only line of <Code>{target.file_url}</Code></Way>
            <Way title="A meta tag">Put <Code>{target.meta_tag}</Code> in the &lt;head&gt; of <Code>{target.url}</Code></Way>
            <Way title="A DNS TXT record">Add a TXT record holding the token on <Code>{target.host.split(':')[0]}</Code> or <Code>{target.dns_name.split(':')[0]}</Code></Way>
          </ol>
        </div>
      </div>
    </Card>
  )
}

const Code = ({ children }: { children: ReactNode }) => <code className="break-all font-mono text-xs">{children}</code>

function Way({ title, children }: { title: string; children: ReactNode }) {
  return (
    <li className="rounded-lg border border-slate-200 px-3 py-2 dark:border-slate-800">
      <span className="font-medium">{title}: </span><span className="text-slate-600 dark:text-slate-300">{children}</span>
    </li>
  )
}

function DeleteTarget({ target }: { target: TargetPublic }) {
  const [asking, setAsking] = useState(false)
  const remove = useDeleteTarget()
  return (
    <>
      <Button variant="danger" className="py-1" aria-label={`Remove ${target.host}`} onClick={() => setAsking(true)}>Remove</Button>
      <ConfirmDialog open={asking} title={`Remove ${target.host}?`} confirmLabel="Remove target" busyLabel="Removing…" busy={remove.isPending}
        onCancel={() => { setAsking(false); remove.reset() }}
        onConfirm={() => remove.mutate(target.id, { onSuccess: () => setAsking(false) })}>
        <p>Runs past the free allowance against it are refused until it is added and verified again.</p>
        {remove.error && <p role="alert" className="mt-2 text-rose-600 dark:text-rose-400">{remove.error.message}</p>}
      </ConfirmDialog>
    </>
  )
}
