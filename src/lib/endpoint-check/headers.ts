/** `--header "Name: value"` flags as the hook's custom headers. */
import {usageError} from '../errors.js'
import {checkHeaderName} from '../hooks/auth-secret.js'
import type {EventHookHeader} from '../hooks/types.js'

export function parseHeaderFlags(values: string[], flag = '--header'): EventHookHeader[] {
  return values.map((text) => {
    const colon = text.indexOf(':')
    if (colon <= 0) throw usageError(`${flag} "${text}" is not "Name: value".`, [`e.g. ${flag} "X-Tenant: acme"`])
    const key = checkHeaderName(text.slice(0, colon).trim(), flag)
    return {key, value: text.slice(colon + 1).trim()}
  })
}
