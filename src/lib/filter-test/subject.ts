/**
 * What `filter test` evaluates: an expression (compiled, or exit 2 with its position and a caret
 * under the problem) or a hook's filters and event types, and how --json shows it. No oclif.
 */
import {usageError} from '../errors.js'
import {compileHookFilters, oktaMayAccept, validateFilter} from '../filters/index.js'
import {filterProblemError} from '../hooks/hook-builder.js'
import type {EventHook} from '../hooks/types.js'
import type {FilterTestSubject} from './report.js'

/** The subject as --json shows it. */
export type FilterTestSubjectView =
  | {eventTypes: string[]; expression: string; kind: 'expression'}
  | {
      filters: {event: string; expression: string}[]
      hook: {id: string; name: string; status: string}
      items: string[]
      kind: 'hook'
    }

/** --expression for these event types (any type when none), or exit 2 where the engine refuses it. */
export function expressionSubject(expression: string, eventTypes: string[]): FilterTestSubject {
  const checked = validateFilter(expression)
  if (checked.ok) return {eventTypes, expression: checked.filter, kind: 'expression'}
  const {problem} = checked
  throw filterProblemError('--expression', expression, problem, [
    oktaMayAccept(problem)
      ? "Okta's Expression Language may accept this (its filter docs never use it), but okta-hooks cannot evaluate it"
      : 'Fix the expression: the filterable fields and the operators are in the README, "Event hook filters"',
  ])
}

/** The hook's filters and the event types it subscribes to (only those of `only` when given). */
export function hookSubject(hook: EventHook, only: string[]): FilterTestSubject {
  const subscribed = hook.events.items
  const missing = only.filter((type) => !subscribed.includes(type))
  if (missing.length > 0) {
    throw usageError(`--event-type ${missing.join(', ')}: the hook ${hook.name} does not subscribe to it.`, [
      `Its event types: ${subscribed.join(', ')}`,
    ])
  }

  const entries = (hook.events.filter?.eventFilterMap ?? []).map((entry) => ({
    event: entry.event,
    expression: entry.condition?.expression ?? '',
  }))
  return {
    entries,
    filters: compileHookFilters(hook.events.filter?.eventFilterMap),
    hook: {id: hook.id, name: hook.name, status: hook.status},
    items: only.length > 0 ? subscribed.filter((type) => only.includes(type)) : subscribed,
    kind: 'hook',
  }
}

export function describeSubject(subject: FilterTestSubject): FilterTestSubjectView {
  if (subject.kind === 'expression') {
    return {eventTypes: subject.eventTypes, expression: subject.expression.source, kind: 'expression'}
  }

  return {filters: subject.entries, hook: subject.hook, items: subject.items, kind: 'hook'}
}
