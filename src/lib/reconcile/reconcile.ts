/**
 * Okta's documented recovery for event hooks, "compare events delivered to your external service
 * with events logged in the System Log": what Okta routed to a hook in a window (the events whose
 * `debugContext.debugData.targetEventHookIds` name it; where an event has no such record, the
 * hook's event types and filters decide), against what the receiver got, with the hook's
 * `event_hook.delivery` failures (written only when a delivery fails) attached to the missing
 * events they name. No oclif here.
 */
import type {LogEvent} from '../delivery/envelope.js'
import {applyHookFilters, compileHookFilters} from '../filters/index.js'
import type {EventHook} from '../hooks/types.js'
import type {OktaTransport} from '../okta/okta-sdk.js'
import {eventTypeFilter} from '../syslog/filter.js'
import {hookStoryFilter} from '../syslog/hook-story.js'
import {type LogQuery, MAX_PAGE_SIZE, readLogEvents} from '../syslog/pager.js'
import {routedTo} from '../syslog/routing.js'
import type {Receipt} from './received.js'

/** How an event came to count as routed: Okta's own record, or the hook's event types and filters. */
export type RoutedBy = 'filters' | 'okta'

export interface MissingEvent {
  eventType: string
  /** The latest event_hook.delivery failure of the window that names this event, if Okta logged one. */
  failure?: {published: string; reason: string}
  published: string
  routedBy: RoutedBy
  uuid: string
}

/** One event_hook.delivery event of the hook: a delivery Okta gave up on. */
export interface LoggedDeliveryFailure {
  /** The event uuids it names (anywhere in its debugData: Okta does not document its fields). */
  eventIds: string[]
  published: string
  reason: string
  /** Its debugContext.debugData as Okta wrote it. */
  debugData: unknown
}

export interface Reconciliation {
  counts: {
    /** Receipts of events the System Log window does not hold (by their published time), not compared. */
    outsideWindow: number
    received: number
    routed: number
    missing: number
    duplicated: number
    unexpected: number
    deliveryFailures: number
  }
  deliveryFailures: LoggedDeliveryFailure[]
  /** Events received more than once, and how many times. */
  duplicated: {times: number; uuid: string}[]
  /** Routed and not received, oldest first. */
  missing: MissingEvent[]
  /** The System Log query read for the routed events. */
  query: LogQuery
  /** How the routed events were known: by Okta's record, or (in a window without any) by the hook's filters. */
  routing: {
    /** Routed by the hook's event types and filters: the window's events have no routing record at all. */
    byFilters: number
    /** Routed by Okta's record: their targetEventHookIds name the hook. */
    byOkta: number
    /** Of byFilters: events whose filter this engine cannot evaluate, counted as routed. */
    undecided: number
    /**
     * Events the hook's types and filters would take that have no routing record, in a window whose other events have
     * one: Okta routed them to no hook (the hook was inactive, unverified or not yet subscribed), not counted.
     */
    unrecorded: number
  }
  /** Received and not routed. */
  unexpected: string[]
}

export interface ReconcileInput {
  eventTypes: string[]
  hook: EventHook
  /** The receipts (in any order, repeats are duplicates). */
  received: Iterable<Receipt>
  window: {since: string; until: string}
}

export interface ReconcileOptions {
  /** Failures are read this long past the window's end (Okta logs one after its retry): default 5 minutes. */
  failureGraceMs?: number
  now?: Date
  onWait?: (message: string) => void
  signal?: AbortSignal
}

interface Routed {
  eventType: string
  published: string
  routedBy: RoutedBy
}

const UUID_TEXT = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi

/** The System Log query of what may have been routed to the hook in the window: its event types, oldest first. */
export function routedQuery(window: {since: string; until: string}, eventTypes: string[]): LogQuery {
  return {filter: eventTypeFilter(eventTypes), ...window, limit: MAX_PAGE_SIZE, sortOrder: 'ASCENDING'}
}

export async function reconcile(
  okta: OktaTransport,
  input: ReconcileInput,
  options: ReconcileOptions = {},
): Promise<Reconciliation> {
  const query = routedQuery(input.window, input.eventTypes)
  const {routed, routing} = await readRouted(okta, query, input.hook, options)
  const {outsideWindow, times} = countReceipts(input.received, input.window)
  const failures = await readFailures(okta, input.hook.id, input.window, options)
  const failureOf = latestFailureByEvent(failures)
  const missing = [...routed]
    .filter(([uuid]) => !times.has(uuid))
    .map(([uuid, event]): MissingEvent => {
      const failure = failureOf.get(uuid)
      return {uuid, ...event, ...(failure ? {failure: {published: failure.published, reason: failure.reason}} : {})}
    })
  const duplicated = [...times].filter(([, n]) => n > 1).map(([uuid, n]) => ({times: n, uuid}))
  const unexpected = [...times.keys()].filter((uuid) => !routed.has(uuid))
  return {
    counts: {
      deliveryFailures: failures.length,
      duplicated: duplicated.length,
      missing: missing.length,
      outsideWindow,
      received: times.size,
      routed: routed.size,
      unexpected: unexpected.length,
    },
    deliveryFailures: failures,
    duplicated,
    missing,
    query,
    routing,
    unexpected,
  }
}

/**
 * The events routed to the hook. Okta's record decides where it exists. Events without one are taken by the hook's
 * event types and filters when no event of the window has a record (an org or a window where Okta does not record
 * routing); otherwise they were routed to no hook.
 */
async function readRouted(
  okta: OktaTransport,
  query: LogQuery,
  hook: EventHook,
  options: ReconcileOptions,
): Promise<{routed: Map<string, Routed>; routing: Reconciliation['routing']}> {
  const routing = {byFilters: 0, byOkta: 0, undecided: 0, unrecorded: 0}
  const routed = new Map<string, Routed>()
  const inferred = new Map<string, Routed>()
  const filters = compileHookFilters(hook.events.filter?.eventFilterMap)
  let recorded = 0
  let undecided = 0
  for await (const event of readLogEvents(okta, query, {onWait: options.onWait, signal: options.signal})) {
    const uuid = typeof event.uuid === 'string' ? event.uuid : undefined
    if (!uuid) continue
    const seen = {eventType: String(event.eventType ?? ''), published: String(event.published ?? '')}
    const byOkta = routedTo(event, hook.id)
    if (byOkta !== undefined) {
      recorded++
      if (byOkta) routed.set(uuid, {...seen, routedBy: 'okta'})
      continue
    }

    const {passes} = applyHookFilters(filters, event)
    if (passes === false) continue
    if (passes === null) undecided++
    inferred.set(uuid, {...seen, routedBy: 'filters'})
  }

  routing.byOkta = routed.size
  if (recorded > 0) {
    routing.unrecorded = inferred.size
    return {routed, routing}
  }

  for (const [uuid, event] of inferred) routed.set(uuid, event)
  return {routed, routing: {...routing, byFilters: inferred.size, undecided}}
}

/** How many times each event was received, of the receipts in the window (one without a time is taken as in it). */
function countReceipts(
  receipts: Iterable<Receipt>,
  window: {since: string; until: string},
): {outsideWindow: number; times: Map<string, number>} {
  const since = Date.parse(window.since)
  const until = Date.parse(window.until)
  const times = new Map<string, number>()
  let outsideWindow = 0
  for (const receipt of receipts) {
    const at = receipt.published === undefined ? Number.NaN : Date.parse(receipt.published)
    if (!Number.isNaN(at) && (at < since || at >= until)) {
      outsideWindow++
      continue
    }

    times.set(receipt.uuid, (times.get(receipt.uuid) ?? 0) + 1)
  }

  return {outsideWindow, times}
}

/** The hook's event_hook.delivery events from the window's start to a little past its end (never past now). */
async function readFailures(
  okta: OktaTransport,
  hookId: string,
  window: {since: string; until: string},
  options: ReconcileOptions,
): Promise<LoggedDeliveryFailure[]> {
  const now = (options.now ?? new Date()).getTime()
  const until = Math.max(
    Date.parse(window.until),
    Math.min(now, Date.parse(window.until) + (options.failureGraceMs ?? 300_000)),
  )
  const query: LogQuery = {
    filter: hookStoryFilter(hookId, ['delivery']),
    limit: MAX_PAGE_SIZE,
    since: window.since,
    sortOrder: 'ASCENDING',
    until: new Date(until).toISOString(),
  }
  const failures: LoggedDeliveryFailure[] = []
  for await (const event of readLogEvents(okta, query, {onWait: options.onWait, signal: options.signal}))
    failures.push(deliveryFailure(event))
  return failures
}

export function deliveryFailure(event: LogEvent): LoggedDeliveryFailure {
  const debugData = (event.debugContext as undefined | {debugData?: unknown})?.debugData ?? null
  const outcome = event.outcome as undefined | {reason?: null | string}
  const named = new Set<string>()
  for (const value of Object.values(debugData && typeof debugData === 'object' ? debugData : {}))
    if (typeof value === 'string') for (const match of value.matchAll(UUID_TEXT)) named.add(match[0])
  const reason = outcome?.reason ?? (debugData as {reason?: unknown} | null)?.reason
  return {
    debugData,
    eventIds: [...named],
    published: String(event.published ?? ''),
    reason: typeof reason === 'string' && reason ? reason : String(event.displayMessage ?? 'delivery failed'),
  }
}

/** Each event uuid a failure names, with the latest failure naming it (failures come oldest first). */
function latestFailureByEvent(failures: LoggedDeliveryFailure[]): Map<string, LoggedDeliveryFailure> {
  const byEvent = new Map<string, LoggedDeliveryFailure>()
  for (const failure of failures) for (const uuid of failure.eventIds) byEvent.set(uuid, failure)
  return byEvent
}
