/**
 * Rehearses what Okta does to an event hook endpoint, before it is registered:
 *   1. scheme: https (http only for loopback, with a warning)
 *   2. the verification GET with a random challenge: 200, JSON, {"verification": challenge}, within 3 s
 *   3. a realistic delivery: 2xx within 3 s (a body in the answer is a warning: Okta ignores it)
 *   4. the same delivery without the auth header: should be refused
 *   5. a batch of several events, and one delivery sent twice (at-least-once): still 2xx
 * Used by `check-endpoint` and by `create --check-endpoint`. No oclif here.
 */
import {randomBytes} from 'node:crypto'

import {buildEnvelope, type DeliveryEnvelope} from '../delivery/envelope.js'
import {
  type HttpResult,
  judgeDelivery,
  RECEIVER_TIMEOUT_MS,
  sendRequest,
  type Verdict,
} from '../delivery/http-delivery.js'
import {oktaDeliveryHeaders, oktaVerificationHeaders} from '../delivery/okta-headers.js'
import {sampleEvent} from '../delivery/sample-events.js'
import type {AuthHeader} from '../hooks/auth-secret.js'
import type {EventHookHeader} from '../hooks/types.js'
import {formatDuration} from '../duration.js'
import {checkHookUri, displayUrl} from '../net/urls.js'
import {type CheckStatus, judgeVerification, SLOW_WARNING_MS} from './verification.js'

export type CheckId = 'batch' | 'delivery' | 'duplicate' | 'no-auth' | 'scheme' | 'verification'

export interface CheckResult {
  detail: string
  id: CheckId
  /** Total time of the HTTP exchanges of this check. */
  latencyMs?: number
  /** HTTP status of the (last) answer. */
  httpStatus?: number
  status: CheckStatus
  title: string
  /**
   * Checks that send a delivery (delivery, no-auth, batch, duplicate): Okta's verdict on its
   * (last) answer. The no-auth check passes when that verdict is rejected.
   */
  verdict?: Verdict
}

export interface EndpointCheckOptions {
  auth?: AuthHeader
  /** How many events the batch check sends (default 3). */
  batchSize?: number
  /** Event type of the sample deliveries (default user.lifecycle.create). */
  eventType?: string
  /** Custom headers Okta would send (the hook's channel.config.headers). */
  headers?: EventHookHeader[]
  /** Called as each check completes, for progress output. */
  onCheck?: (check: CheckResult) => void
  /** Okta's budget per request; only tests change it. */
  timeoutMs?: number
  url: string
}

export interface EndpointCheckReport {
  checks: CheckResult[]
  counts: Record<CheckStatus, number>
  /** True when no check failed (warnings allowed). */
  ok: boolean
  url: string
  warnings: string[]
}

const SOURCE = 'https://okta-hooks.check.invalid/api/v1/eventHooks/whoCheckEndpoint00000'

export const CHECK_TITLES: Record<CheckId, string> = {
  batch: 'batch of several events',
  delivery: 'delivery',
  duplicate: 'same delivery twice',
  'no-auth': 'delivery without auth header',
  scheme: 'https scheme',
  verification: 'verification GET',
}

function envelope(eventType: string, count: number): DeliveryEnvelope {
  return buildEnvelope({events: Array.from({length: count}, () => sampleEvent(eventType)), source: SOURCE})
}

type DeliveryCheck = {detail: string; status: CheckStatus; verdict: Verdict}

/** The check of a delivery Okta wants accepted: 2xx within the budget; a body or a slow answer is a warning. */
function judgeAccepted(result: HttpResult, timeoutMs: number): DeliveryCheck {
  const {explanation, verdict} = judgeDelivery(result, timeoutMs)
  if (verdict !== 'accepted') return {detail: explanation, status: 'fail', verdict}
  const notes: string[] = []
  if (result.body.trim() !== '')
    notes.push('answered with a body, which Okta ignores (answer 200 or 204 with an empty body)')
  if (result.latencyMs >= SLOW_WARNING_MS) {
    notes.push(
      `took ${result.latencyMs} ms, close to Okta's ${formatDuration(timeoutMs)} limit (acknowledge first, ` +
        `process later)`,
    )
  }

  const answered = `${result.status} in ${result.latencyMs} ms`
  if (notes.length > 0) return {detail: `${answered}, but ${notes.join('; ')}`, status: 'warn', verdict}
  return {detail: answered, status: 'pass', verdict}
}

/** The check of the delivery without the auth header: the endpoint should refuse it (rejected). */
function judgeRefused(result: HttpResult, authKey: string, timeoutMs: number): DeliveryCheck {
  const {verdict} = judgeDelivery(result, timeoutMs)
  const {status} = result
  if (status === 401 || status === 403) return {detail: `refused with ${status}`, status: 'pass', verdict}
  if (verdict === 'rejected' && status !== undefined && status >= 400) {
    return {detail: `refused with ${status} (401 is the usual answer)`, status: 'pass', verdict}
  }

  if (verdict === 'accepted' || (status !== undefined && status < 300)) {
    const detail = `accepted (${status}) without the ${authKey} header: anyone who finds the URL can post fake events`
    return {detail, status: 'warn', verdict}
  }

  const what = result.error ? 'failing' : 'a server error'
  return {
    detail: `${result.error ?? status}: not accepted, but answer 401 rather than ${what}`,
    status: 'warn',
    verdict,
  }
}

function noAnswer(result: HttpResult): boolean {
  return result.status === undefined
}

export async function checkEndpoint(options: EndpointCheckOptions): Promise<EndpointCheckReport> {
  const timeoutMs = options.timeoutMs ?? RECEIVER_TIMEOUT_MS
  const eventType = options.eventType ?? 'user.lifecycle.create'
  const checks: CheckResult[] = []
  const warnings: string[] = []
  const add = (check: Omit<CheckResult, 'title'>) => {
    const full = {...check, title: CHECK_TITLES[check.id]}
    checks.push(full)
    options.onCheck?.(full)
    return full
  }

  const skip = (id: CheckId, why: string) => add({detail: `not run: ${why}`, id, status: 'skip'})

  // 1. scheme
  const uri = checkHookUri(options.url)
  if ('problem' in uri) {
    add({detail: `the URL ${uri.problem}`, id: 'scheme', status: 'fail'})
  } else if (uri.plainHttpLoopback) {
    add({
      detail:
        'plain http on a loopback host: fine for local testing, but Okta ' +
        'only calls https:// endpoints (put a tunnel in front)',
      id: 'scheme',
      status: 'warn',
    })
  } else {
    add({detail: 'https', id: 'scheme', status: 'pass'})
  }

  const url = 'url' in uri ? uri.url.toString() : options.url
  const reachable = /^https?:\/\//i.test(url)
  // Okta's headers, built afresh for every request (each has its own X-Okta-Request-Id).
  const post = (body: DeliveryEnvelope, auth: 'with-auth' | 'without-auth') => {
    const headers = oktaDeliveryHeaders(options.headers, auth === 'with-auth' ? options.auth : undefined)
    return sendRequest({body: JSON.stringify(body), headers, method: 'POST', timeoutMs, url})
  }

  if (!reachable) {
    for (const id of ['verification', 'delivery', 'no-auth', 'batch', 'duplicate'] as CheckId[])
      skip(id, 'the URL cannot be called over http(s)')
    return report(options.url, checks, warnings)
  }

  // 2. verification GET
  const challenge = randomBytes(24).toString('base64url')
  const verifyHeaders = oktaVerificationHeaders(options.headers, options.auth, challenge)
  const verification = await sendRequest({headers: verifyHeaders, method: 'GET', timeoutMs, url})
  add({
    ...judgeVerification(verification, challenge, timeoutMs),
    httpStatus: verification.status,
    id: 'verification',
    latencyMs: verification.latencyMs,
  })
  if (verification.error && verification.error !== 'TIMEOUT') {
    for (const id of ['delivery', 'no-auth', 'batch', 'duplicate'] as CheckId[])
      skip(id, `the endpoint cannot be reached (${verification.error})`)
    return report(options.url, checks, warnings)
  }

  // 3. one realistic delivery
  const single = envelope(eventType, 1)
  const delivery = await post(single, 'with-auth')
  add({
    ...judgeAccepted(delivery, timeoutMs),
    httpStatus: delivery.status,
    id: 'delivery',
    latencyMs: delivery.latencyMs,
  })
  const deliveryUnanswered = noAnswer(delivery)

  // 4. the same delivery without the auth header
  if (!options.auth) {
    skip('no-auth', 'no auth header configured')
    warnings.push(
      'No auth header configured: the endpoint cannot tell Okta from anyone else who finds the URL. Give the ' +
        'hook one (--auth-secret-env VAR) and check that the endpoint refuses requests without it.',
    )
  } else if (deliveryUnanswered) {
    skip('no-auth', 'the endpoint did not answer the delivery')
  } else {
    const result = await post(envelope(eventType, 1), 'without-auth')
    add({
      ...judgeRefused(result, options.auth.key, timeoutMs),
      httpStatus: result.status,
      id: 'no-auth',
      latencyMs: result.latencyMs,
    })
  }

  // 5. a batch, and the same delivery twice
  if (deliveryUnanswered) {
    skip('batch', 'the endpoint did not answer the delivery')
    skip('duplicate', 'the endpoint did not answer the delivery')
    return report(options.url, checks, warnings)
  }

  const batchSize = Math.max(2, options.batchSize ?? 3)
  const batch = await post(envelope(eventType, batchSize), 'with-auth')
  const batchVerdict = judgeAccepted(batch, timeoutMs)
  add({
    ...batchVerdict,
    detail: `${batchSize} events: ${batchVerdict.detail}`,
    httpStatus: batch.status,
    id: 'batch',
    latencyMs: batch.latencyMs,
  })

  const twice = envelope(eventType, 1)
  const first = await post(twice, 'with-auth')
  const second = noAnswer(first) ? first : await post(twice, 'with-auth')
  const firstVerdict = judgeAccepted(first, timeoutMs)
  const secondVerdict = judgeAccepted(second, timeoutMs)
  const duplicateLatency = first === second ? first.latencyMs : first.latencyMs + second.latencyMs
  const duplicate = {id: 'duplicate' as const, latencyMs: duplicateLatency}
  if (firstVerdict.status === 'fail') {
    add({...duplicate, ...firstVerdict, detail: `first send: ${firstVerdict.detail}`, httpStatus: first.status})
  } else if (secondVerdict.status === 'fail') {
    const advice = "Okta delivers at least once: answer 2xx and de-duplicate by the event's uuid"
    const detail = `second send of the same eventId and event uuid: ${secondVerdict.detail}. ${advice}`
    add({...duplicate, ...secondVerdict, detail, httpStatus: second.status})
  } else {
    const warned = [firstVerdict, secondVerdict].find((v) => v.status === 'warn')
    const detail = `both accepted (${first.status}, ${second.status})${warned ? `; ${warned.detail}` : ''}`
    add({...duplicate, detail, httpStatus: second.status, status: warned ? 'warn' : 'pass', verdict: 'accepted'})
  }

  return report(options.url, checks, warnings)
}

function report(url: string, checks: CheckResult[], warnings: string[]): EndpointCheckReport {
  const counts: Record<CheckStatus, number> = {fail: 0, pass: 0, skip: 0, warn: 0}
  for (const check of checks) counts[check.status]++
  return {checks, counts, ok: counts.fail === 0, url: displayUrl(url), warnings}
}
