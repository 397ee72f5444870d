/**
 * The sandbox's System Log: an append-only list of LogEvents and the query semantics of
 * GET /api/v1/logs (since, until, after, limit, sortOrder, filter, q) with Okta's paging: a bounded
 * query (with until) ends with a page that has no next link; a polling query (no until,
 * ascending) always has one, even on an empty page, so a client can resume from it later.
 */
import type {LogEvent} from '../delivery/envelope.js'
import {apiValidation} from './errors.js'
import {parseScimFilter, type Predicate} from './scim-filter.js'

export const MAX_LIMIT = 1000
export const DEFAULT_LIMIT = 100
const DEFAULT_WINDOW_MS = 7 * 24 * 60 * 60 * 1000

export interface StoredEvent {
  event: LogEvent
  publishedMs: number
  seq: number
}

/** GET /api/v1/logs's query parameters as received (strings, unchecked). */
export interface LogStoreQuery {
  after?: string
  filter?: string
  limit?: string
  q?: string
  since?: string
  sortOrder?: string
  until?: string
}

export interface LogStorePage {
  events: LogEvent[]
  /** Query parameters for the next page, or undefined when there is none. */
  next?: Record<string, string>
}

export class LogStore {
  private events: StoredEvent[] = []
  private lastPublishedMs = 0
  private nextSeq = 1

  constructor(initial: LogEvent[] = []) {
    for (const event of initial) this.append(event)
  }

  all(): LogEvent[] {
    return this.events.map((stored) => stored.event)
  }

  /**
   * Appends an event. Its `published` time is kept if it is not older than the newest event
   * (so that the log stays in order and cursors stay valid), otherwise set to that instant.
   */
  append(event: LogEvent): LogEvent {
    const ms = Math.max(Date.parse(event.published ?? '') || Date.now(), this.lastPublishedMs)
    event.published = new Date(ms).toISOString()
    this.lastPublishedMs = ms
    this.events.push({event, publishedMs: ms, seq: this.nextSeq++})
    return event
  }

  get size(): number {
    return this.events.length
  }

  query(query: LogStoreQuery, now = Date.now()): LogStorePage {
    const causes: string[] = []
    const since = parseTime(query.since, 'since', causes)
    const until = parseTime(query.until, 'until', causes)
    const limit = query.limit === undefined || query.limit === '' ? DEFAULT_LIMIT : Number(query.limit)
    if (!Number.isInteger(limit) || limit < 0 || limit > MAX_LIMIT)
      causes.push(`limit: must be an integer from 0 to ${MAX_LIMIT}`)
    const sortOrder = (query.sortOrder || 'ASCENDING').toUpperCase()
    if (sortOrder !== 'ASCENDING' && sortOrder !== 'DESCENDING')
      causes.push('sortOrder: must be ASCENDING or DESCENDING')
    const keywords = parseKeywords(query.q, causes)
    let cursor: Cursor | undefined
    if (query.after !== undefined && query.after !== '') {
      cursor = decodeCursor(query.after)
      if (cursor === undefined) causes.push('after: not a cursor from a next link')
    }

    if (since !== undefined && until !== undefined && since > until) causes.push('since: must not be after until')
    if (causes.length > 0) throw apiValidation('logs', causes)
    const predicate: Predicate | undefined = query.filter ? parseScimFilter(query.filter) : undefined

    // The cursor carries the query's lower time bound, so that later pages keep the first page's window.
    const lower = cursor?.lowerMs ?? since ?? (until === undefined ? now : until) - DEFAULT_WINDOW_MS
    const afterSeq = cursor?.seq
    const ascending = sortOrder === 'ASCENDING'
    const matches = (stored: StoredEvent): boolean =>
      stored.publishedMs >= lower &&
      (afterSeq === undefined || (ascending ? stored.seq > afterSeq : stored.seq < afterSeq)) &&
      (until === undefined || stored.publishedMs < until) &&
      (!predicate || predicate(stored.event)) &&
      (keywords.length === 0 || matchesKeywords(stored.event, keywords))

    const ordered = ascending ? this.events : [...this.events].reverse()
    const page: StoredEvent[] = []
    let more = false
    for (const stored of ordered) {
      if (!matches(stored)) continue
      if (page.length >= limit) {
        more = true
        break
      }

      page.push(stored)
    }

    const carried: Record<string, string> = {limit: String(limit)}
    if (query.filter) carried.filter = query.filter
    if (query.q) carried.q = query.q
    if (query.until) carried.until = query.until
    if (!ascending) carried.sortOrder = sortOrder
    // After the last event returned; on a polling page that ran out, after everything seen so far.
    const last = page.at(-1)?.seq
    let next: Record<string, string> | undefined
    if (more) next = {...carried, after: encodeCursor(last ?? afterSeq ?? 0, lower)}
    else if (ascending && until === undefined) {
      const seen = Math.max(last ?? 0, afterSeq ?? 0, this.events.at(-1)?.seq ?? 0)
      next = {...carried, after: encodeCursor(seen, lower)}
    }

    return {events: page.map((stored) => stored.event), next}
  }
}

function parseTime(value: string | undefined, name: string, causes: string[]): number | undefined {
  if (value === undefined || value === '') return undefined
  const ms = /^\d{4}-\d{2}-\d{2}/.test(value) ? Date.parse(value) : Number.NaN
  if (Number.isNaN(ms)) causes.push(`${name}: must be an ISO 8601 timestamp, such as 2026-08-01T00:00:00.000Z`)
  return ms
}

function parseKeywords(q: string | undefined, causes: string[]): string[] {
  const words = (q ?? '').split(/\s+/).filter(Boolean)
  if (words.length > 10) causes.push('q: at most 10 keywords')
  if (words.some((word) => word.length > 40)) causes.push('q: each keyword can be at most 40 characters')
  return words.map((word) => word.toLowerCase())
}

/** Keyword search: every keyword appears in the event's text (any field), ignoring case. */
function matchesKeywords(event: LogEvent, keywords: string[]): boolean {
  const text = JSON.stringify(event).toLowerCase()
  return keywords.every((word) => text.includes(word))
}

interface Cursor {
  lowerMs: number
  seq: number
}

/** Opaque to clients: a version tag, the sequence number of the last event seen and the query's lower time bound. */
function encodeCursor(seq: number, lowerMs: number): string {
  return Buffer.from(`sbx1:${seq}:${lowerMs}`).toString('base64url')
}

function decodeCursor(text: string): Cursor | undefined {
  const match = /^sbx1:(\d+):(-?\d+)$/.exec(Buffer.from(text, 'base64url').toString('utf8'))
  return match ? {lowerMs: Number(match[2]), seq: Number(match[1])} : undefined
}
