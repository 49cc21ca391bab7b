/** The session: who is signed in (with the CSRF token for writes), signing in and out, switching team. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import type { QueryClient } from '@tanstack/react-query'
import { useNavigate } from 'react-router'
import { api, ApiError, setCsrfToken, unwrap } from '../client/api'
import type { Me } from '../client/api'
import { tooManyAttempts } from '../lib/signin'

export const meKey = ['auth', 'me'] as const

/** Start afresh as `me`: nothing cached from another person or team survives. */
function adopt(client: QueryClient, me: Me) {
  setCsrfToken(me.csrf_token)
  client.clear()
  client.setQueryData(meKey, me)
}

export function useMe() {
  return useQuery({
    queryKey: meKey,
    queryFn: async () => {
      const me = unwrap(await api.GET('/api/v1/auth/me')) as Me
      setCsrfToken(me.csrf_token)
      return me
    },
    staleTime: 60_000,
    retry: false,
  })
}

export function useSetupNeeded() {
  return useQuery({
    queryKey: ['auth', 'setup'],
    queryFn: async () => unwrap(await api.GET('/api/v1/auth/setup')).needed,
    retry: false,
  })
}

/** Whether this server offers single sign-on, and the provider's name for the button. */
export function useSso() {
  return useQuery({
    queryKey: ['auth', 'sso'],
    queryFn: async () => unwrap(await api.GET('/api/v1/auth/oidc')),
    staleTime: Infinity,
    retry: false,
  })
}

export function useSignIn() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: async (body: { email: string; password: string }): Promise<Me> => {
      const result = await api.POST('/api/v1/auth/login', { body })
      if (result.response.status === 429) {
        throw new ApiError(429, tooManyAttempts(result.response.headers.get('Retry-After')))
      }
      return unwrap(result) as Me
    },
    onSuccess: (me) => adopt(client, me),
  })
}

export function useSetUp() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: async (body: { token: string; email: string; password: string }): Promise<Me> =>
      unwrap(await api.POST('/api/v1/auth/setup', { body })) as Me,
    onSuccess: (me) => adopt(client, me),
  })
}

/** Sign out on the server, then leave for /signin before forgetting what was cached. */
export function useSignOut() {
  const client = useQueryClient()
  const navigate = useNavigate()
  return useMutation({
    mutationFn: async () => {
      const result = await api.POST('/api/v1/auth/logout')
      // 401: the session had ended already, which is what was asked for.
      if (result.response.status !== 401) unwrap(result)
    },
    onSuccess: () => {
      setCsrfToken(null)
      navigate('/signin', { replace: true })
      client.clear()
    },
  })
}

export function useSwitchTeam() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: async (teamId: number): Promise<Me> =>
      unwrap(await api.POST('/api/v1/auth/team', { body: { team_id: teamId } })) as Me,
    onSuccess: (me) => adopt(client, me),
  })
}
