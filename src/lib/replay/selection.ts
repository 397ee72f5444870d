/**
 * Which events of the window a replay sends: those the hook's filters let through (Okta applies a
 * hook's `events.filter` before delivering), those Okta's routing record names the hook in
 * (--routed-only), a given list (reconcile --replay), or every one (--ignore-filters). Each event
 * left out is counted under why. The selection's key binds a checkpoint to it.
 */
import {createHash} from 'node:crypto'

import {usageError} from '../errors.js'
import {applyHookFilters, compileHookFilters, describeFilterProblem} from '../filters/index.js'
import type {EventHook} from '../hooks/types.js'
import type {RawLogEvent} from '../syslog/raw-events.js'
import {targetEventHookIds} from '../syslog/routing.js'

/** Events fetched but not sent, by why. */
export interface ExcludedCounts {
  /** Not among the events asked for (reconcile --replay sends only the missing ones). */
  notListed: number
  /** --routed-only: the event's targetEventHookIds do not name the hook. */
  notRouted: number
  /** The hook's filter for the event's type does not match it. */
  skippedByFilter: number
  /** --routed-only: the event has no targetEventHookIds at all (Okta did not record its routing). */
  withoutRouting: number
}

export type Exclusion = keyof ExcludedCounts

export const NO_EXCLUSIONS: ExcludedCounts = {notListed: 0, notRouted: 0, skippedByFilter: 0, withoutRouting: 0}

export interface EventSelection {
  /** What decides, for the checkpoint's fingerprint (a checkpoint resumes only the same selection). */
  readonly key: string
  /** Why `event` is not sent, or undefined when it is. */
  exclude(event: RawLogEvent): Exclusion | undefined
}

/**
 * The hook's filters for the event types replayed, or undefined when none of those types has a filter (every event
 * goes). A filter this engine cannot evaluate is refused (exit 2): sending its events could deliver what Okta would
 * not have, and skipping them could lose what it would have.
 */
export function hookFilterSelection(hook: EventHook, eventTypes: string[]): EventSelection | undefined {
  const entries = (hook.events.filter?.eventFilterMap ?? []).filter((entry) => eventTypes.includes(entry.event))
  if (entries.length === 0) return undefined
  const filters = compileHookFilters(entries)
  const [problem] = filters.problems
  if (problem) {
    throw usageError(
      `The hook's filter for ${problem.event} cannot be evaluated here: ${describeFilterProblem(problem.problem)}.`,
      [
        '--ignore-filters sends every event of the window (as if the hook had no filter)',
        "--routed-only sends what Okta's System Log says it routed to the hook",
      ],
    )
  }

  const key = 'filters:' + digest(entries.map((entry) => [entry.event, entry.condition?.expression ?? '']))
  return {
    exclude: (event) => (applyHookFilters(filters, parse(event)).passes ? undefined : 'skippedByFilter'),
    key,
  }
}

/** --routed-only: the events whose targetEventHookIds name the hook; events without the field are not sent. */
export function routedSelection(hookId: string): EventSelection {
  return {
    exclude(event) {
      const ids = targetEventHookIds(parse(event))
      if (!ids) return 'withoutRouting'
      return ids.includes(hookId) ? undefined : 'notRouted'
    },
    key: `routed:${hookId}`,
  }
}

/**
 * Only the events with these uuids (reconcile --replay: the missing ones). `key` names the list for a checkpoint:
 * reconcile's is the hook's, so that a resumed run, whose list is shorter by what was delivered, still resumes.
 */
export function listedSelection(uuids: Iterable<string>, key: string): EventSelection {
  const wanted = new Set(uuids)
  return {
    exclude: (event) => (event.uuid !== undefined && wanted.has(event.uuid) ? undefined : 'notListed'),
    key: `listed:${key}`,
  }
}

function parse(event: RawLogEvent): unknown {
  return JSON.parse(event.json)
}

function digest(value: unknown): string {
  return createHash('sha1').update(JSON.stringify(value)).digest('hex')
}
