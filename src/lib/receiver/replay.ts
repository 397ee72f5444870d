/**
 * Resending a recorded request to the developer's app, optionally modified with --set edits (or
 * with a whole new body, as the inspector's "Replay with modifications" sends it): what
 * `deliveries replay` does. Masked headers (the auth header among them) were never stored, so they
 * are dropped and the auth header comes from the auth flags (or listen's own) instead.
 */
import {applyAssignments, type Assignment} from '../delivery/modify.js'
import {type HttpResult, judgeDelivery, sendRequest, type Verdict} from '../delivery/http-delivery.js'
import {
  CHALLENGE_HEADER,
  oktaDeliveryHeaders,
  oktaVerificationHeaders,
  REQUEST_ID_HEADER,
} from '../delivery/okta-headers.js'
import {judgeVerification} from '../endpoint-check/verification.js'
import {notFoundError, usageError} from '../errors.js'
import type {AuthHeader} from '../hooks/auth-secret.js'
import {MASK} from '../secrets/mask.js'
import type {DeliveryRecord, DeliveryStore} from './delivery-store.js'

// The inspector's one-time replay token is spent once used: never sent again.
const NOT_REPLAYED = new Set([
  'connection',
  'content-length',
  'host',
  'keep-alive',
  'transfer-encoding',
  'x-forwarded-by',
  'x-okta-hooks-replay',
  'x-request-id',
])

export interface DeliveryReplayResult {
  /** Headers that were masked in the store and so not resent. */
  droppedHeaders: string[]
  /** Okta's reading of the answer, in words. */
  explanation: string
  id: string
  method: string
  modified: string[]
  response: Pick<HttpResult, 'body' | 'error' | 'headers' | 'latencyMs' | 'status'>
  to: string
  /**
   * Okta's verdict on the answer. For a recorded verification GET: accepted when the challenge
   * comes back as Okta requires, failed otherwise (Okta retries a verification once, whatever failed).
   */
  verdict: Verdict
}

export interface ReplayChanges {
  assignments?: Assignment[]
  auth?: AuthHeader
  /** The body to send instead of the recorded one (POST only; assignments apply to it). */
  body?: string
  /** Headers to send besides the recorded ones (lower-case names; they win over recorded ones). */
  headers?: Record<string, string>
}

/** Okta's own headers: always sent as Okta sends them (okta-headers.ts), never copied from the record. */
const OKTA_OWN = new Set(['accept', 'content-type', 'user-agent', REQUEST_ID_HEADER.toLowerCase()])

/**
 * The request to resend: the recorded method, Okta's own headers as Okta sends them (a new
 * X-Okta-Request-Id; for a verification GET the recorded challenge), the recorded headers that were
 * stored in clear (the hook's custom headers), the auth header, and the (edited) body.
 */
export function replayRequest(
  record: DeliveryRecord,
  options: ReplayChanges,
): {body?: string; droppedHeaders: string[]; headers: Record<string, string>} {
  const custom: {key: string; value: string}[] = []
  const droppedHeaders: string[] = []
  let challenge: string | undefined
  for (const [name, value] of Object.entries(record.request.headers)) {
    const lower = name.toLowerCase()
    if (NOT_REPLAYED.has(lower) || OKTA_OWN.has(lower)) continue
    if (lower === CHALLENGE_HEADER.toLowerCase()) {
      challenge = value
      continue
    }

    if (value === MASK || value.endsWith(` ${MASK}`)) {
      if (!options.auth || options.auth.key.toLowerCase() !== lower) droppedHeaders.push(name)
      continue
    }

    if (!options.auth || options.auth.key.toLowerCase() !== lower) custom.push({key: name, value})
  }

  const verification = record.request.method === 'GET' && challenge !== undefined
  const headers = verification
    ? oktaVerificationHeaders(custom, options.auth, challenge as string)
    : oktaDeliveryHeaders(custom, options.auth)
  for (const [name, value] of Object.entries(options.headers ?? {})) {
    for (const key of Object.keys(headers)) if (key.toLowerCase() === name.toLowerCase()) delete headers[key]
    headers[name] = value
  }

  let body = options.body ?? record.request.body
  const assignments = options.assignments ?? []
  if (record.request.method === 'POST' && body === undefined) {
    throw usageError(
      `Delivery ${record.id} has no recorded body (it was refused as too large), so it cannot be replayed.`,
    )
  }

  if (assignments.length > 0) {
    if (body === undefined || body === '' || record.request.method === 'GET') {
      throw usageError(
        `Delivery ${record.id} is a ${record.request.method} without a body; --set has nothing to change.`,
      )
    }

    let parsed: unknown
    try {
      parsed = JSON.parse(body)
    } catch {
      throw usageError(`Delivery ${record.id} has a body that is not JSON; --set needs JSON to change.`)
    }

    try {
      body = JSON.stringify(applyAssignments(parsed, assignments))
    } catch (error) {
      if (!(error instanceof RangeError)) throw error
      throw usageError(
        `Delivery ${record.id} has a body nested too deeply to edit with --set; replay it without --set.`,
      )
    }
  }

  return {body: record.request.method === 'GET' ? undefined : body, droppedHeaders, headers}
}

export interface ReplayDeliveryOptions extends ReplayChanges {
  /** The receiver's time to answer (Okta: 3 s). */
  timeoutMs?: number
  to: string
}

export async function replayDelivery(
  record: DeliveryRecord,
  options: ReplayDeliveryOptions,
): Promise<DeliveryReplayResult> {
  const {body, droppedHeaders, headers} = replayRequest(record, options)
  const {method} = record.request
  const result = await sendRequest({body, headers, method, timeoutMs: options.timeoutMs, url: options.to})
  const challengeName = Object.keys(headers).find((name) => name.toLowerCase() === CHALLENGE_HEADER.toLowerCase())
  let judged: {explanation: string; verdict: Verdict}
  if (method === 'GET' && challengeName) {
    const {detail, status} = judgeVerification(result, headers[challengeName], options.timeoutMs)
    judged = {explanation: detail, verdict: status === 'fail' ? 'failed' : 'accepted'}
  } else judged = judgeDelivery(result, options.timeoutMs)

  const {error, headers: answerHeaders, latencyMs, status} = result
  return {
    droppedHeaders,
    explanation: judged.explanation,
    id: record.id,
    method,
    modified: (options.assignments ?? []).map((a) => a.path),
    response: {body: result.body, error, headers: answerHeaders, latencyMs, status},
    to: options.to,
    verdict: judged.verdict,
  }
}

/** The most records one `deliveries replay` selects (a range typed as 1..1000000 is a typo, not a plan). */
export const MAX_SELECTED = 10_000
const RANGE = /^(\d+)\.\.(\d+)$/

/**
 * The records that ids, numbers and ranges select, in the order given, each once: an id (or a
 * unique prefix, or "last"), a number from `deliveries list` (`5`), or a range of them (`3..7`,
 * oldest first). Every number must exist, so that nothing asked for is silently skipped.
 */
export function selectRecords(store: DeliveryStore, refs: string[]): DeliveryRecord[] {
  const selected: DeliveryRecord[] = []
  const seen = new Set<string>()
  for (const ref of refs) {
    for (const record of selectOne(store, ref.trim())) {
      if (seen.has(record.id)) continue
      seen.add(record.id)
      selected.push(record)
    }

    if (selected.length > MAX_SELECTED)
      throw usageError(`That selects more than ${MAX_SELECTED} deliveries; replay them in smaller ranges.`)
  }

  return selected
}

function selectOne(store: DeliveryStore, ref: string): DeliveryRecord[] {
  const range = RANGE.exec(ref) ?? (/^\d+$/.test(ref) ? [ref, ref, ref] : undefined)
  if (!range) return [store.get(ref)]
  const [from, to] = [Number(range[1]), Number(range[2])]
  if (from < 1 || to < from)
    throw usageError(`"${ref}" is not a range of delivery numbers.`, [
      'Give the lower number first, e.g. 3..7 (numbers from `okta-hooks deliveries list`)',
    ])
  if (to - from + 1 > MAX_SELECTED)
    throw usageError(`"${ref}" selects more than ${MAX_SELECTED} deliveries; replay them in smaller ranges.`)
  const numbers = Array.from({length: to - from + 1}, (_, i) => from + i)
  const found = new Map(store.byNumbers(numbers).map((record) => [record.n, record]))
  const missing = numbers.filter((n) => !found.has(n))
  if (missing.length > 0) {
    const shown =
      missing.length > 5 ? `${missing.slice(0, 5).join(', ')}… (${missing.length} in all)` : missing.join(', ')
    throw notFoundError(`No delivery numbered ${shown} in ${store.path}; nothing was replayed.`, [
      'See the numbers with `okta-hooks deliveries list` (the # column, or "n" in --json)',
    ])
  }

  return numbers.map((n) => found.get(n) as DeliveryRecord)
}
