/**
 * `filter test`: what an event hook filter decides for each of a list of LogEvents, and why, as
 * Okta would decide it. Pure: no I/O, no oclif.
 *
 * Two subjects:
 * - an expression (--expression), applied to events of the given event types (any type when none
 *   is given): Okta applies a filter to the one event type it is set on (`eventFilterMap[].event`),
 *   so an event of another type is `skipped`, neither matched nor not matched;
 * - a hook's filters (--hook), as Okta routes: an event of a type the hook does not subscribe to is
 *   not delivered (`not-subscribed`), a subscribed type without a filter is delivered (`no-filter`:
 *   Okta's guide "Event hook filtering": the filter applies to the event type it names), and a
 *   filter the engine refuses cannot be decided here (`unsupported`, matched null).
 */
import {
  applyHookFilters,
  type Explanation,
  type FilterExpression,
  type FilterProblem,
  evaluateFilter,
  type HookFilters,
} from '../filters/index.js'

export type FilterTestSubject =
  | {eventTypes: string[]; expression: FilterExpression; kind: 'expression'}
  | {
      /** The hook's filters as Okta holds them, and as the engine compiled them. */
      entries: {event: string; expression: string}[]
      filters: HookFilters
      hook: {id: string; name: string; status: string}
      /** The event types it subscribes to (those asked for, with --event-type). */
      items: string[]
      kind: 'hook'
    }

/** How the event was decided. */
export type FilterTestDecision = 'applied' | 'no-filter' | 'not-subscribed' | 'skipped' | 'unsupported'

export interface FilterTestEvent {
  decision: FilterTestDecision
  eventType: null | string
  /** The expression that decided it (null when none applied). */
  expression: null | string
  /** What decided it, part by part (only when an expression was evaluated). */
  explanation?: Explanation
  /** The expression could not be evaluated on this event (a function on a missing field): not matched. */
  failure?: {message: string; offset: number}
  /** true: Okta would deliver it (the filter passes); false: it would not; null: not decided here. */
  matched: boolean | null
  /** Where the engine refused the hook's filter for this type (decision `unsupported`). */
  problem?: FilterProblem
  published: null | string
  /** Why, in one line. */
  reason: string
  uuid: null | string
}

export interface FilterTestSummary {
  events: number
  matched: number
  notMatched: number
  /** Events of a type the expression does not apply to. */
  skipped: number
  /** Events whose filter the engine cannot evaluate (Okta may accept it). */
  undecided: number
}

export interface FilterTestReport {
  events: FilterTestEvent[]
  summary: FilterTestSummary
}

/** Decides every event; never throws for any event. */
export function testFilter(subject: FilterTestSubject, events: readonly unknown[]): FilterTestReport {
  const decided = events.map((event) => decide(subject, event))
  return {events: decided, summary: summarize(decided)}
}

function decide(subject: FilterTestSubject, event: unknown): FilterTestEvent {
  const identity = identityOf(event)
  const type = identity.eventType
  if (subject.kind === 'expression') {
    if (subject.eventTypes.length > 0 && !subject.eventTypes.includes(type ?? '')) {
      const applies = subject.eventTypes.join(', ')
      const reason = `the expression filters ${applies}, not ${type ?? 'events without an eventType'}`
      return {...identity, decision: 'skipped', expression: null, matched: null, reason}
    }

    const {explanation, failure, matched, reason} = evaluateFilter(subject.expression, event)
    const expression = subject.expression.source
    return {...identity, decision: 'applied', explanation, expression, matched, reason, ...(failure ? {failure} : {})}
  }

  if (!subject.items.includes(type ?? '')) {
    const reason = `the hook does not subscribe to ${type ?? 'events without an eventType'}: Okta does not deliver it`
    return {...identity, decision: 'not-subscribed', expression: null, matched: false, reason}
  }

  const verdict = applyHookFilters(subject.filters, event)
  if (verdict.filter === 'none') {
    const reason = `${verdict.reason}: Okta delivers every ${type} event`
    return {...identity, decision: 'no-filter', expression: null, matched: true, reason}
  }

  if (verdict.filter === 'unsupported') {
    const {expression, problem, reason} = verdict
    return {...identity, decision: 'unsupported', expression, matched: null, problem, reason}
  }

  const {explanation, failure} = verdict.evaluation
  return {
    ...identity,
    decision: 'applied',
    explanation,
    expression: verdict.expression,
    matched: verdict.passes,
    reason: verdict.reason,
    ...(failure ? {failure} : {}),
  }
}

function summarize(events: FilterTestEvent[]): FilterTestSummary {
  const count = (test: (event: FilterTestEvent) => boolean) => events.filter((event) => test(event)).length
  return {
    events: events.length,
    matched: count((e) => e.matched === true),
    notMatched: count((e) => e.matched === false),
    skipped: count((e) => e.decision === 'skipped'),
    undecided: count((e) => e.decision === 'unsupported'),
  }
}

function identityOf(event: unknown): {eventType: null | string; published: null | string; uuid: null | string} {
  const record = event && typeof event === 'object' ? (event as Record<string, unknown>) : {}
  const text = (key: string) => (typeof record[key] === 'string' ? (record[key] as string) : null)
  return {eventType: text('eventType'), published: text('published'), uuid: text('uuid')}
}
