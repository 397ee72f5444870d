/**
 * What Okta does on lifecycle/verify: a GET to the hook's URI carrying a random
 * X-Okta-Verification-Challenge, the hook's auth header and custom headers; the endpoint must answer
 * 200, Content-Type application/json, {"verification": "<the challenge>"} within 3 s. One retry.
 */
import {randomBytes} from 'node:crypto'

import {RECEIVER_TIMEOUT_MS, sendRequest} from '../delivery/http-delivery.js'
import {oktaVerificationHeaders} from '../delivery/okta-headers.js'
import type {EventHook} from '../hooks/types.js'

export interface VerificationAttempt {
  latencyMs: number
  reason?: string
  status?: number
}

export interface VerificationResult {
  attempts: VerificationAttempt[]
  ok: boolean
  reason?: string
}

export async function verifyEndpoint(hook: EventHook, timeoutMs = RECEIVER_TIMEOUT_MS): Promise<VerificationResult> {
  const attempts: VerificationAttempt[] = []
  for (let attempt = 0; attempt < 2; attempt++) {
    const challenge = randomBytes(24).toString('base64url')
    const config = hook.channel.config
    const auth = config.authScheme?.value ? {key: config.authScheme.key, value: config.authScheme.value} : undefined
    const headers = oktaVerificationHeaders(config.headers, auth, challenge)
    const result = await sendRequest({headers, method: 'GET', timeoutMs, url: config.uri})
    const reason = judge(result, challenge, timeoutMs)
    attempts.push({latencyMs: result.latencyMs, reason, status: result.status})
    if (!reason) return {attempts, ok: true}
  }

  return {attempts, ok: false, reason: attempts.at(-1)?.reason}
}

function judge(
  result: Awaited<ReturnType<typeof sendRequest>>,
  challenge: string,
  timeoutMs: number,
): string | undefined {
  if (result.error === 'TIMEOUT') return `no response within ${timeoutMs / 1000} seconds`
  if (result.error) return `connection failure: ${result.error}`
  if (result.status !== 200) return `HTTP ${result.status}; expected 200`
  if (!/\bjson\b/i.test(result.headers['content-type'] ?? ''))
    return `Content-Type ${result.headers['content-type'] ?? '(none)'}; expected application/json`
  let body: unknown
  try {
    body = JSON.parse(result.body)
  } catch {
    return 'the body is not JSON'
  }

  if ((body as {verification?: unknown})?.verification !== challenge)
    return 'the body does not echo the challenge as {"verification": "<challenge>"}'
  return undefined
}
