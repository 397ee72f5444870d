/**
 * What Okta routed: each System Log event sent to event hooks names them in
 * `debugContext.debugData.targetEventHookIds`, a comma-separated list of hook ids (Okta's Event
 * Hooks guide: "the debugData property includes the specific ID of any event hooks configured to
 * deliver it"; example "who3p0a3y5uKucF8I0g7,who3p0a3y5uKucF8I0g8").
 */

/** The hook ids an event was routed to; undefined when the event carries no routing record at all. */
export function targetEventHookIds(event: unknown): string[] | undefined {
  const debugContext = field(event, 'debugContext')
  const value = field(field(debugContext, 'debugData'), 'targetEventHookIds')
  if (typeof value !== 'string') return undefined
  return value
    .split(',')
    .map((id) => id.trim())
    .filter(Boolean)
}

/** Whether Okta routed `event` to `hookId`: true or false by its record, undefined when it has none. */
export function routedTo(event: unknown, hookId: string): boolean | undefined {
  return targetEventHookIds(event)?.includes(hookId)
}

function field(value: unknown, name: string): unknown {
  return value && typeof value === 'object' ? (value as Record<string, unknown>)[name] : undefined
}
