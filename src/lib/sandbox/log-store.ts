/**
 * The sandbox's System Log: an append-only list of LogEvents and the query semantics of
 * GET /api/v1/logs (since, until, after, limit, sortOrder, filter, q) as Okta's System Log query
 * reference (developer.okta.com/docs/reference/system-log-query/) describes them:
 * - paging: a bounded query (with until) has a finite number of pages, the last without a next link
 *   (also with limit=0: one empty page, no next link); a polling query (no until, ascending) always
 *   has one, even on an empty page, so a client can resume from it later.
 * - `after` is only read from the next links this store wrote; they carry `since` as Okta's example
 *   next link does, and a query with both is answered from the cursor (see the README's sandbox
 *   section for where Okta's docs disagree on this).
 * - `q`: keywords matched against attribute values (never property names): see keywordMatcher().
 * - errors: Okta's 400 E0000001 "Api validation failed: 'name': message …" with one cause per problem.
 */
import type {LogEvent} from '../delivery/envelope.js'
import {OktaApiError} from './errors.js'
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
    const causes: QueryProblem[] = []
    const since = parseTime(query.since, 'since', causes)
    const until = parseTime(query.until, 'until', causes)
    const limit = query.limit === undefined || query.limit === '' ? DEFAULT_LIMIT : Number(query.limit)
    if (!Number.isInteger(limit) || limit < 0 || limit > MAX_LIMIT)
      causes.push(['limit', `must be an integer from 0 to ${MAX_LIMIT}`])
    const sortOrder = (query.sortOrder || 'ASCENDING').toUpperCase()
    if (sortOrder !== 'ASCENDING' && sortOrder !== 'DESCENDING')
      causes.push(['sortOrder', 'must be ASCENDING or DESCENDING'])
    const keywords = parseKeywords(query.q, causes)
    let cursor: Cursor | undefined
    if (query.after !== undefined && query.after !== '') {
      cursor = decodeCursor(query.after)
      if (cursor === undefined)
        causes.push(['after', 'not a cursor from a next link: follow the next links Okta returns'])
    }

    if (since !== undefined && until !== undefined && since > until) causes.push(['since', 'must not be after until'])
    if (causes.length > 0) throw queryValidation(causes)
    const predicate: Predicate | undefined = query.filter ? parseScimFilter(query.filter) : undefined
    const matchesKeywords = keywordMatcher(keywords)

    // The cursor carries the query's lower time bound, so that later pages keep the first page's window.
    const lower = cursor?.lowerMs ?? since ?? (until === undefined ? now : until) - DEFAULT_WINDOW_MS
    const afterSeq = cursor?.seq
    const ascending = sortOrder === 'ASCENDING'
    const matches = (stored: StoredEvent): boolean =>
      stored.publishedMs >= lower &&
      (afterSeq === undefined || (ascending ? stored.seq > afterSeq : stored.seq < afterSeq)) &&
      (until === undefined || stored.publishedMs < until) &&
      (!predicate || predicate(stored.event)) &&
      matchesKeywords(stored.event)

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
    if (query.since) carried.since = query.since
    if (query.until) carried.until = query.until
    if (!ascending) carried.sortOrder = sortOrder
    const polling = ascending && until === undefined
    // After the last event returned; on a polling page that ran out, after everything seen so far.
    // limit=0 returns no events: a polling query stays where it is, any other query has no next page.
    const last = page.at(-1)?.seq
    let next: Record<string, string> | undefined
    if (more && (limit > 0 || polling)) next = {...carried, after: encodeCursor(last ?? afterSeq ?? 0, lower)}
    else if (polling) {
      const seen = Math.max(last ?? 0, afterSeq ?? 0, this.events.at(-1)?.seq ?? 0)
      next = {...carried, after: encodeCursor(seen, lower)}
    }

    return {events: page.map((stored) => stored.event), next}
  }
}

/** A parameter and what is wrong with it. */
type QueryProblem = [parameter: string, message: string]

export const MAX_KEYWORDS = 10
export const MAX_KEYWORD_LENGTH = 40

/**
 * Okta's answer to bad query parameters, in the form of the reference's example: the summary names
 * each parameter ("Api validation failed: 'until': … 'until': …"), one cause per problem.
 */
function queryValidation(problems: QueryProblem[]): OktaApiError {
  const summary = problems.map(([name, message]) => `'${name}': ${message}`).join(' ')
  return new OktaApiError(
    400,
    'E0000001',
    `Api validation failed: ${summary}`,
    problems.map(([name, message]) => `${name}: ${message}`),
  )
}

function parseTime(value: string | undefined, name: string, causes: QueryProblem[]): number | undefined {
  if (value === undefined || value === '') return undefined
  const ms = /^\d{4}-\d{2}-\d{2}/.test(value) ? Date.parse(value) : Number.NaN
  if (Number.isNaN(ms)) {
    causes.push(
      [name, 'The date format in your query is not recognized. Please enter dates using ISO8601 string format.'],
      [name, 'must be a valid date-time or empty.'],
    )
  }

  return ms
}

function parseKeywords(q: string | undefined, causes: QueryProblem[]): string[] {
  const words = (q ?? '').split(/\s+/).filter(Boolean)
  if (words.length > MAX_KEYWORDS)
    causes.push(['q', `Freeform search cannot contain more than ${MAX_KEYWORDS} items. Please use fewer keywords.`])
  if (words.some((word) => word.length > MAX_KEYWORD_LENGTH)) {
    causes.push([
      'q',
      `Freeform search cannot contain items longer than ${MAX_KEYWORD_LENGTH} characters. Please shorten the ` +
        'items in your search or use an advanced filter to query by specific fields.',
    ])
  }

  return words.map((word) => word.toLowerCase())
}

/**
 * Keyword search as Okta documents `q`: matched against the event's attribute values, never its
 * property names; every keyword must be matched exactly, ignoring case. A keyword matches a value
 * when it is the whole value or one of its words (split on whitespace: "San Francisco" matches
 * q=San and q=Francisco), and, as the reference notes, a hyphenated value is also split at its
 * hyphens (XOxBw-2JIRnCFd0gG0GjHAAABjY matches XOxBw). Null values match nothing; numbers and
 * Booleans match their JSON text. A part of a word does not match (q=sales misses "Salesforce").
 */
export function keywordMatcher(keywords: readonly string[]): (event: unknown) => boolean {
  if (keywords.length === 0) return () => true
  const wanted = keywords.map((word) => word.toLowerCase())
  return (event) => {
    const terms = new Set<string>()
    collectTerms(event, terms)
    return wanted.every((word) => terms.has(word))
  }
}

function collectTerms(value: unknown, terms: Set<string>): void {
  if (value === null || value === undefined) return
  if (typeof value === 'object') {
    for (const item of Array.isArray(value) ? value : Object.values(value)) collectTerms(item, terms)
    return
  }

  const text = String(value).toLowerCase()
  terms.add(text)
  for (const word of text.split(/\s+/)) {
    terms.add(word)
    if (word.includes('-')) for (const part of word.split('-')) terms.add(part)
  }
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
