/**
 * What the signed-in person may do, to hide buttons they cannot use. Only a courtesy: the
 * server decides every request (403 for a role too low, 404 outside their team).
 */
import type { Me, Role } from '../client/api'

export const ROLES: readonly Role[] = ['viewer', 'runner', 'admin']

/** What each role may do, as the server's roles define it. */
export const ROLE_HINT: Record<Role, string> = {
  viewer: 'reads runs and reports',
  runner: 'also starts, re-runs and cancels runs',
  admin: 'also deletes runs, manages members, tokens and targets',
}

const RANK: Record<Role, number> = { viewer: 0, runner: 1, admin: 2 }

export type Action =
  | 'run.create' | 'run.cancel' | 'run.rerun' | 'run.delete'
  | 'team.manage' // members, tokens, audit
  | 'instance.manage' // teams, users, quotas

/** The team role each action needs (the server's Viewer/Runner/TeamAdmin dependencies). */
const NEEDS: Record<Exclude<Action, 'instance.manage'>, Role> = {
  'run.create': 'runner',
  'run.cancel': 'runner',
  'run.rerun': 'runner',
  'run.delete': 'admin',
  'team.manage': 'admin',
}

export type Access = Pick<Me, 'role' | 'is_instance_admin' | 'team_id'>

export const atLeast = (role: Role | null | undefined, needed: Role): boolean =>
  role != null && RANK[role] >= RANK[needed]

export function can(me: Access | null | undefined, action: Action): boolean {
  if (!me) return false
  if (action === 'instance.manage') return me.is_instance_admin
  return me.team_id != null && atLeast(me.role, NEEDS[action])
}

export interface Section { path: string; label: string }

/** The settings pages this person can open, in menu order. */
export function settingsSections(me: Access): Section[] {
  const sections: Section[] = []
  if (me.team_id != null) sections.push({ path: 'members', label: 'Members' })
  if (can(me, 'team.manage')) sections.push({ path: 'tokens', label: 'API tokens' }, { path: 'audit', label: 'Audit log' })
  if (me.team_id != null) sections.push({ path: 'targets', label: 'Targets' }, { path: 'quotas', label: 'Quotas' })
  if (can(me, 'instance.manage')) sections.push({ path: 'teams', label: 'Teams' }, { path: 'users', label: 'Users' })
  return sections
}
