import { expect, test } from 'vitest'
import { can, settingsSections } from './access'
import type { Access, Action } from './access'

const ACTIONS: Action[] = ['run.create', 'run.cancel', 'run.rerun', 'run.delete', 'team.manage', 'instance.manage']
const allowed = (who: Access | null) => ACTIONS.filter((a) => can(who, a))
const member = (role: Access['role'], is_instance_admin = false): Access => ({ role, team_id: 1, is_instance_admin })

test('each role adds to the one before it', () => {
  expect(allowed(member('viewer'))).toEqual([])
  expect(allowed(member('runner'))).toEqual(['run.create', 'run.cancel', 'run.rerun'])
  expect(allowed(member('admin'))).toEqual(['run.create', 'run.cancel', 'run.rerun', 'run.delete', 'team.manage'])
})

test('an instance admin manages the instance; in no team they run nothing', () => {
  expect(allowed({ role: null, team_id: null, is_instance_admin: true })).toEqual(['instance.manage'])
  expect(allowed(member('viewer', true))).toEqual(['instance.manage'])
})

test('nobody signed in may do nothing', () => {
  expect(allowed(null)).toEqual([])
})

test('settings show only the sections the role can open', () => {
  const paths = (who: Access) => settingsSections(who).map((s) => s.path)
  expect(paths(member('viewer'))).toEqual(['members', 'targets', 'quotas'])
  expect(paths(member('admin'))).toEqual(['members', 'tokens', 'audit', 'targets', 'quotas'])
  expect(paths(member('admin', true))).toEqual(['members', 'tokens', 'audit', 'targets', 'quotas', 'teams', 'users'])
  expect(paths({ role: null, team_id: null, is_instance_admin: true })).toEqual(['teams', 'users'])
})
