import { Navigate, NavLink, Route, Routes } from 'react-router'
import { settingsSections } from '../../lib/access'
import { Card } from '../ui/Card'
import { cx } from '../ui/cx'
import { EmptyState } from '../ui/Feedback'
import { PageHeader } from '../ui/PageHeader'
import { RequireAccess } from '../Account/SignedIn'
import { useSession } from '../Account/session'
import { AuditPage } from './AuditPage'
import { MembersPage } from './MembersPage'
import { QuotasPage } from './QuotasPage'
import { TargetsPage } from './TargetsPage'
import { TeamsPage } from './TeamsPage'
import { TokensPage } from './TokensPage'
import { UsersPage } from './UsersPage'

const tabClass = ({ isActive }: { isActive: boolean }) => cx(
  'whitespace-nowrap rounded-md px-3 py-1.5 text-sm font-medium transition-colors',
  isActive ? 'bg-slate-100 text-slate-900 dark:bg-slate-800 dark:text-white'
    : 'text-slate-600 hover:text-slate-900 dark:text-slate-400 dark:hover:text-white',
)

/** /settings/*: the team's members, tokens, audit and quotas; teams and users for instance admins. */
export function SettingsPage() {
  const me = useSession()
  if (!me) return null
  const sections = settingsSections(me)
  return (
    <div>
      <PageHeader title="Settings" subtitle={me.team_name ? `Team ${me.team_name} · you are ${me.role}` : 'You are in no team yet'} />
      <nav aria-label="Settings" className="-mx-4 mb-6 flex gap-1 overflow-x-auto px-4">
        {sections.map((s) => <NavLink key={s.path} to={`/settings/${s.path}`} className={tabClass}>{s.label}</NavLink>)}
      </nav>
      <Routes>
        <Route index element={sections[0] ? <Navigate to={`/settings/${sections[0].path}`} replace />
          : <Card><EmptyState title="Nothing to set up">You are in no team yet: ask an admin to add you.</EmptyState></Card>} />
        <Route path="members" element={<MembersPage />} />
        <Route path="tokens" element={<RequireAccess action="team.manage"><TokensPage /></RequireAccess>} />
        <Route path="audit" element={<RequireAccess action="team.manage"><AuditPage /></RequireAccess>} />
        <Route path="quotas" element={<QuotasPage />} />
        <Route path="targets" element={<TargetsPage />} />
        <Route path="teams" element={<RequireAccess action="instance.manage"><TeamsPage /></RequireAccess>} />
        <Route path="users" element={<RequireAccess action="instance.manage"><UsersPage /></RequireAccess>} />
        <Route path="*" element={<Navigate to="/settings" replace />} />
      </Routes>
    </div>
  )
}
