import {readFileSync} from 'node:fs'

let version: string | undefined

/** okta-hooks' own version, from its package.json (for the User-Agent). */
export function cliVersion(): string {
  version ??= JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version as string
  return version
}

export function userAgent(): string {
  return `okta-hooks/${cliVersion()}`
}
