import type { ComponentProps } from 'react'
import { buttonClass } from './styles'
import type { Variant } from './styles'

export function Button({ variant = 'primary', className, type = 'button', ...props }:
  ComponentProps<'button'> & { variant?: Variant }) {
  return <button type={type} className={buttonClass(variant, className)} {...props} />
}
