import type { ChangeEvent } from 'react'
import type { TextKey } from '../../lib/runForm'

/** What NewRunPage hands a Field for one text value: value, change/blur handlers, visible error. */
export interface Bindings {
  value: string
  onChange: (e: ChangeEvent<HTMLInputElement>) => void
  onBlur: () => void
  error?: string
  name: string
}

export type Bind = (key: TextKey) => Bindings
