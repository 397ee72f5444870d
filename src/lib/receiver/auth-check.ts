/** The receiver's check of the hook's auth header, in constant time. */
import {createHash, timingSafeEqual} from 'node:crypto'
import type {IncomingHttpHeaders} from 'node:http'

import type {AuthHeader} from '../hooks/auth-secret.js'

export type AuthOutcome = 'missing' | 'none' | 'ok' | 'wrong'

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest()

/**
 * A checker for the expected header: `none` when no auth is configured, else ok, missing or
 * wrong. Both values are hashed first so the comparison is over equal-length digests and takes
 * the same time whatever the value (timingSafeEqual needs equal lengths and leaks them otherwise).
 */
export function authChecker(expected: AuthHeader | undefined): (headers: IncomingHttpHeaders) => AuthOutcome {
  if (!expected) return () => 'none'
  const name = expected.key.toLowerCase()
  const want = digest(expected.value)
  return (headers) => {
    const raw = headers[name]
    if (raw === undefined) return 'missing'
    const got = Array.isArray(raw) ? raw.join(', ') : raw
    return timingSafeEqual(digest(got), want) ? 'ok' : 'wrong'
  }
}
