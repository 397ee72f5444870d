/**
 * The envelope Okta POSTs to an event hook: exactly eight keys, in Okta's order
 * (data/samples/delivery-envelope.json). Events inside are passed through untouched.
 */
import {randomUUID} from 'node:crypto'

export type LogEvent = Record<string, unknown> & {eventType?: string; published?: string; uuid?: string}

export interface DeliveryEnvelope {
  cloudEventsVersion: '0.1'
  contentType: 'application/json'
  data: {events: LogEvent[]}
  eventId: string
  eventTime: string
  eventType: 'com.okta.event_hook'
  eventTypeVersion: '1.0'
  source: string
}

export const ENVELOPE_KEYS = [
  'eventType',
  'eventTypeVersion',
  'cloudEventsVersion',
  'source',
  'eventId',
  'data',
  'eventTime',
  'contentType',
] as const

export function hookSource(orgUrl: string, hookId: string): string {
  return `${orgUrl.replace(/\/$/, '')}/api/v1/eventHooks/${hookId}`
}

export function buildEnvelope(options: {
  eventId?: string
  events: LogEvent[]
  eventTime?: Date
  source: string
}): DeliveryEnvelope {
  return {
    eventType: 'com.okta.event_hook',
    eventTypeVersion: '1.0',
    cloudEventsVersion: '0.1',
    source: options.source,
    eventId: options.eventId ?? randomUUID(),
    data: {events: options.events},
    eventTime: (options.eventTime ?? new Date()).toISOString(),
    contentType: 'application/json',
  }
}

export function isEnvelope(value: unknown): value is DeliveryEnvelope {
  const v = value as DeliveryEnvelope
  return Boolean(v && typeof v === 'object' && v.eventType === 'com.okta.event_hook' && Array.isArray(v.data?.events))
}

/** Splits events into batches of at most `size`. */
export function batches<T>(items: T[], size: number): T[][] {
  const out: T[][] = []
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size))
  return out
}
