/** The signed-in person, provided by <SignedIn> to every page inside the app shell. */
import { createContext, useContext } from 'react'
import type { Me } from '../../client/api'
import { can } from '../../lib/access'
import type { Action } from '../../lib/access'

export const SessionContext = createContext<Me | null>(null)

export const useSession = (): Me | null => useContext(SessionContext)

/** Whether to show a control for `action` (the server still decides). */
export const useCan = (action: Action): boolean => can(useSession(), action)
