/**
 * What `preview` and `replay` share beyond http-delivery.ts: reading events given as a file
 * (LogEvents as a JSON array, NDJSON, one event, or a whole delivery envelope), the delivery target
 * rules, and building the envelopes a preview sends. No oclif here.
 */
import {usageError} from '../errors.js'
import {checkHookUri, displayUrl, refuseCredentials} from '../net/urls.js'
import type {EventHook} from '../hooks/types.js'
import {type Assignment, applyAssignments} from './modify.js'
import {batches, buildEnvelope, type DeliveryEnvelope, hookSource, isEnvelope, type LogEvent} from './envelope.js'

/** The source used when no hook (and so no org) is involved: `preview --to URL --sample|--from-file`. */
export const PLACEHOLDER_ORG_URL = 'https://example.okta.com'
export const PLACEHOLDER_HOOK_ID = 'who0000000000000000000'

/** Events from a document: a JSON array of LogEvents, NDJSON (one per line), one LogEvent, or an envelope. */
export function parseEventsText(text: string, where = '--from-file'): LogEvent[] {
  const trimmed = text.trim()
  if (!trimmed) throw usageError(`${where}: there is nothing in it.`)
  let document: unknown
  try {
    document = JSON.parse(trimmed)
  } catch {
    return parseNdjson(trimmed, where)
  }

  if (isEnvelope(document)) return checkEvents(document.data.events, where)
  if (Array.isArray(document)) return checkEvents(document, where)
  if (document && typeof document === 'object') return checkEvents([document], where)
  throw usageError(`${where}: expected LogEvents (a JSON array, NDJSON, one event) or a delivery envelope.`)
}

function parseNdjson(text: string, where: string): LogEvent[] {
  const events: unknown[] = []
  for (const [index, line] of text.split(/\r?\n/).entries()) {
    if (!line.trim()) continue
    try {
      events.push(JSON.parse(line))
    } catch (error) {
      throw usageError(`${where}: line ${index + 1} is not JSON (${(error as Error).message}).`, [
        'Give LogEvents as a JSON array, one JSON event per line (NDJSON), one event, or a delivery envelope',
      ])
    }
  }

  return checkEvents(events, where)
}

function checkEvents(events: unknown[], where: string): LogEvent[] {
  if (events.length === 0) throw usageError(`${where}: it holds no events.`)
  for (const [index, event] of events.entries()) {
    if (!event || typeof event !== 'object' || Array.isArray(event))
      throw usageError(`${where}: event ${index + 1} is not a JSON object.`)
  }

  return events as LogEvent[]
}

/**
 * Where deliveries go: https anywhere, plain http only to loopback hosts unless `allowHttp`.
 * Returns the URL as given.
 */
export function checkTarget(value: string, options: {allowHttp?: boolean; flag?: string} = {}): string {
  const flag = options.flag ?? '--to'
  refuseCredentials(value, flag)
  const checked = checkHookUri(value)
  if ('url' in checked) return value
  let url: URL | undefined
  try {
    url = new URL(value)
  } catch {}

  if (url?.protocol === 'http:' && options.allowHttp) return value
  throw usageError(`${flag} ${displayUrl(value)} ${checked.problem}.`, [
    ...(url?.protocol === 'http:' ? ['Pass --allow-http to send to a plain-http host anyway'] : []),
    ...(checked.suggestion ? [checked.suggestion] : []),
  ])
}

/** A hook's own URL as the delivery target; one with a user name or password in it is refused. */
export function hookTarget(hook: EventHook): string {
  const uri = hook.channel.config.uri
  refuseCredentials(uri, `The URL of the hook "${hook.name}",`)
  return uri
}

export function sourceFor(orgUrl: string | undefined, hook: EventHook | undefined): string {
  return hookSource(orgUrl ?? PLACEHOLDER_ORG_URL, hook?.id ?? PLACEHOLDER_HOOK_ID)
}

/** One envelope per batch of events (fresh eventId, eventTime now), each with the --set assignments applied. */
export function previewEnvelopes(
  events: LogEvent[],
  options: {assignments?: Assignment[]; batchSize?: number; now?: Date; source: string},
): DeliveryEnvelope[] {
  const size = options.batchSize && options.batchSize > 0 ? options.batchSize : Math.max(events.length, 1)
  return batches(events, size).map((batch) => {
    const envelope = buildEnvelope({eventTime: options.now, events: batch, source: options.source})
    return options.assignments && options.assignments.length > 0
      ? applyAssignments(envelope, options.assignments)
      : envelope
  })
}
