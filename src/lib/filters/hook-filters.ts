/**
 * A hook's `events.filter.eventFilterMap` as Okta applies it: each entry filters one event type;
 * events of a type without an entry are not filtered. Compile once per hook, then decide per event.
 */
import type {EventHookFilterEntry} from '../hooks/types.js'
import {compileFilter, evaluateFilter, type FilterEvaluation, type FilterExpression} from './filter-expression.js'
import {type FilterProblem, FilterExpressionError} from './problem.js'

export interface HookFilterProblem {
  event: string
  expression: string
  problem: FilterProblem
}

export interface HookFilters {
  /** The compiled filter of each event type that has one the engine accepts. */
  byEventType: ReadonlyMap<string, FilterExpression>
  /** Entries the engine refuses (Okta may hold such filters): their events cannot be decided. */
  problems: HookFilterProblem[]
}

export type HookFilterDecision =
  | {evaluation: FilterEvaluation; expression: string; filter: 'applied'; passes: boolean; reason: string}
  | {expression: string; filter: 'unsupported'; passes: null; problem: FilterProblem; reason: string}
  | {filter: 'none'; passes: true; reason: string}

export function compileHookFilters(entries: null | readonly EventHookFilterEntry[] | undefined): HookFilters {
  const byEventType = new Map<string, FilterExpression>()
  const problems: HookFilterProblem[] = []
  for (const entry of entries ?? []) {
    const expression = entry.condition?.expression ?? ''
    try {
      byEventType.set(entry.event, compileFilter(expression))
    } catch (error) {
      if (!(error instanceof FilterExpressionError)) throw error
      problems.push({event: entry.event, expression, problem: error.problem})
    }
  }

  return {byEventType, problems}
}

/** Whether the hook's filters let `event` through, and why. */
export function applyHookFilters(filters: HookFilters, event: unknown): HookFilterDecision {
  const eventType = eventTypeOf(event)
  const refused = filters.problems.find((p) => p.event === eventType)
  if (refused) {
    const reason = `the filter for ${eventType} cannot be evaluated here: ${refused.problem.message}`
    return {expression: refused.expression, filter: 'unsupported', passes: null, problem: refused.problem, reason}
  }

  const filter = eventType === undefined ? undefined : filters.byEventType.get(eventType)
  if (!filter) {
    return {filter: 'none', passes: true, reason: `no filter for ${eventType ?? 'events without an eventType'}`}
  }

  const evaluation = evaluateFilter(filter, event)
  const {matched, reason} = evaluation
  return {evaluation, expression: filter.source, filter: 'applied', passes: matched, reason}
}

function eventTypeOf(event: unknown): string | undefined {
  const type = event && typeof event === 'object' ? (event as {eventType?: unknown}).eventType : undefined
  return typeof type === 'string' ? type : undefined
}
