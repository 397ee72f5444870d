/**
 * Which hooks an event is routed to, as Okta routes it: active, verified, subscribed to the event's
 * type, and the hook's filter for that type passes (an event type without a filter always passes).
 * The ids land in the event's `debugContext.debugData.targetEventHookIds`, comma-separated in the
 * form of Okta's own events ("who3p0a3y5uKucF8I0g7,who3p0a3y5uKucF8I0g8"); an event routed to no
 * hook carries no such field, as Okta's unrouted sample events (data/samples/ListLogs.json) carry none.
 * A filter the engine cannot evaluate routes nothing (fail closed): the sandbox cannot know what
 * Okta would decide, and a delivery Okta might not make would hide a broken filter.
 */
import type {LogEvent} from '../delivery/envelope.js'
import {applyHookFilters, compileHookFilters, describeFilterProblem, type HookFilters} from '../filters/index.js'
import type {EventHook} from '../hooks/types.js'

export interface RoutingProblem {
  event: string
  hookId: string
  hookName: string
  message: string
}

/** Compiled once per hook version (hooks are replaced, never mutated). */
const compiled = new WeakMap<EventHook, HookFilters>()

function filtersOf(hook: EventHook): HookFilters {
  let filters = compiled.get(hook)
  if (!filters) {
    filters = compileHookFilters(hook.events.filter?.eventFilterMap)
    compiled.set(hook, filters)
  }

  return filters
}

/** Whether Okta would deliver `event` to `hook`. */
export function routesTo(hook: EventHook, event: LogEvent): boolean {
  if (hook.status !== 'ACTIVE' || hook.verificationStatus !== 'VERIFIED') return false
  if (!hook.events.items.includes(String(event.eventType))) return false
  return applyHookFilters(filtersOf(hook), event).passes === true
}

/** The hooks `event` is routed to; records them in its targetEventHookIds (left absent when none). */
export function routeEvent(hooks: Iterable<EventHook>, event: LogEvent): EventHook[] {
  const targets = [...hooks].filter((hook) => routesTo(hook, event))
  if (targets.length > 0) {
    const debugContext = (event.debugContext ??= {}) as {debugData?: Record<string, unknown>}
    debugContext.debugData = {...debugContext.debugData, targetEventHookIds: targets.map((hook) => hook.id).join(',')}
  }

  return targets
}

/** Every stored filter the engine refuses, with why. */
export function unevaluableFilters(hooks: Iterable<EventHook>): RoutingProblem[] {
  return [...hooks].flatMap((hook) =>
    filtersOf(hook).problems.map(({event, problem}) => ({
      event,
      hookId: hook.id,
      hookName: hook.name,
      message: describeFilterProblem(problem),
    })),
  )
}
