/**
 * The headers Okta sends with event hook calls, built in one place for every path that imitates
 * Okta: preview, replay, reconcile --replay, check-endpoint, deliveries replay, and the sandbox's
 * deliveries and verification.
 *
 * What Okta sends, as its support article "Unable to Verify Event Hook. Hook Execution Failed"
 * shows the verification GET (User-Agent, Accept, X-Okta-Request-Id, X-Okta-Verification-Challenge,
 * the custom headers, the auth header) and the "Event hooks" concept page the deliveries (Accept and
 * Content-Type JSON, the auth header, the custom headers; deliveries carry the same User-Agent and a
 * request id). Custom headers never replace Okta's own (they are refused as reserved when a hook is
 * built); the auth header comes last. A request id is Okta's form: 27 letters and digits
 * (`XOZfPkReFFZ10KWyGkzAMwAAADA`), new for every HTTP request sent, the retry of a delivery included.
 */
import {randomBytes} from 'node:crypto'

import type {AuthHeader} from '../hooks/auth-secret.js'
import type {EventHookHeader} from '../hooks/types.js'

export const OKTA_USER_AGENT = 'Okta-Integrations'
export const REQUEST_ID_HEADER = 'X-Okta-Request-Id'
export const CHALLENGE_HEADER = 'X-Okta-Verification-Challenge'
export const REQUEST_ID_LENGTH = 27

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'

/** `length` random letters and digits, without modulo bias. */
export function randomAlphanumeric(length: number): string {
  let out = ''
  while (out.length < length) {
    for (const byte of randomBytes((length - out.length) * 2)) {
      if (byte < 248 && out.length < length) out += ALPHANUMERIC[byte % 62] // 248 = 4 * 62
    }
  }

  return out
}

/** A request id in Okta's form: 27 letters and digits. */
export function oktaRequestId(): string {
  return randomAlphanumeric(REQUEST_ID_LENGTH)
}

/** Custom headers, then the auth header, over Okta's own. */
function withHookHeaders(
  own: Record<string, string>,
  custom: readonly EventHookHeader[] | null | undefined,
  auth: AuthHeader | undefined,
): Record<string, string> {
  const headers = {...own}
  for (const header of custom ?? []) {
    if (!hasHeader(headers, header.key)) headers[header.key] = header.value
  }

  if (auth) {
    for (const name of Object.keys(headers)) if (name.toLowerCase() === auth.key.toLowerCase()) delete headers[name]
    headers[auth.key] = auth.value
  }

  return headers
}

/** A delivery POST: Okta's User-Agent, Accept and Content-Type JSON, a request id, the custom and auth headers. */
export function oktaDeliveryHeaders(
  custom: readonly EventHookHeader[] | null | undefined,
  auth: AuthHeader | undefined,
): Record<string, string> {
  const own = {
    'User-Agent': OKTA_USER_AGENT,
    Accept: 'application/json',
    'Content-Type': 'application/json',
    [REQUEST_ID_HEADER]: oktaRequestId(),
  }
  return withHookHeaders(own, custom, auth)
}

/** The verification GET: Okta's User-Agent, Accept JSON, a request id, the challenge, the custom and auth headers. */
export function oktaVerificationHeaders(
  custom: readonly EventHookHeader[] | null | undefined,
  auth: AuthHeader | undefined,
  challenge: string,
): Record<string, string> {
  const own = {
    'User-Agent': OKTA_USER_AGENT,
    Accept: 'application/json',
    [REQUEST_ID_HEADER]: oktaRequestId(),
    [CHALLENGE_HEADER]: challenge,
  }
  return withHookHeaders(own, custom, auth)
}

/** The same headers with a new request id (each HTTP request Okta sends has its own). */
export function withNewRequestId(headers: Record<string, string>): {
  headers: Record<string, string>
  requestId: string
} {
  const requestId = oktaRequestId()
  const renewed: Record<string, string> = {}
  let placed = false
  for (const [name, value] of Object.entries(headers)) {
    if (name.toLowerCase() === REQUEST_ID_HEADER.toLowerCase()) {
      renewed[REQUEST_ID_HEADER] = requestId
      placed = true
    } else renewed[name] = value
  }

  if (!placed) renewed[REQUEST_ID_HEADER] = requestId
  return {headers: renewed, requestId}
}

/** Whether `headers` has `name`, compared case-insensitively. */
export function hasHeader(headers: Record<string, string>, name: string): boolean {
  const lower = name.toLowerCase()
  return Object.keys(headers).some((key) => key.toLowerCase() === lower)
}
