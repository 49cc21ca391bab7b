import type { ReactNode } from 'react'
import { NavLink, Route, Routes } from 'react-router'
import { useTheme } from './lib/theme'
import { NewRunPage } from './components/Runs/NewRunPage'
import { RunDetailPage } from './components/Runs/RunDetailPage'
import { RunsPage } from './components/Runs/RunsPage'
import { ComparePage } from './components/Compare/ComparePage'
import { RequireAccess, SignedIn } from './components/Account/SignedIn'
import { SetupPage } from './components/Account/SetupPage'
import { SignInPage } from './components/Account/SignInPage'
import { UserMenu } from './components/Account/UserMenu'
import { useCan } from './components/Account/session'
import { SettingsPage } from './components/Team/SettingsPage'
import { Card } from './components/ui/Card'
import { EmptyState } from './components/ui/Feedback'
import { cx } from './components/ui/cx'

const navClass = ({ isActive }: { isActive: boolean }) => cx(
  'rounded-md px-3 py-1.5 text-sm font-medium transition-colors',
  isActive ? 'bg-slate-100 text-slate-900 dark:bg-slate-800 dark:text-white'
    : 'text-slate-600 hover:text-slate-900 dark:text-slate-400 dark:hover:text-white',
)

/** Sign-in and set-up stand alone; every other page is for a signed-in person. */
export default function App() {
  return (
    <Routes>
      <Route path="/signin" element={<Shell><SignInPage /></Shell>} />
      <Route path="/setup" element={<Shell><SetupPage /></Shell>} />
      <Route path="*" element={<SignedIn><Shell signedIn><AppRoutes /></Shell></SignedIn>} />
    </Routes>
  )
}

function AppRoutes() {
  return (
    <Routes>
      <Route path="/" element={<RunsPage />} />
      <Route path="/runs/new" element={<RequireAccess action="run.create"><NewRunPage /></RequireAccess>} />
      <Route path="/runs/:id" element={<RunDetailPage />} />
      <Route path="/compare" element={<ComparePage />} />
      <Route path="/settings/*" element={<SettingsPage />} />
      <Route path="*" element={<Card><EmptyState title="Page not found">Check the address, or go back to the runs.</EmptyState></Card>} />
    </Routes>
  )
}

function Shell({ signedIn = false, children }: { signedIn?: boolean; children: ReactNode }) {
  return (
    <div className="flex min-h-screen flex-col">
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2 focus:text-sm dark:focus:bg-slate-900">
        Skip to content
      </a>
      <header className="sticky top-0 z-10 border-b border-slate-200 bg-white/85 backdrop-blur dark:border-slate-800 dark:bg-slate-950/85">
        <div className="mx-auto flex h-14 max-w-6xl items-center gap-2 px-4 sm:gap-6">
          <NavLink to="/" className="flex items-center gap-2 font-semibold tracking-tight" aria-label="loadscout home">
            <img src="/favicon.svg" alt="" className="size-7" />
            <span className="max-[389px]:sr-only">loadscout</span>
          </NavLink>
          {signedIn && <MainNav />}
          <div className="ml-auto flex items-center gap-2"><ThemeToggle />{signedIn && <UserMenu />}</div>
        </div>
      </header>
      <main id="main" className="mx-auto w-full max-w-6xl flex-1 px-4 py-6 sm:py-8">{children}</main>
    </div>
  )
}

function MainNav() {
  const canRun = useCan('run.create')
  return (
    <nav aria-label="Main" className="flex items-center gap-1">
      <NavLink to="/" end className={navClass}>Runs</NavLink>
      {canRun && <NavLink to="/runs/new" className={navClass}>New test</NavLink>}
      <NavLink to="/settings" className={(state) => cx(navClass(state), 'max-sm:hidden')}>Settings</NavLink>
    </nav>
  )
}

function ThemeToggle() {
  const { theme, toggle } = useTheme()
  const next = theme === 'dark' ? 'light' : 'dark'
  return (
    <button type="button" onClick={toggle} aria-label={`Switch to ${next} theme`} title={`Switch to ${next} theme`}
      className="rounded-md p-2 text-slate-500 hover:bg-slate-100 hover:text-slate-900 dark:text-slate-400 dark:hover:bg-slate-800 dark:hover:text-white">
      {theme === 'dark' ? (
        <svg aria-hidden viewBox="0 0 24 24" className="size-5" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round">
          <circle cx="12" cy="12" r="4" /><path d="M12 2v2M12 20v2M4.9 4.9l1.4 1.4M17.7 17.7l1.4 1.4M2 12h2M20 12h2M4.9 19.1l1.4-1.4M17.7 6.3l1.4-1.4" />
        </svg>
      ) : (
        <svg aria-hidden viewBox="0 0 24 24" className="size-5" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round">
          <path d="M21 12.8A9 9 0 1 1 11.2 3a7 7 0 0 0 9.8 9.8z" />
        </svg>
      )}
    </button>
  )
}
