/**
 * What a preview sends and what became of it: the request bodies (envelopes around the events, or
 * a file's bytes), each POSTed as Okta would and judged by Okta's rules, and the preview's result.
 * No oclif here.
 */
import type {RawLogEvent} from '../syslog/raw-events.js'
import {rawEnvelopeBody} from '../replay/raw-envelope.js'
import type {DeliveryEnvelope} from './envelope.js'
import {deliverLikeOkta, type JudgedResult, type Verdict, worstVerdict} from './http-delivery.js'
import {REQUEST_ID_HEADER} from './okta-headers.js'
import type {Assignment} from './modify.js'
import type {PreviewEvents} from './preview-events.js'
import {previewEnvelopes} from './preview.js'

/** One request body: the text sent, what it is as JSON (or the text), and how many events it holds. */
export interface PreviewBody {
  body: string
  envelope: unknown
  events: number
}

export interface PreviewDelivery {
  /** Every attempt (two with --retry after a 5xx or timeout). */
  attempts: JudgedResult[]
  /** The envelope sent (or, with --body-file, the body: parsed when it is JSON). */
  envelope: unknown
  request: {bytes: number; headers: Record<string, string>; method: 'POST'; url: string}
  /** The final attempt, judged by Okta's rules; absent under --dry-run. */
  result?: JudgedResult
}

export interface PreviewResult {
  deliveries: PreviewDelivery[]
  dryRun: boolean
  events: number
  target: string
  /** The worst verdict of the deliveries (accepted when every one was); absent under --dry-run. */
  verdict?: Verdict
}

/** A --body-file: its bytes as they are. */
export function fileBody(text: string): PreviewBody {
  const envelope = tryJson(text)
  return {body: text, envelope, events: countEvents(envelope)}
}

export interface BodyOptions {
  assignments?: Assignment[]
  batchSize?: number
  /** Lets a person change the envelopes before they are sent (--edit). */
  edit?: (envelopes: DeliveryEnvelope[]) => Promise<DeliveryEnvelope[]>
  /** The envelopes' source. */
  source: string
}

/**
 * One body per batch of events. System Log events nobody changes are sent as the exact text Okta
 * returned; otherwise each batch is a fresh envelope, with the assignments applied, then edited.
 */
export async function previewBodies(events: PreviewEvents, options: BodyOptions): Promise<PreviewBody[]> {
  const changed = (options.assignments ?? []).length > 0 || Boolean(options.edit)
  if ('raw' in events && !changed) return rawBodies(events.raw, options)
  const objects = 'raw' in events ? events.raw.map((event) => JSON.parse(event.json)) : events.objects
  let envelopes = previewEnvelopes(objects, {
    assignments: options.assignments,
    batchSize: options.batchSize,
    source: options.source,
  })
  if (options.edit) envelopes = await options.edit(envelopes)
  return envelopes.map((envelope) => ({body: JSON.stringify(envelope), envelope, events: countEvents(envelope)}))
}

function rawBodies(events: RawLogEvent[], options: {batchSize?: number; source: string}): PreviewBody[] {
  const size = options.batchSize ?? Math.max(events.length, 1)
  const bodies: PreviewBody[] = []
  for (let i = 0; i < events.length; i += size) {
    const body = rawEnvelopeBody(events.slice(i, i + size), {source: options.source})
    bodies.push({body, envelope: JSON.parse(body), events: Math.min(size, events.length - i)})
  }

  return bodies
}

export interface SendOptions {
  /** Send nothing: each delivery is only the request it would be. */
  dryRun?: boolean
  headers: Record<string, string>
  /** Okta's one retry after a 5xx or a timeout. */
  retry?: boolean
  /** The headers as shown (secrets masked). */
  shownHeaders: Record<string, string>
  /** The receiver's time to answer each attempt. */
  timeoutMs?: number
  /** Where to POST (as given), and as shown. */
  url: {shown: string; target: string}
}

/** Sends each body in turn (or, dry, sends nothing), calling `onDelivery` as each is done. */
export async function sendPreviews(
  bodies: PreviewBody[],
  options: SendOptions,
  onDelivery: (delivery: PreviewDelivery, body: PreviewBody, index: number) => void = () => {},
): Promise<PreviewResult> {
  const result: PreviewResult = {deliveries: [], dryRun: Boolean(options.dryRun), events: 0, target: options.url.shown}
  for (const [index, body] of bodies.entries()) {
    result.events += body.events
    const request = {
      bytes: Buffer.byteLength(body.body),
      headers: options.shownHeaders,
      method: 'POST' as const,
      url: options.url.shown,
    }
    let delivery: PreviewDelivery = {attempts: [], envelope: body.envelope, request}
    if (!options.dryRun) {
      const {headers, retry, timeoutMs} = options
      const {attempts, final} = await deliverLikeOkta({
        body: body.body,
        headers,
        retry,
        timeoutMs,
        url: options.url.target,
      })
      // The request as shown carries the request id its first attempt was sent with.
      const sent = attempts[0].requestId ? {...request.headers, [REQUEST_ID_HEADER]: attempts[0].requestId} : {}
      delivery = {...delivery, attempts, request: {...request, headers: {...request.headers, ...sent}}, result: final}
    }

    result.deliveries.push(delivery)
    onDelivery(delivery, body, index)
  }

  if (!options.dryRun) result.verdict = worstVerdict(result.deliveries.map((delivery) => delivery.result!.verdict))
  return result
}

function tryJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

function countEvents(envelope: unknown): number {
  const events = (envelope as DeliveryEnvelope | undefined)?.data?.events
  return Array.isArray(events) ? events.length : 0
}
