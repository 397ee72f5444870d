/**
 * The receiver's answer to a delivery: the body read as Okta's envelope (or why it is not one),
 * then 204 at once, or the status and delay the developer asked for. Malformed JSON gets 400.
 */
import {setTimeout as sleep} from 'node:timers/promises'

import {type DeliveryEnvelope, isEnvelope} from '../delivery/envelope.js'
import {answer, type Outcome, type Problem, refusal} from './exchange.js'

export interface EnvelopeRead {
  envelope?: DeliveryEnvelope
  problem?: Problem
}

export function readEnvelope(bodyText: string | undefined): EnvelopeRead {
  if (bodyText === undefined) return {}
  try {
    const parsed = JSON.parse(bodyText)
    if (isEnvelope(parsed)) return {envelope: parsed}
    return {
      problem: {
        code: 'NOT_AN_ENVELOPE',
        message: 'JSON, but not an Okta event hook envelope (eventType com.okta.event_hook with data.events)',
      },
    }
  } catch (error) {
    return {problem: {code: 'MALFORMED_JSON', message: `body is not valid JSON: ${(error as Error).message}`}}
  }
}

export interface DeliverySettings {
  /** Wait this long before answering. */
  respondDelayMs?: number
  /** Answer with this status instead of 204. */
  respondStatus?: number
}

/** `closing` cuts a --respond-delay short when the receiver stops. */
export async function answerDelivery(
  read: EnvelopeRead,
  settings: DeliverySettings,
  closing: AbortSignal,
): Promise<Outcome> {
  if (read.problem?.code === 'MALFORMED_JSON') return refusal('delivery', 400, read.problem)
  if (settings.respondDelayMs) {
    try {
      await sleep(settings.respondDelayMs, undefined, {signal: closing})
    } catch {
      // shutting down: answer now
    }
  }

  return {answer: answer(settings.respondStatus ?? 204), ...read, kind: 'delivery'}
}
