/**
 * --forward-to: every call (verification GET included) relayed to the developer's app, whose answer
 * goes back to the caller, timed against Okta's 3 s budget: 504 when it never answers, 502 when it
 * cannot be reached. A forwarded verification is judged by Okta's rule.
 */
import {randomUUID} from 'node:crypto'
import type {IncomingHttpHeaders} from 'node:http'

import {RECEIVER_TIMEOUT_MS, sendRequest} from '../delivery/http-delivery.js'
import {judgeVerification} from '../endpoint-check/verification.js'
import type {EnvelopeRead} from './delivery.js'
import type {ForwardOutcome} from './delivery-store.js'
import {type Answer, answer, type IncomingCall, type Outcome} from './exchange.js'
import {callKind} from './refusals.js'

export interface RelaySettings {
  forwardTimeoutMs: number
  forwardTo: string
}

const HOP_BY_HOP = new Set([
  'connection',
  'content-length',
  'host',
  'keep-alive',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
])

export function flattenHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value
  }

  return out
}

function endToEnd(headers: Record<string, string>, drop: string[] = []): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [name, value] of Object.entries(headers)) {
    if (!HOP_BY_HOP.has(name) && !drop.includes(name)) out[name] = value
  }

  return out
}

export async function relayCall(call: IncomingCall, read: EnvelopeRead, settings: RelaySettings): Promise<Outcome> {
  const {forwardTimeoutMs: timeoutMs, forwardTo: target} = settings
  const headers = endToEnd(flattenHeaders(call.request.headers))
  headers['x-forwarded-by'] = 'okta-hooks listen'
  headers['x-request-id'] ??= randomUUID()
  const body = call.method === 'POST' ? (call.bodyText ?? '') : undefined
  const result = await sendRequest({body, headers, method: call.method, timeoutMs, url: target})
  const forward: ForwardOutcome = {
    ...(result.error ? {error: result.error} : {}),
    latencyMs: result.latencyMs,
    ...(result.status === undefined ? {} : {status: result.status}),
    url: target,
    withinBudget: !result.error && result.latencyMs <= RECEIVER_TIMEOUT_MS,
  }
  let relayed: Answer
  if (result.error || result.status === undefined) {
    const timedOut = result.error === 'TIMEOUT'
    const error = timedOut
      ? `the app at ${target} did not answer within ${timeoutMs / 1000} s`
      : `could not reach the app at ${target} (${result.error})`
    relayed = answer(timedOut ? 504 : 502, {error})
  } else relayed = answer(result.status, result.body, endToEnd(result.headers, ['date']))

  return {
    answer: relayed,
    ...read,
    forward,
    kind: callKind(call.method),
    ...(call.method === 'GET' && call.challenge ? {verificationAnswer: judgeVerification(result, call.challenge)} : {}),
  }
}
