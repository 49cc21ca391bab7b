/** Server state for the settings pages: the team, its members, tokens and audit; teams and users. */
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { api, unwrap } from '../client/api'
import { meKey } from './auth'
import type { AuditRecord, MemberRecord, Quotas, Role, TargetPublic, TeamPublic, TokenCreate, TokenCreated, TokenRecord, UserPublic } from '../client/api'

export const teamKeys = {
  team: ['team'] as const,
  members: ['team', 'members'] as const,
  tokens: ['team', 'tokens'] as const,
  audit: (params: AuditQuery) => ['team', 'audit', params] as const,
  teams: ['instance', 'teams'] as const,
  users: ['instance', 'users'] as const,
}

export function useTeam() {
  return useQuery({
    queryKey: teamKeys.team,
    queryFn: async () => unwrap(await api.GET('/api/v1/team')) as TeamPublic,
  })
}

export function useMembers() {
  return useQuery({
    queryKey: teamKeys.members,
    queryFn: async (): Promise<MemberRecord[]> => unwrap(await api.GET('/api/v1/team/members')).data,
  })
}

export function useSetMember() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: async (body: { email: string; role: Role }): Promise<MemberRecord> =>
      unwrap(await api.PUT('/api/v1/team/members', { body })),
    onSettled: () => client.invalidateQueries({ queryKey: teamKeys.members }),
  })
}

export function useRemoveMember() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: async (userId: number): Promise<void> => {
      unwrap(await api.DELETE('/api/v1/team/members/{user_id}', { params: { path: { user_id: userId } } }))
    },
    onSettled: () => client.invalidateQueries({ queryKey: teamKeys.members }),
  })
}

export function useTokens() {
  return useQuery({
    queryKey: teamKeys.tokens,
    queryFn: async (): Promise<TokenRecord[]> => unwrap(await api.GET('/api/v1/tokens')).data,
  })
}

export function useCreateToken() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: async (body: TokenCreate): Promise<TokenCreated> => unwrap(await api.POST('/api/v1/tokens', { body })),
    onSettled: () => client.invalidateQueries({ queryKey: teamKeys.tokens }),
  })
}

export function useRevokeToken() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: async (id: number): Promise<TokenRecord> =>
      unwrap(await api.DELETE('/api/v1/tokens/{token_id}', { params: { path: { token_id: id } } })),
    onSettled: () => client.invalidateQueries({ queryKey: teamKeys.tokens }),
  })
}

export type AuditQuery = { limit: number; offset: number; instance?: boolean }

export function useAudit(params: AuditQuery) {
  return useQuery({
    queryKey: teamKeys.audit(params),
    queryFn: async () => unwrap(await api.GET('/api/v1/audit', { params: { query: params } })) as { data: AuditRecord[]; count: number },
    placeholderData: keepPreviousData,
  })
}

export function useTeams() {
  return useQuery({
    queryKey: teamKeys.teams,
    queryFn: async () => unwrap(await api.GET('/api/v1/teams')).data as TeamPublic[],
  })
}

export function useCreateTeam() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: async (name: string): Promise<TeamPublic> =>
      unwrap(await api.POST('/api/v1/teams', { body: { name, quotas: {} } })) as TeamPublic,
    onSettled: () => client.invalidateQueries({ queryKey: teamKeys.teams }),
  })
}

export function useSetQuotas() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: async ({ teamId, quotas }: { teamId: number; quotas: Quotas }): Promise<TeamPublic> =>
      unwrap(await api.PUT('/api/v1/teams/{team_id}/quotas', { params: { path: { team_id: teamId } }, body: quotas })) as TeamPublic,
    onSettled: () => Promise.all([
      client.invalidateQueries({ queryKey: teamKeys.teams }),
      client.invalidateQueries({ queryKey: teamKeys.team, exact: true }),
    ]),
  })
}

export function useAddToTeam() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: async ({ teamId, email, role }: { teamId: number; email: string; role: Role }): Promise<MemberRecord> =>
      unwrap(await api.PUT('/api/v1/teams/{team_id}/members', { params: { path: { team_id: teamId } }, body: { email, role } })),
    // the signed-in user may have joined a team: the switcher reads it from /auth/me
    onSettled: () => Promise.all([
      client.invalidateQueries({ queryKey: teamKeys.members }),
      client.invalidateQueries({ queryKey: meKey }),
    ]),
  })
}

export function useUsers() {
  return useQuery({
    queryKey: teamKeys.users,
    queryFn: async (): Promise<UserPublic[]> => unwrap(await api.GET('/api/v1/users')).data,
  })
}

export function useCreateUser() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: async (body: { email: string; password: string; is_admin: boolean }): Promise<UserPublic> =>
      unwrap(await api.POST('/api/v1/users', { body })),
    onSettled: () => client.invalidateQueries({ queryKey: teamKeys.users }),
  })
}

export const targetKeys = { all: ['team', 'targets'] as const }

export function useTargets() {
  return useQuery({
    queryKey: targetKeys.all,
    queryFn: async (): Promise<TargetPublic[]> => unwrap(await api.GET('/api/v1/targets')).data,
  })
}

export function useAddTarget() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: async (url: string): Promise<TargetPublic> => unwrap(await api.POST('/api/v1/targets', { body: { url } })),
    onSettled: () => client.invalidateQueries({ queryKey: targetKeys.all }),
  })
}

export function useCheckTarget() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: async (id: number): Promise<TargetPublic> =>
      unwrap(await api.POST('/api/v1/targets/{target_id}/check', { params: { path: { target_id: id } } })),
    onSettled: () => client.invalidateQueries({ queryKey: targetKeys.all }),
  })
}

export function useDeleteTarget() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: async (id: number): Promise<void> => {
      unwrap(await api.DELETE('/api/v1/targets/{target_id}', { params: { path: { target_id: id } } }))
    },
    onSettled: () => client.invalidateQueries({ queryKey: targetKeys.all }),
  })
}
