/**
 * The sandbox's delivery engine: events for a hook are collected for a short window (Okta batches
 * events close in time), then POSTed as Okta's envelope with the hook's custom headers and auth
 * header, 3 s timeout, one retry on 5xx, timeout or connection failure, none on 4xx. A delivery
 * that finally fails is reported through `onFailure` (the org writes an event_hook.delivery event).
 */
import {buildEnvelope, hookSource, type LogEvent} from '../delivery/envelope.js'
import {deliverLikeOkta, type JudgedResult, RECEIVER_TIMEOUT_MS, type Verdict} from '../delivery/http-delivery.js'
import {oktaDeliveryHeaders} from '../delivery/okta-headers.js'
import type {EventHook} from '../hooks/types.js'

export interface DeliveryOptions {
  /** How long events are collected before a batch goes out. */
  batchWindowMs?: number
  /** A batch goes out at once when it reaches this many events. */
  maxBatchSize?: number
  timeoutMs?: number
}

export interface DeliveryFailure {
  attempts: number
  eventIds: string[]
  hook: EventHook
  reason: string
  status?: number
}

/** One batch POSTed to a hook, once Okta's verdict on it is in (onDelivered). */
export interface DeliveredBatch {
  attempts: number
  eventCount: number
  hookId: string
  status?: number
  verdict: Verdict
}

/** How one batch of events fared at one hook: what `sandbox emit --wait` reports. */
export interface DeliveryOutcome {
  attempts: number
  /** How many of the events asked about were in this batch. */
  events: number
  hookId: string
  /** Why it was not accepted, in the words of Okta's event_hook.delivery event. */
  reason?: string
  status?: number
  verdict: Verdict
}

interface PendingBatch {
  events: LogEvent[]
  timer: NodeJS.Timeout
}

export const DEFAULT_BATCH_WINDOW_MS = 100
export const DEFAULT_MAX_BATCH_SIZE = 50
/** Outcomes are kept for this many recent events (memory stays bounded in a long-running sandbox). */
const KEPT_OUTCOMES = 10_000

export class DeliveryEngine {
  /** Batches by Okta's verdict, and the events of the accepted ones. */
  readonly stats = {accepted: 0, batches: 0, events: 0, failed: 0, rejected: 0}
  private readonly batchWindowMs: number
  private inFlight = 0
  private readonly maxBatchSize: number
  /** Event uuid → the batches that carried it (one per hook it was routed to). */
  private readonly outcomesByEvent = new Map<string, Omit<DeliveryOutcome, 'events'>[]>()
  private readonly pending = new Map<string, PendingBatch>()
  private readonly timeoutMs: number
  private waiters: (() => void)[] = []

  constructor(
    private readonly hooks: {
      getHook(id: string): EventHook | undefined
      onDelivered?(batch: DeliveredBatch): void
      onFailure(failure: DeliveryFailure): void
      orgUrl(): string
    },
    options: DeliveryOptions = {},
  ) {
    this.batchWindowMs = options.batchWindowMs ?? DEFAULT_BATCH_WINDOW_MS
    this.maxBatchSize = options.maxBatchSize ?? DEFAULT_MAX_BATCH_SIZE
    this.timeoutMs = options.timeoutMs ?? RECEIVER_TIMEOUT_MS
  }

  enqueue(hookId: string, event: LogEvent): void {
    let batch = this.pending.get(hookId)
    if (!batch) {
      batch = {events: [], timer: setTimeout(() => this.flush(hookId), this.batchWindowMs)}
      this.pending.set(hookId, batch)
    }

    batch.events.push(event)
    if (batch.events.length >= this.maxBatchSize) this.flush(hookId)
  }

  /** Sends every collected batch now (used when stopping). */
  flushAll(): void {
    for (const hookId of [...this.pending.keys()]) this.flush(hookId)
  }

  /** Resolves once nothing is collected or in flight: every delivery so far has succeeded or failed. */
  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve()
    return new Promise((resolve) => {
      this.waiters.push(resolve)
    })
  }

  isIdle(): boolean {
    return this.pending.size === 0 && this.inFlight === 0
  }

  /** How the batches that carried these events fared, one entry per batch and hook (recent events only). */
  outcomes(eventIds: string[]): DeliveryOutcome[] {
    const batches = new Map<Omit<DeliveryOutcome, 'events'>, number>()
    for (const id of eventIds)
      for (const batch of this.outcomesByEvent.get(id) ?? []) batches.set(batch, (batches.get(batch) ?? 0) + 1)
    return [...batches].map(([batch, events]) => ({...batch, events}))
  }

  private async deliver(hookId: string, events: LogEvent[]): Promise<void> {
    const hook = this.hooks.getHook(hookId)
    if (!hook) return // deleted meanwhile
    const config = hook.channel.config
    const auth = config.authScheme?.value ? {key: config.authScheme.key, value: config.authScheme.value} : undefined
    const envelope = buildEnvelope({events, source: hookSource(this.hooks.orgUrl(), hook.id)})
    const headers = oktaDeliveryHeaders(config.headers, auth)
    const body = JSON.stringify(envelope)
    const {attempts, final} = await deliverLikeOkta({
      body,
      headers,
      retry: true,
      timeoutMs: this.timeoutMs,
      url: config.uri,
    })
    const {status, verdict} = final
    this.stats.batches++
    this.stats[verdict]++
    this.hooks.onDelivered?.({attempts: attempts.length, eventCount: events.length, hookId, status, verdict})
    const reason = verdict === 'accepted' ? {} : {reason: failureReason(final)}
    this.keepOutcome(events, {attempts: attempts.length, hookId, ...reason, status, verdict})
    if (verdict === 'accepted') {
      this.stats.events += events.length
      return
    }

    this.hooks.onFailure({
      attempts: attempts.length,
      eventIds: events.map((event) => String(event.uuid)),
      hook,
      reason: failureReason(final),
      status: final.status,
    })
  }

  private keepOutcome(events: LogEvent[], outcome: Omit<DeliveryOutcome, 'events'>): void {
    for (const event of events) {
      const id = String(event.uuid)
      const kept = this.outcomesByEvent.get(id) ?? []
      this.outcomesByEvent.delete(id) // re-inserted last: the map stays in delivery order
      this.outcomesByEvent.set(id, [...kept, outcome])
    }

    for (const oldest of this.outcomesByEvent.keys()) {
      if (this.outcomesByEvent.size <= KEPT_OUTCOMES) break
      this.outcomesByEvent.delete(oldest)
    }
  }

  private flush(hookId: string): void {
    const batch = this.pending.get(hookId)
    if (!batch) return
    clearTimeout(batch.timer)
    this.pending.delete(hookId)
    this.inFlight++
    this.deliver(hookId, batch.events)
      .catch(() => {}) // deliverLikeOkta never throws for HTTP failures; nothing else should
      .finally(() => {
        this.inFlight--
        if (this.isIdle()) {
          const waiters = this.waiters
          this.waiters = []
          for (const resolve of waiters) resolve()
        }
      })
  }
}

function failureReason(result: JudgedResult): string {
  if (result.error === 'TIMEOUT') return 'Timeout: no response within 3 seconds'
  if (result.error) return `Connection failure: ${result.error}`
  return `HTTP ${result.status} from the event hook endpoint`
}
