/**
 * Okta's delivery envelope as text around events kept as text: the same eight keys in the same
 * order as JSON.stringify(buildEnvelope(...)), with each event's JSON inserted exactly as Okta sent it.
 */
import {createHash, randomUUID} from 'node:crypto'

import type {RawLogEvent} from '../syslog/raw-events.js'

export function rawEnvelopeBody(
  events: RawLogEvent[],
  options: {eventId?: string; eventTime?: Date; source: string},
): string {
  return (
    '{"eventType":"com.okta.event_hook","eventTypeVersion":"1.0","cloudEventsVersion":"0.1","source":' +
    JSON.stringify(options.source) +
    ',"eventId":' +
    JSON.stringify(options.eventId ?? randomUUID()) +
    ',"data":{"events":[' +
    events.map((event) => event.json).join(',') +
    ']},"eventTime":' +
    JSON.stringify((options.eventTime ?? new Date()).toISOString()) +
    ',"contentType":"application/json"}'
  )
}

/** An event's checkpoint key: its uuid, or a hash of its text when it has none. */
export function rawEventKey(event: RawLogEvent): string {
  return event.uuid || 'sha1:' + createHash('sha1').update(event.json).digest('hex')
}
