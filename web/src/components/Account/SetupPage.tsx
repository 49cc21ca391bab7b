import { useEffect, useState } from 'react'
import type { FormEvent } from 'react'
import { Link, useNavigate } from 'react-router'
import { useSetUp, useSetupNeeded } from '../../hooks/auth'
import { checkNewAccount, MIN_PASSWORD, setupToken } from '../../lib/signin'
import type { PasswordErrors } from '../../lib/signin'
import { buttonClass } from '../ui/styles'
import { Button } from '../ui/Button'
import { Notice, Spinner } from '../ui/Feedback'
import { Field } from '../ui/Field'
import { AuthCard } from './SignInPage'

/**
 * The first admin's account, from the one-time link `loadscout serve` printed
 * (`/setup#token=…`). The token is read from the fragment, sent only in the set-up request,
 * and wiped from the address bar so it stays out of history and screenshots.
 */
export function SetupPage() {
  const [token] = useState(() => setupToken(window.location.hash))
  useEffect(() => {
    if (window.location.hash) window.history.replaceState(window.history.state, '', window.location.pathname)
  }, [])
  const needed = useSetupNeeded()

  if (needed.data === false) {
    return (
      <AuthCard title="Set up loadscout">
        <Notice tone="info" title="This loadscout is set up already">Sign in with your account.</Notice>
        <Link to="/signin" className={buttonClass('primary', 'mt-4 w-full')}>Sign in</Link>
      </AuthCard>
    )
  }
  return (
    <AuthCard title="Set up loadscout">
      {token ? <SetupForm token={token} />
        : <Notice title="This link has no set-up token">Open the whole link that <code>loadscout serve</code> printed: it ends with <code>#token=…</code>.</Notice>}
    </AuthCard>
  )
}

function SetupForm({ token }: { token: string }) {
  const navigate = useNavigate()
  const setUp = useSetUp()
  const [email, setEmail] = useState('')
  const [password, setPassword] = useState('')
  const [confirm, setConfirm] = useState('')
  const [errors, setErrors] = useState<PasswordErrors>({})

  const submit = (e: FormEvent) => {
    e.preventDefault()
    const found = checkNewAccount(email, password, confirm)
    setErrors(found)
    if (Object.keys(found).length) return
    setUp.mutate({ token, email: email.trim(), password }, { onSuccess: () => navigate('/', { replace: true }) })
  }

  return (
    <form className="grid gap-4" onSubmit={submit} noValidate>
      <p className="text-sm text-slate-600 dark:text-slate-300">Choose the first admin's email and password. This link works once.</p>
      {setUp.error && <Notice title="Could not set up">{setUp.error.message}</Notice>}
      <Field label="Email" type="email" autoComplete="username" value={email} error={errors.email}
        onChange={(e) => setEmail(e.target.value)} />
      <Field label="Password" type="password" autoComplete="new-password" value={password} error={errors.password}
        hint={`At least ${MIN_PASSWORD} characters`} onChange={(e) => setPassword(e.target.value)} />
      <Field label="Password again" type="password" autoComplete="new-password" value={confirm} error={errors.confirm}
        onChange={(e) => setConfirm(e.target.value)} />
      <Button type="submit" disabled={setUp.isPending}>
        {setUp.isPending ? <><Spinner /> Setting up…</> : 'Create admin and sign in'}
      </Button>
    </form>
  )
}
