/**
 * A hook's own story in the System Log: its event_hook.* events, as a query and as table rows, and
 * its deletion (the System Log keeps a deleted hook's history, and who deleted it, for 90 days).
 */
import type {LogEvent} from '../delivery/envelope.js'
import {usageError} from '../errors.js'
import type {OktaTransport} from '../okta/okta-sdk.js'
import {anyOf, scimString} from './filter.js'
import {readLogEvents} from './pager.js'
import {RETENTION_MS} from './time.js'

export const HOOK_EVENT_KINDS = [
  'activated',
  'created',
  'deactivated',
  'deleted',
  'delivery',
  'updated',
  'verified',
] as const

/** `eventType sw "event_hook" and target.id eq "<id>"`, or only the given kinds (delivery, verified, ...). */
export function hookStoryFilter(hookId: string, kinds: string[] = []): string {
  const target = `target.id eq ${scimString(hookId)}`
  if (kinds.length === 0) return `eventType sw "event_hook" and ${target}`
  for (const kind of kinds) {
    if (!(HOOK_EVENT_KINDS as readonly string[]).includes(kind)) {
      throw usageError(`--type ${kind} is not an event hook event.`, [`Use one of ${HOOK_EVENT_KINDS.join(', ')}`])
    }
  }

  const types = anyOf(
    'eventType',
    kinds.map((kind) => `event_hook.${kind}`),
  ) as string
  return `${kinds.length > 1 ? `(${types})` : types} and ${target}`
}

export interface StoryRow {
  debugData?: string
  eventType: string
  message: string
  outcome: string
  time: string
}

export function storyRow(event: LogEvent): StoryRow {
  const outcome = event.outcome as undefined | {reason?: null | string; result?: string}
  const row: StoryRow = {
    eventType: String(event.eventType ?? ''),
    message: String(event.displayMessage ?? ''),
    outcome: [outcome?.result, outcome?.reason].filter(Boolean).join(': '),
    time: String(event.published ?? ''),
  }
  // event_hook.delivery's fields are undocumented: shown raw.
  const debugData = (event.debugContext as undefined | {debugData?: unknown})?.debugData
  if (row.eventType === 'event_hook.delivery' && debugData) row.debugData = JSON.stringify(debugData)
  return row
}

/** Who deleted a hook, and when, from its event_hook.deleted event; and the name it had. */
export interface HookDeletion {
  /** The actor's login (or display name). */
  by: string
  name: string
  published: string
}

/** The newest event_hook.deleted event of the hook `hookId` over Okta's 90 days, if any. */
export async function findDeletion(
  okta: OktaTransport,
  hookId: string,
  options: {now?: Date; onWait?: (message: string) => void} = {},
): Promise<HookDeletion | undefined> {
  const now = options.now ?? new Date()
  const query = {
    filter: hookStoryFilter(hookId, ['deleted']),
    limit: 1,
    since: new Date(now.getTime() - RETENTION_MS).toISOString(),
    sortOrder: 'DESCENDING' as const,
    until: now.toISOString(),
  }
  for await (const event of readLogEvents(okta, query, {max: 1, onWait: options.onWait})) {
    const actor = event.actor as undefined | {alternateId?: string; displayName?: string}
    const targets = (event.target ?? []) as {displayName?: string; id?: string}[]
    const name = targets.find((target) => target.id === hookId)?.displayName ?? hookId
    return {by: actor?.alternateId ?? actor?.displayName ?? 'unknown', name, published: String(event.published ?? '')}
  }

  return undefined
}
