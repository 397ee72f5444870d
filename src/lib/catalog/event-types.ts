/**
 * The event-type catalog shipped with the CLI (data/event-types.json, Okta release 2026.08.1):
 * which types an event hook may subscribe to, search, and "did you mean".
 */
import {readFileSync} from 'node:fs'

import {usageError} from '../errors.js'
import {editDistance} from '../suggest.js'
import {dataPath} from '../data-path.js'
import {OKTA_LIMITS} from '../hooks/limits.js'

export {editDistance} from '../suggest.js'

export interface EventTypeInfo {
  beta: boolean
  category: string
  eventHookEligible: boolean
  id: string
  release: string
  tags: string[]
}

interface Catalog {
  byId: Map<string, EventTypeInfo>
  source: string
  types: EventTypeInfo[]
}

let catalog: Catalog | undefined

export function loadCatalog(): Catalog {
  if (!catalog) {
    const raw = JSON.parse(readFileSync(dataPath('event-types.json'), 'utf8')) as {
      eventTypes: EventTypeInfo[]
      source: string
    }
    catalog = {byId: new Map(raw.eventTypes.map((t) => [t.id, t])), source: raw.source, types: raw.eventTypes}
  }

  return catalog
}

export function eligibleEventTypes(): EventTypeInfo[] {
  return loadCatalog().types.filter((t) => t.eventHookEligible)
}

export function isEligible(id: string): boolean {
  return loadCatalog().byId.get(id)?.eventHookEligible === true
}

/** Every type whose id contains all the words of `term` (case-insensitive), eligible ones only unless `all`. */
export function searchEventTypes(term: string | undefined, options: {all?: boolean} = {}): EventTypeInfo[] {
  const words = (term ?? '').toLowerCase().split(/\s+/).filter(Boolean)
  return loadCatalog().types.filter(
    (t) =>
      (options.all || t.eventHookEligible) &&
      words.every((w) => t.id.toLowerCase().includes(w) || t.category.toLowerCase().includes(w)),
  )
}

/** Closest eligible ids to a mistyped one. */
export function suggestEventTypes(id: string, max = 3): string[] {
  const lower = id.toLowerCase()
  return eligibleEventTypes()
    .map((t) => ({d: editDistance(lower, t.id.toLowerCase()), id: t.id}))
    .filter(({d}) => d <= Math.max(3, Math.floor(lower.length / 4)))
    .sort((a, b) => a.d - b.d || a.id.localeCompare(b.id))
    .slice(0, max)
    .map(({id: suggestion}) => suggestion)
}

/**
 * Splits repeatable/comma-separated --event values, de-duplicates them, and checks each against the
 * catalog. `allowUnknown` is the escape hatch for types newer than the catalog; ineligible known
 * types (event_hook.* and the like) are refused even then.
 */
export function parseEventTypes(values: string[], options: {allowUnknown?: boolean; flag?: string} = {}): string[] {
  const flag = options.flag ?? '--event'
  const ids = [
    ...new Set(
      values
        .flatMap((v) => v.split(','))
        .map((v) => v.trim())
        .filter(Boolean),
    ),
  ]
  for (const id of ids) {
    const known = loadCatalog().byId.get(id)
    if (known && !known.eventHookEligible) {
      throw usageError(`${flag} ${id}: this event type exists but Okta does not deliver it to event hooks.`, [
        `Find eligible types with \`okta-hooks event-types ${id.split('.')[0]}\``,
      ])
    }

    if (!known && !options.allowUnknown) {
      const close = suggestEventTypes(id)
      throw usageError(
        `${flag} ${id} is not an event-hook-eligible type in the catalog ` +
          `shipped with okta-hooks (${loadCatalog().source}).`,
        [
          ...(close.length > 0 ? [`Did you mean ${close.join(', ')}?`] : []),
          'Search the catalog with `okta-hooks event-types <word>`',
          'If the type is newer than the catalog, pass --allow-unknown-events',
        ],
      )
    }
  }

  if (ids.length > OKTA_LIMITS.eventTypesPerHook) {
    throw usageError(`${ids.length} event types given; Okta allows at most ${OKTA_LIMITS.eventTypesPerHook} per hook.`)
  }
  return ids
}
