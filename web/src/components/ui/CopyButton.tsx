import { useEffect, useState } from 'react'
import { Button } from './Button'

/** Copy `text` to the clipboard, saying so for a moment (and when the browser refuses). */
export function CopyButton({ text, label = 'Copy' }: { text: string; label?: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle')
  useEffect(() => {
    if (state === 'idle') return
    const timer = setTimeout(() => setState('idle'), 2000)
    return () => clearTimeout(timer)
  }, [state])
  const copy = () => (navigator.clipboard?.writeText(text) ?? Promise.reject(new Error('no clipboard'))).then(() => setState('copied'), () => setState('failed'))
  return (
    <Button variant="secondary" onClick={copy}>
      <span aria-live="polite">{state === 'copied' ? 'Copied' : state === 'failed' ? 'Select and copy it' : label}</span>
    </Button>
  )
}
