import { useRef } from 'react'
import { Link, useNavigate } from 'react-router'
import { useSignOut, useSwitchTeam } from '../../hooks/auth'
import { Button } from '../ui/Button'
import { Notice, Spinner } from '../ui/Feedback'
import { inputClass } from '../ui/styles'
import { useSession } from './session'

/** The signed-in person's menu in the header: who, which team (switcher), settings, sign out. */
export function UserMenu() {
  const me = useSession()
  const menu = useRef<HTMLDetailsElement>(null)
  const navigate = useNavigate()
  const signOut = useSignOut()
  const switchTeam = useSwitchTeam()
  if (!me) return null
  const name = me.email ?? me.label
  const close = () => menu.current?.removeAttribute('open')

  return (
    <details ref={menu} className="relative">
      <summary aria-label={`Account: ${name}`} title={name}
        className="flex size-9 cursor-pointer list-none items-center justify-center rounded-full bg-indigo-100 text-sm font-semibold uppercase text-indigo-800 hover:bg-indigo-200 dark:bg-indigo-950 dark:text-indigo-200 dark:hover:bg-indigo-900 [&::-webkit-details-marker]:hidden">
        {name.charAt(0)}
      </summary>
      <div className="absolute right-0 z-20 mt-2 grid w-72 gap-3 rounded-xl border border-slate-200 bg-white p-4 text-sm shadow-lg dark:border-slate-700 dark:bg-slate-900">
        <div className="min-w-0">
          <p className="truncate font-medium text-slate-900 dark:text-slate-100" data-testid="signed-in-as">{name}</p>
          <p className="text-xs text-slate-500 dark:text-slate-400">
            {me.team_name ? <>{me.role} in {me.team_name}</> : 'in no team yet'}{me.is_instance_admin && ' · instance admin'}
          </p>
        </div>
        {me.teams.length > 1 && (
          <label className="grid gap-1 text-xs font-medium text-slate-600 dark:text-slate-400">
            Team
            <select value={me.team_id ?? ''} disabled={switchTeam.isPending} className={inputClass(false)}
              onChange={(e) => switchTeam.mutate(Number(e.target.value), { onSuccess: () => { close(); navigate('/') } })}>
              {me.teams.map((t) => <option key={t.team_id} value={t.team_id}>{t.name} ({t.role})</option>)}
            </select>
          </label>
        )}
        {switchTeam.error && <Notice title="Could not switch team">{switchTeam.error.message}</Notice>}
        <Link to="/settings" onClick={close} className="rounded-md px-2 py-1.5 font-medium text-slate-700 hover:bg-slate-100 dark:text-slate-200 dark:hover:bg-slate-800">
          Settings
        </Link>
        {signOut.error && <Notice title="Could not sign out">{signOut.error.message}</Notice>}
        <Button variant="secondary" disabled={signOut.isPending}
          onClick={() => signOut.mutate()}>
          {signOut.isPending ? <><Spinner /> Signing out…</> : 'Sign out'}
        </Button>
      </div>
    </details>
  )
}
