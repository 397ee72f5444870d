/**
 * Reading the System Log (GET /api/v1/logs) page after page as raw JSON: events are never passed
 * through the SDK's models, so every field (device, insertionTimestamp, rootSessionId, fields newer
 * than the SDK) survives. Paging always follows Okta's `Link: <...>; rel="next"` exactly.
 *
 * - Bounded query (until given, or DESCENDING): ends with the first page that has no `next`.
 * - Polling query (no until, ASCENDING): Okta always returns `next`, even on an empty page; the
 *   pager sleeps `intervalMs` after an empty page and asks the same `next` again, until aborted.
 *
 * Rate limits: after every response the X-Rate-Limit-* headers are read; when few calls are left
 * the pager waits for the reset and says so (the transport itself waits out a 429).
 */
import {clock} from '../clock.js'
import {CliError} from '../errors.js'
import {ExitCode} from '../exit-codes.js'
import type {LogEvent} from '../delivery/envelope.js'
import type {OktaTransport} from '../okta/okta-sdk.js'
import {type RawLogEvent, splitEventArray} from './raw-events.js'

export const LOGS_PATH = '/api/v1/logs'
export const MAX_PAGE_SIZE = 1000

export type SortOrder = 'ASCENDING' | 'DESCENDING'

export interface LogQuery {
  filter?: string
  limit?: number
  q?: string
  since?: string
  sortOrder?: SortOrder
  until?: string
}

export interface RateLimit {
  limit?: number
  remaining?: number
  /** Epoch seconds. */
  reset?: number
}

export interface LogPage {
  events: LogEvent[]
  /** Okta's next link, verbatim; absent on the last page of a bounded query. */
  next?: string
  rateLimit: RateLimit
  /** The URL that returned this page (the cursor to resume from). */
  url: string
}

export interface PagerOptions {
  /** Sleep after an empty page in polling mode. Default 5 s. */
  intervalMs?: number
  /** Below this many calls left in the bucket, wait for its reset. Default 2. */
  lowWater?: number
  /** Called before every wait the pager makes (rate-limit pacing), with a sentence to show. */
  onWait?: (message: string, ms: number) => void
  /** Stops polling (and any wait) cleanly. */
  signal?: AbortSignal
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>
  /** Resume from this URL (a stored cursor or next link) instead of the query's first page. */
  startUrl?: string
}

/** The full URL of a query's first page. */
export function logsUrl(orgUrl: string, query: LogQuery): string {
  const url = new URL(orgUrl.replace(/\/$/, '') + LOGS_PATH)
  const params: [string, number | string | undefined][] = [
    ['since', query.since],
    ['until', query.until],
    ['filter', query.filter],
    ['q', query.q],
    ['limit', query.limit],
    ['sortOrder', query.sortOrder],
  ]
  for (const [key, value] of params) if (value !== undefined && value !== '') url.searchParams.set(key, String(value))
  return url.toString()
}

export function isPolling(query: LogQuery): boolean {
  return !query.until && query.sortOrder !== 'DESCENDING'
}

/** The `rel="next"` URL of a Link header (which may list several links, comma-separated). */
export function parseNextLink(header: string | undefined): string | undefined {
  if (!header) return undefined
  for (const part of header.split(/,(?=\s*<)/)) {
    const match = /^\s*<([^>]*)>\s*;(.*)$/.exec(part)
    if (match && /\brel\s*=\s*"?next"?(?:[\s;]|$)/i.test(match[2])) return match[1]
  }

  return undefined
}

export function readRateLimit(headers: Record<string, string>): RateLimit {
  const num = (name: string) => {
    const value = Number.parseInt(headers[name] ?? '', 10)
    return Number.isFinite(value) ? value : undefined
  }

  return {limit: num('x-rate-limit-limit'), remaining: num('x-rate-limit-remaining'), reset: num('x-rate-limit-reset')}
}

/** How long to wait before the next call, given what the last response said of the bucket. */
export function pacingDelayMs(rate: RateLimit, nowMs: number, lowWater = 2): number {
  if (rate.remaining === undefined || rate.reset === undefined) return 0
  if (rate.remaining > lowWater) return 0
  return Math.max(0, rate.reset * 1000 - nowMs) + 250
}

export interface RawLogPage extends Omit<LogPage, 'events'> {
  events: RawLogEvent[]
}

/** Pages of LogEvents (parsed JSON objects, every field kept), one request at a time. */
export async function* readLogPages(
  okta: OktaTransport,
  query: LogQuery,
  options: PagerOptions = {},
): AsyncGenerator<LogPage> {
  yield* pages(
    okta,
    query,
    options,
    (body) => {
      if (!Array.isArray(body)) throw notAList()
      return body as LogEvent[]
    },
    false,
  )
}

/** Pages whose events are the exact text Okta sent (for replay: byte for byte, and light on memory). */
export async function* readRawLogPages(
  okta: OktaTransport,
  query: LogQuery,
  options: PagerOptions = {},
): AsyncGenerator<RawLogPage> {
  yield* pages(okta, query, options, (body) => splitEventArray(String(body ?? '')), true)
}

function notAList(): CliError {
  return new CliError(`Okta's System Log answered GET ${LOGS_PATH} with something other than a list of events.`, {
    code: 'UNEXPECTED_RESPONSE',
    exitCode: ExitCode.Remote,
  })
}

async function* pages<E>(
  okta: OktaTransport,
  query: LogQuery,
  options: PagerOptions,
  parse: (body: unknown) => E[],
  raw: boolean,
): AsyncGenerator<{events: E[]; next?: string; rateLimit: RateLimit; url: string}> {
  const polling = isPolling(query)
  const sleep = options.sleep ?? clock().sleep
  const intervalMs = options.intervalMs ?? 5000
  const origin = new URL(okta.orgUrl).origin
  let url: string | undefined = options.startUrl ?? logsUrl(okta.orgUrl, query)
  while (url && !options.signal?.aborted) {
    checkSameOrigin(url, origin)
    const response = await okta.request<unknown>('GET', url, raw ? {raw: true} : {})
    const events = parse(response.body)
    const next = parseNextLink(response.headers.link)
    const rateLimit = readRateLimit(response.headers)
    yield {events, next, rateLimit, url}

    const pause = pacingDelayMs(rateLimit, clock().now(), options.lowWater)
    if (pause > 0 && next) {
      options.onWait?.(
        `Okta's System Log rate limit is nearly used (${rateLimit.remaining} of ${rateLimit.limit ?? '?'} calls ` +
          `left); waiting ${(pause / 1000).toFixed(1)}s for it to reset...`,
        pause,
      )
      await sleep(pause, options.signal)
    }

    if (polling) {
      if (!next) return
      if (events.length === 0 && pause === 0) await sleep(intervalMs, options.signal)
    } else if (!next || (next === url && events.length === 0)) {
      return
    }

    url = next
  }
}

/** A next link must point at the org itself: the transport sends the org's credentials with it. */
function checkSameOrigin(url: string, origin: string): void {
  let actual: string
  try {
    actual = new URL(url).origin
  } catch {
    actual = 'an invalid URL'
  }

  if (actual !== origin) {
    throw new CliError(`Refusing to follow a System Log link to ${actual}: it is not the org ${origin}.`, {
      code: 'FOREIGN_LINK',
      exitCode: ExitCode.Remote,
    })
  }
}

/** Events of a query, one by one, stopping after `max` (bounded queries). */
export async function* readLogEvents(
  okta: OktaTransport,
  query: LogQuery,
  options: PagerOptions & {max?: number} = {},
): AsyncGenerator<LogEvent> {
  let count = 0
  for await (const page of readLogPages(okta, query, options)) {
    for (const event of page.events) {
      if (options.max !== undefined && count >= options.max) return
      count++
      yield event
    }

    if (options.max !== undefined && count >= options.max) return
  }
}
