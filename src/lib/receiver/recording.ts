/**
 * After each answered call: the counts, the record (headers masked, the secret redacted) appended
 * to the store, and the listeners told (listen's output; an inspector's live list). A store that
 * cannot be written is reported once and the receiver keeps serving. No oclif here.
 */
import {showHeaders} from '../delivery/http-delivery.js'
import {redactText} from '../secrets/mask.js'
import {type DeliveryRecord, type DeliveryStore, newRecordId} from './delivery-store.js'
import type {IncomingCall, Outcome} from './exchange.js'
import {NOT_RECEIVED} from './refusals.js'
import {flattenHeaders} from './relay.js'

export interface ReceiverStats {
  deliveries: number
  events: number
  /** Requests answered with a status of 400 or more, or that the app behind --forward-to failed. */
  failures: number
  requests: number
  verifications: number
}

/** What listeners get for each answered call. */
export type Exchange = Pick<Outcome, 'envelope' | 'verificationAnswer'> & {record: DeliveryRecord}

export type ExchangeListener = (exchange: Exchange) => void

export interface RecorderSettings {
  authName?: string
  secret?: string
  store?: DeliveryStore
  warn: (message: string) => void
}

/** A value shown as text only when it is a string: a delivery's fields may be anything, nested arbitrarily deep. */
function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined
}

/** The envelope's eventId, its event count and event types, for the record. */
function deliverySummary(envelope: NonNullable<Outcome['envelope']>): NonNullable<DeliveryRecord['delivery']> {
  const types = envelope.data.events.map((event) => text((event as {eventType?: unknown} | null)?.eventType) ?? '?')
  return {eventId: text(envelope.eventId), events: envelope.data.events.length, eventTypes: [...new Set(types)]}
}

type Masking = Pick<RecorderSettings, 'authName' | 'secret'>

export function buildRecord(call: IncomingCall, outcome: Outcome, settings: Masking): DeliveryRecord {
  const redact = (value: string) => (settings.secret ? redactText(value, [settings.secret]) : value)
  const {answer, envelope, forward, kind, problem} = outcome
  const {request} = call
  return {
    auth: call.auth,
    ...(envelope ? {delivery: deliverySummary(envelope)} : {}),
    ...(forward ? {forward} : {}),
    id: newRecordId(),
    kind,
    latencyMs: Math.round(performance.now() - call.started),
    ...(problem ? {problem} : {}),
    receivedAt: call.receivedAt,
    request: {
      ...(call.bodyText === undefined ? {} : {body: redact(call.bodyText)}),
      bodyBytes: call.body.bytes,
      headers: showHeaders(flattenHeaders(request.headers), settings.authName),
      method: call.method,
      path: redact(call.rawUrl),
      remoteAddress: request.socket.remoteAddress,
    },
    response: {
      body: redact(answer.body),
      headers: showHeaders(answer.headers, settings.authName),
      status: answer.status,
    },
    version: 1,
  }
}

export class ExchangeRecorder {
  readonly stats: ReceiverStats = {deliveries: 0, events: 0, failures: 0, requests: 0, verifications: 0}
  private readonly listeners = new Set<ExchangeListener>()
  private storeWarned = false

  constructor(private readonly settings: RecorderSettings) {}

  /** Counts a request as it arrives (answered or not when the receiver stops). */
  arrived(): void {
    this.stats.requests++
  }

  /** Counts, records and tells every listener about one answered call. */
  record(call: IncomingCall, outcome: Outcome): void {
    this.count(outcome)
    const record = buildRecord(call, outcome, this.settings)
    this.store(record)
    const exchange: Exchange = {envelope: outcome.envelope, record, verificationAnswer: outcome.verificationAnswer}
    for (const listener of this.listeners) {
      try {
        listener(exchange)
      } catch (error) {
        this.settings.warn(`showing a request failed: ${(error as Error).message}`)
      }
    }
  }

  /** Calls `listener` after each answered call, until the returned function is called. */
  subscribe(listener: ExchangeListener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  private count({answer, envelope, forward, kind, problem}: Outcome): void {
    const {stats} = this
    if (kind === 'verification' && answer.status < 400) stats.verifications++
    if (kind === 'delivery' && !NOT_RECEIVED.has(problem?.code ?? '')) {
      stats.deliveries++
      stats.events += envelope?.data.events.length ?? 0
    }

    if (answer.status >= 400 || forward?.error) stats.failures++
  }

  private store(record: DeliveryRecord): void {
    const {store} = this.settings
    if (!store) return
    try {
      store.append(record)
    } catch (error) {
      if (!this.storeWarned)
        this.settings.warn(
          `could not record to ${store.path}: ${(error as Error).message}; still serving, not recording`,
        )
      this.storeWarned = true
    }
  }
}
