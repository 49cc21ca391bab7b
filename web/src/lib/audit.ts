/** Pure helpers for audit entries. */
import type { AuditRecord } from '../client/api'

/** An audit entry's host and details as one short line: `host · key=value, key=value`. */
export function auditDetails(entry: Pick<AuditRecord, 'host' | 'details'>): string {
  const pairs = Object.entries(entry.details ?? {})
    .filter(([, value]) => value !== null && value !== undefined && value !== '')
    .map(([key, value]) => `${key}=${typeof value === 'object' ? JSON.stringify(value) : String(value)}`)
  return [entry.host, pairs.join(', ')].filter(Boolean).join(' · ')
}
