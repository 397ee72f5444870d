/**
 * The events a preview sends: from a file (LogEvents or a whole envelope), a built-in sample, or
 * the System Log (the newest events of the hook's types, or given uuids), read as the exact text
 * Okta returned. No oclif here.
 */
import {notFoundError, usageError} from '../errors.js'
import type {OktaTransport} from '../okta/okta-sdk.js'
import {allOf, eventTypeFilter, uuidFilter} from '../syslog/filter.js'
import {type LogQuery, MAX_PAGE_SIZE, readRawLogPages} from '../syslog/pager.js'
import type {RawLogEvent} from '../syslog/raw-events.js'
import {checkWindow, parseTime} from '../syslog/time.js'
import type {LogEvent} from './envelope.js'
import {parseEventsText} from './preview.js'
import {sampleEvent} from './sample-events.js'

/** Which System Log events to preview (the flags of `preview`, as given). */
export interface LogSelection {
  /** --event-id: these uuids (over 90 days unless --since). */
  eventIds?: string[]
  /** The event types (--event-type, or the hook's own). */
  eventTypes: string[]
  filter?: string
  /** How many of the newest events. */
  limit: number
  q?: string
  since?: string
  until?: string
}

/** Where a preview's events come from. */
export type PreviewSource = {file: string; text: string} | {log: LogSelection} | {sample?: string}

/** Objects (from a file or a sample), or the System Log's events as the exact text Okta sent. */
export type PreviewEvents = {objects: LogEvent[]} | {raw: RawLogEvent[]}

/** The query for a selection, newest first, and how many events to keep from it. */
export function previewQuery(selection: LogSelection, now = new Date()): {max: number; query: LogQuery} {
  const ids = selection.eventIds ?? []
  const byId = ids.length > 0
  const query: LogQuery = {
    filter: allOf(byId ? uuidFilter(ids) : eventTypeFilter(selection.eventTypes), selection.filter),
    limit: byId ? Math.min(ids.length, MAX_PAGE_SIZE) : selection.limit,
    q: selection.q,
    since: parseTime(selection.since ?? (byId ? '89d' : '7d'), {flag: '--since', now}),
    sortOrder: 'DESCENDING',
    until: parseTime(selection.until ?? 'now', {flag: '--until', now}),
  }
  checkWindow(query.since, query.until)
  return {max: byId ? ids.length : selection.limit, query}
}

/** The events of a source; the System Log is read only for a `log` source (then `okta` is needed). */
export async function previewEvents(
  source: PreviewSource,
  okta: OktaTransport | undefined,
  options: {onWait?: (message: string) => void} = {},
): Promise<PreviewEvents> {
  if ('file' in source) return {objects: parseEventsText(source.text, `--from-file ${source.file}`)}
  if (!('log' in source)) {
    if (!source.sample)
      throw usageError('--sample without a hook needs --event-type.', [
        'e.g. --sample --event-type user.lifecycle.create',
      ])
    return {objects: [sampleEvent(source.sample)]}
  }

  if (!okta) throw new Error('previewEvents: reading the System Log needs a connection to Okta')
  const {max, query} = previewQuery(source.log)
  const events: RawLogEvent[] = []
  for await (const page of readRawLogPages(okta, query, {onWait: options.onWait})) {
    events.push(...page.events.slice(0, max - events.length))
    if (events.length >= max) break
  }

  if (events.length === 0) {
    throw notFoundError(
      `No System Log event matches between ${query.since} and ${query.until} (filter: ${query.filter ?? 'none'}).`,
      ['Widen the window with --since 30d, change --event-type, or use --sample for a built-in event'],
    )
  }

  return {raw: events}
}
