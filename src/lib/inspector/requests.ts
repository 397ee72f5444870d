/**
 * What the inspector (page and JSON API) shows of each recorded request: a summary for the live
 * list (time, kind, event types, answer, latency against Okta's 3 s, Okta's verdict) and the whole
 * of one (headers masked as stored, the envelope, each event as listen prints it, the answer);
 * and the filters the list takes (event type, status, verdict, kind, text). No oclif here.
 */
import {isEnvelope} from '../delivery/envelope.js'
import {judgeDelivery, RECEIVER_TIMEOUT_MS, type Verdict} from '../delivery/http-delivery.js'
import {judgeVerification} from '../endpoint-check/verification.js'
import type {DeliveryRecord, ExchangeKind, ForwardOutcome} from '../receiver/delivery-store.js'
import {eventLines, type EventSummary, partyText, summarizeEnvelope, targetsText} from '../receiver/describe.js'
import {type DeliveryRow, deliveryRow} from '../receiver/view.js'

/** Set on the inspector's replays: the id of the request replayed (shown as "replay of"). */
export const REPLAY_OF_HEADER = 'x-okta-hooks-replay-of'

/** A request in the list: the row `deliveries list` shows, and what the inspector adds (Okta's verdict, its budget). */
export interface RequestSummary extends DeliveryRow {
  auth: DeliveryRecord['auth']
  /** Okta's time budget for an answer, in ms. */
  budgetMs: number
  eventTypes: string[]
  forward?: ForwardOutcome
  /** The request this one replays (the inspector's replays). */
  replayOf?: string
  /** Okta's verdict; null for a request Okta would never make (wrong path, other method). */
  verdict: null | Verdict
  /** Why, in words. */
  verdictDetail: string
  withinBudget: boolean
}

export interface EventView extends EventSummary {
  /** Who did it: "Admin <admin@…>". */
  actorText: string
  /** The line listen prints for it. */
  line: string
  /** To whom: "created Jane Doe <jane@…>", or the targets with their types. */
  targetText: string
}

export interface RequestDetail {
  /** The request's body parsed, when it is JSON (the envelope, for a delivery). */
  body?: unknown
  events: EventView[]
  /** The record as stored: headers masked, secrets redacted. */
  record: DeliveryRecord
  summary: RequestSummary
}

function parsedBody(record: DeliveryRecord): unknown {
  if (!record.request.body) return undefined
  try {
    return JSON.parse(record.request.body)
  } catch {
    return undefined
  }
}

/** Okta's verdict on the answer to a delivery, as recorded (an answer later than 3 s is a timeout to Okta). */
export function deliveryVerdict(status: number, latencyMs: number): {detail: string; verdict: Verdict} {
  if (latencyMs > RECEIVER_TIMEOUT_MS) {
    return {
      detail: `answered in ${latencyMs} ms, past Okta's ${RECEIVER_TIMEOUT_MS / 1000} s: Okta counts a timeout as a failure and retries once`,
      verdict: 'failed',
    }
  }

  const judged = judgeDelivery({body: '', bodyTruncated: false, headers: {}, latencyMs, status})
  return {detail: judged.explanation, verdict: judged.verdict}
}

/** Okta's verdict on a request as recorded (for a verification: whether the answer echoes the challenge as Okta requires). */
export function verdictOf(record: DeliveryRecord): {detail: string; verdict: null | Verdict} {
  const {response} = record
  if (record.kind === 'delivery') return deliveryVerdict(response.status, record.latencyMs)
  const challenge = record.request.headers['x-okta-verification-challenge']
  if (record.kind !== 'verification' || !challenge) return {detail: 'not a call Okta makes to a hook', verdict: null}
  const judged = judgeVerification(
    {
      body: response.body,
      bodyTruncated: false,
      headers: lowerKeys(response.headers),
      latencyMs: record.latencyMs,
      status: response.status,
    },
    challenge,
  )
  const failed = judged.status === 'fail'
  return {
    detail: judged.detail,
    verdict: failed
      ? response.status >= 500 || record.latencyMs > RECEIVER_TIMEOUT_MS
        ? 'failed'
        : 'rejected'
      : 'accepted',
  }
}

function lowerKeys(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]))
}

export function requestSummary(record: DeliveryRecord): RequestSummary {
  const {detail, verdict} = verdictOf(record)
  const replayOf = record.request.headers[REPLAY_OF_HEADER]
  return {
    ...deliveryRow(record),
    auth: record.auth,
    budgetMs: RECEIVER_TIMEOUT_MS,
    eventTypes: record.delivery?.eventTypes ?? [],
    ...(record.forward ? {forward: record.forward} : {}),
    ...(replayOf ? {replayOf} : {}),
    verdict,
    verdictDetail: detail,
    withinBudget: record.latencyMs <= RECEIVER_TIMEOUT_MS,
  }
}

export function requestDetail(record: DeliveryRecord): RequestDetail {
  const body = parsedBody(record)
  const envelope = isEnvelope(body) ? body : undefined
  const lines = envelope ? eventLines(envelope) : []
  const events = envelope ? summarizeEnvelope(envelope) : []
  return {
    ...(body === undefined ? {} : {body}),
    events: events.map((event, i) => ({
      ...event,
      actorText: partyText(event.actor),
      line: lines[i],
      targetText: targetsText(event),
    })),
    record,
    summary: requestSummary(record),
  }
}

/** The list's filters, as query parameters: ?eventType=&kind=&status=2xx|404&verdict=&q= */
export interface RequestFilter {
  eventType?: string
  kind?: ExchangeKind
  /** Text anywhere in the request or its answer (case-insensitive). */
  q?: string
  /** A status (204) or a class (2xx, 4xx, 5xx). */
  status?: string
  verdict?: Verdict
}

const KINDS = new Set(['delivery', 'other', 'verification'])
const VERDICTS = new Set(['accepted', 'failed', 'rejected'])

/** The filter in a query string; unknown or empty values are left out, never errors (a script's typo shows everything, not nothing). */
export function filterFrom(query: URLSearchParams): RequestFilter {
  const take = (name: string) => query.get(name)?.trim() || undefined
  const kind = take('kind')
  const status = take('status')
  const verdict = take('verdict')
  return {
    eventType: take('eventType'),
    ...(kind && KINDS.has(kind) ? {kind: kind as ExchangeKind} : {}),
    q: take('q')?.toLowerCase(),
    ...(status && /^[1-5](\d\d|xx)$/i.test(status) ? {status: status.toLowerCase()} : {}),
    ...(verdict && VERDICTS.has(verdict) ? {verdict: verdict as Verdict} : {}),
  }
}

export function isFiltered(filter: RequestFilter): boolean {
  return Object.values(filter).some((value) => value !== undefined)
}

function statusMatches(status: number, wanted: string): boolean {
  return wanted.endsWith('xx') ? String(status)[0] === wanted[0] : String(status) === wanted
}

/** Whether a request passes the filter (the text is looked for in the record as stored: masked). */
export function matches(record: DeliveryRecord, summary: RequestSummary, filter: RequestFilter): boolean {
  if (filter.kind && summary.kind !== filter.kind) return false
  if (filter.eventType && !summary.eventTypes.includes(filter.eventType)) return false
  if (filter.status && !statusMatches(summary.status, filter.status)) return false
  if (filter.verdict && summary.verdict !== filter.verdict) return false
  if (filter.q && !JSON.stringify(record).toLowerCase().includes(filter.q)) return false
  return true
}
