import { Field } from '../ui/Field'
import type { Bind } from './bindings'

/** Discovery logs in first when these are set; the password is sent once and never stored. */
export function LoginFields({ text }: { text: Bind }) {
  return (
    <fieldset className="grid min-w-0 gap-4 sm:col-span-3 sm:grid-cols-3">
      <legend className="mb-1 text-sm font-semibold">Login</legend>
      <Field label="Login URL" type="url" inputMode="url" placeholder="https://staging.example.com/login" className="sm:col-span-3"
        hint="The page with the login form. Leave empty to explore as a visitor." {...text('login_url')} />
      <Field label="Username" autoComplete="username" className="sm:col-span-1" {...text('username')} />
      <Field label="Password" type="password" autoComplete="current-password" className="sm:col-span-2"
        hint="Used for this run only; never stored." {...text('password')} />
    </fieldset>
  )
}
