/**
 * What keeps the inspector to the person at this machine: it listens on loopback only, answers
 * only requests whose Host is its own loopback address (a DNS-rebinding page elsewhere sends its
 * own host name), and takes a replay (which makes listen send requests) only with the session's
 * token and from its own origin, so that no other web page can trigger one. No oclif here.
 */
import {randomBytes, timingSafeEqual} from 'node:crypto'
import type {IncomingHttpHeaders} from 'node:http'

export const TOKEN_HEADER = 'x-okta-hooks-token'
const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]']

export function newSessionToken(): string {
  return randomBytes(24).toString('base64url')
}

/** Whether the Host header names this inspector on loopback (127.0.0.1, localhost or [::1], with its port). */
export function hostAllowed(host: string | undefined, port: number): boolean {
  if (!host) return false
  return LOOPBACK_NAMES.some((name) => host.toLowerCase() === `${name}:${port}`)
}

/** Whether a state-changing request comes from the page itself: its own origin (when the browser says), and the session's token. */
export function writeAllowed(
  headers: IncomingHttpHeaders,
  port: number,
  token: string,
): {ok: true} | {ok: false; why: string} {
  const origin = headers.origin
  if (origin !== undefined && !LOOPBACK_NAMES.some((name) => origin.toLowerCase() === `http://${name}:${port}`)) {
    return {ok: false, why: `requests from ${origin} are refused: only the inspector's own page may replay`}
  }

  const given = headers[TOKEN_HEADER]
  if (typeof given !== 'string' || !sameText(given, token)) {
    return {
      ok: false,
      why: `a replay needs the session's token in the ${TOKEN_HEADER} header (GET /api/session gives it)`,
    }
  }

  return {ok: true}
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a)
  const right = Buffer.from(b)
  return left.length === right.length && timingSafeEqual(left, right)
}
