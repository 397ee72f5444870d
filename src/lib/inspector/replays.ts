/**
 * "Replay" and "Replay with modifications" of the inspector: the request (its body as edited in the
 * page) goes in again through listen's own hook endpoint, as Okta's calls do (auth header checked,
 * relayed, recorded, printed, shown live), carrying a one-time token that tells the receiver where
 * to relay it: the forward target, or another URL. The answer comes back with Okta's verdict and
 * the new record, so the page can show it and find it in the list. No oclif here.
 */
import {randomBytes} from 'node:crypto'

import {usageError} from '../errors.js'
import type {AuthHeader} from '../hooks/auth-secret.js'
import type {DeliveryRecord} from '../receiver/delivery-store.js'
import {parseAppUrl} from '../receiver/options.js'
import type {ExchangeListener} from '../receiver/recording.js'
import {replayDelivery} from '../receiver/replay.js'
import {REPLAY_TOKEN_HEADER} from '../receiver/server.js'
import type {Verdict} from '../delivery/http-delivery.js'
import {REPLAY_OF_HEADER, requestSummary, type RequestSummary, verdictOf} from './requests.js'

/** How long the receiver may take to record a replay once it has answered it. */
const RECORDED_WITHIN_MS = 5000
/** Longer than the receiver's own wait for the app (10 s), so that its 504 comes back rather than a timeout here. */
const REPLAY_TIMEOUT_MS = 15_000

export interface ReplaySettings {
  /** listen's auth header (the hook's secret), sent with every replay so that it passes listen's check as Okta's calls do. */
  auth?: AuthHeader
  /** listen's hook endpoint, on loopback. */
  endpoint: string
  forwardTo?: string
  subscribe: (listener: ExchangeListener) => () => void
}

export interface ReplayRequest {
  /** The body to send instead of the recorded one: JSON text. */
  body?: string
  /** Where to: default the forward target (or listen itself without one). */
  to?: string
}

export interface InspectorReplay {
  /** The new request, as the list shows it (absent if the receiver did not record it in time). */
  recorded?: RequestSummary
  /** The request replayed. */
  replayOf: string
  response: {body: string; error?: string; headers: Record<string, string>; latencyMs: number; status?: number}
  to: string
  verdict: null | Verdict
  verdictDetail: string
}

export class InspectorReplays {
  private readonly targets = new Map<string, string>()

  constructor(private readonly settings: ReplaySettings) {}

  /** For the receiver's replayTarget option: the URL a one-time token stands for, once. */
  readonly targetFor = (token: string): string | undefined => {
    const target = this.targets.get(token)
    this.targets.delete(token)
    return target
  }

  /** The default target: the forward target, or listen itself. */
  get defaultTarget(): string {
    return this.settings.forwardTo ?? this.settings.endpoint
  }

  async replay(record: DeliveryRecord, request: ReplayRequest): Promise<InspectorReplay> {
    const to = request.to?.trim() ? parseAppUrl(request.to.trim(), 'The replay\'s "to"') : this.defaultTarget
    if (request.body !== undefined) checkJson(request.body)
    const token = randomBytes(16).toString('hex')
    if (to !== this.settings.endpoint) this.targets.set(token, to)
    const recorded = this.recordOf(token)
    try {
      const result = await replayDelivery(record, {
        auth: this.settings.auth,
        body: record.request.method === 'GET' ? undefined : request.body,
        headers: {[REPLAY_OF_HEADER]: record.id, [REPLAY_TOKEN_HEADER]: token},
        timeoutMs: REPLAY_TIMEOUT_MS,
        to: this.settings.endpoint,
      })
      const newRecord = result.response.status === undefined ? undefined : await recorded.promise
      const judged = newRecord
        ? verdictOf(newRecord)
        : {detail: result.explanation, verdict: result.response.status === undefined ? ('failed' as const) : null}
      return {
        ...(newRecord ? {recorded: requestSummary(newRecord)} : {}),
        replayOf: record.id,
        response: result.response,
        to,
        verdict: judged.verdict,
        verdictDetail: judged.detail,
      }
    } finally {
      recorded.cancel()
      this.targets.delete(token)
    }
  }

  /** The record of the replay carrying `token`, once the receiver has made it (undefined past RECORDED_WITHIN_MS). */
  private recordOf(token: string): {cancel: () => void; promise: Promise<DeliveryRecord | undefined>} {
    let cancel = () => {}
    const promise = new Promise<DeliveryRecord | undefined>((resolve) => {
      const timer = setTimeout(() => finish(undefined), RECORDED_WITHIN_MS)
      const unsubscribe = this.settings.subscribe(({record}) => {
        if (record.request.headers[REPLAY_TOKEN_HEADER] === token) finish(record)
      })
      const finish = (found: DeliveryRecord | undefined) => {
        clearTimeout(timer)
        unsubscribe()
        resolve(found)
      }

      cancel = () => finish(undefined)
    })
    return {cancel, promise}
  }
}

function checkJson(body: string): void {
  try {
    JSON.parse(body)
  } catch (error) {
    throw usageError(`The edited body is not valid JSON: ${(error as Error).message}.`, [
      'Okta always sends JSON: fix the body and send it again',
    ])
  }
}
