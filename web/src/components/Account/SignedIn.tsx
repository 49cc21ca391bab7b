import { useEffect } from 'react'
import type { ReactNode } from 'react'
import { Navigate, useLocation, useNavigate } from 'react-router'
import { useQueryClient } from '@tanstack/react-query'
import { ApiError, setSessionEndedHandler } from '../../client/api'
import { meKey, useMe } from '../../hooks/auth'
import { can, type Action } from '../../lib/access'
import { signInPath } from '../../lib/signin'
import { Card } from '../ui/Card'
import { EmptyState, Loading, Notice } from '../ui/Feedback'
import { SessionContext, useSession } from './session'

/** Renders its children for a signed-in person only; anyone else goes to /signin?next=here. */
export function SignedIn({ children }: { children: ReactNode }) {
  const me = useMe()
  const location = useLocation()
  useSessionEndedRedirect()
  if (me.isPending) return <Loading label="Checking your session…" />
  if (me.isError) {
    if (me.error instanceof ApiError && me.error.status === 401) {
      return <Navigate to={signInPath(location) ?? '/signin'} replace />
    }
    return <div className="p-6"><Notice title="Could not reach loadscout">{me.error.message}</Notice></div>
  }
  return <SessionContext.Provider value={me.data}>{children}</SessionContext.Provider>
}

/** Any API answer of 401 (the session ended, expired or was revoked) leads to the sign-in page. */
function useSessionEndedRedirect() {
  const navigate = useNavigate()
  const client = useQueryClient()
  useEffect(() => {
    setSessionEndedHandler(() => {
      const to = signInPath(window.location)
      if (!to) return
      navigate(to, { replace: true })
      client.removeQueries({ queryKey: meKey })
    })
    return () => setSessionEndedHandler(() => {})
  }, [navigate, client])
}

/** A page for roles that may do `action`; others read why instead of meeting a 403. */
export function RequireAccess({ action, children }: { action: Action; children: ReactNode }) {
  const me = useSession()
  if (can(me, action)) return children
  const why = me?.team_id == null ? 'You are in no team yet: ask an admin to add you.'
    : `Your role in ${me.team_name} is ${me.role}; ask a team admin for more.`
  return <Card><EmptyState title="You cannot open this page">{why}</EmptyState></Card>
}
