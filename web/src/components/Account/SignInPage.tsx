import { useState } from 'react'
import type { FormEvent, ReactNode } from 'react'
import { useNavigate, useSearchParams } from 'react-router'
import { useSetupNeeded, useSignIn, useSso } from '../../hooks/auth'
import { safeNext, ssoError, ssoLoginUrl } from '../../lib/signin'
import { Button } from '../ui/Button'
import { Card } from '../ui/Card'
import { Notice, Spinner } from '../ui/Feedback'
import { Field } from '../ui/Field'
import { buttonClass } from '../ui/styles'

/** A narrow centred card for the pages shown before anyone is signed in. */
export function AuthCard({ title, children }: { title: string; children: ReactNode }) {
  return (
    <div className="mx-auto grid max-w-sm gap-4 pt-4 sm:pt-12">
      <h1 className="text-center text-xl font-semibold tracking-tight">{title}</h1>
      <Card>{children}</Card>
    </div>
  )
}

const sentence = (text: string) => text.charAt(0).toUpperCase() + text.slice(1)

export function SignInPage() {
  const [params] = useSearchParams()
  const navigate = useNavigate()
  const signIn = useSignIn()
  const setupNeeded = useSetupNeeded().data
  const sso = useSso().data
  const [email, setEmail] = useState('')
  const [password, setPassword] = useState('')

  const submit = (e: FormEvent) => {
    e.preventDefault()
    signIn.mutate({ email: email.trim(), password }, {
      onSuccess: () => navigate(safeNext(params.get('next')), { replace: true }),
    })
  }

  // A failed single sign-on comes back as ?error=…; a password attempt replaces it.
  const error = signIn.error ? sentence(signIn.error.message) : signIn.isIdle ? ssoError(params.get('error')) : null

  return (
    <AuthCard title="Sign in to loadscout">
      <form className="grid gap-4" onSubmit={submit} noValidate>
        {setupNeeded && (
          <Notice tone="info" title="No account exists yet">
            Open the one-time set-up link that <code>loadscout serve</code> printed to choose the first admin's password.
          </Notice>
        )}
        {error && <Notice title="Could not sign in">{error}</Notice>}
        {sso?.enabled && <SsoButton name={sso.name} next={params.get('next')} />}
        <Field label="Email" type="email" autoComplete="username" required value={email}
          onChange={(e) => setEmail(e.target.value)} />
        <Field label="Password" type="password" autoComplete="current-password" required value={password}
          onChange={(e) => setPassword(e.target.value)} />
        <Button type="submit" disabled={signIn.isPending || !email.trim() || !password}>
          {signIn.isPending ? <><Spinner /> Signing in…</> : 'Sign in'}
        </Button>
        <p className="text-xs text-slate-500 dark:text-slate-400">
          No account? An admin of this loadscout creates one for you.
        </p>
      </form>
    </AuthCard>
  )
}

/** A plain link, not a fetch: the server sends the browser on to the provider and back. */
function SsoButton({ name, next }: { name: string; next: string | null }) {
  return (
    <>
      <a href={ssoLoginUrl(next)} className={buttonClass('secondary')}>Sign in with {name || 'SSO'}</a>
      <p className="flex items-center gap-3 text-xs text-slate-500 before:h-px before:flex-1 before:bg-slate-200 after:h-px after:flex-1 after:bg-slate-200 dark:text-slate-400 dark:before:bg-slate-800 dark:after:bg-slate-800">
        or with a password
      </p>
    </>
  )
}
