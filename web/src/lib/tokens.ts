/** Pure helpers for the API tokens page. */
import type { TokenRecord } from '../client/api'
import { parseTimestamp } from './format'

export type TokenState = 'active' | 'expired' | 'revoked'

/** Whether a token still works: revoked wins over expired. */
export function tokenState(token: Pick<TokenRecord, 'revoked_at' | 'expires_at'>, now: Date = new Date()): TokenState {
  if (token.revoked_at) return 'revoked'
  const expires = parseTimestamp(token.expires_at)
  return expires && expires.getTime() <= now.getTime() ? 'expired' : 'active'
}
