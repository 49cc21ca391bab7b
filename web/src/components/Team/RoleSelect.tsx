import type { SelectHTMLAttributes } from 'react'
import type { Role } from '../../client/api'
import { cx } from '../ui/cx'
import { inputClass } from '../ui/styles'
import { ROLES } from '../../lib/access'

export function RoleSelect({ value, onChange, className, ...rest }: Omit<SelectHTMLAttributes<HTMLSelectElement>, 'value' | 'onChange'> & {
  value: Role
  onChange: (role: Role) => void
}) {
  return (
    <select value={value} onChange={(e) => onChange(e.target.value as Role)}
      className={cx(inputClass(false), 'w-auto py-1.5 capitalize', className)} {...rest}>
      {ROLES.map((r) => <option key={r} value={r}>{r}</option>)}
    </select>
  )
}
