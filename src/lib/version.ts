import {readFileSync} from 'node:fs'
import {join} from 'node:path'

import {packageRoot} from './package-root.js'

let version: string | undefined

/** okta-hooks' own version, from its package.json (for the User-Agent). */
export function cliVersion(): string {
  version ??= JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')).version as string
  return version
}

export function userAgent(): string {
  return `okta-hooks/${cliVersion()}`
}
