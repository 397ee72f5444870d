/**
 * The event-type catalog shipped with the CLI (data/event-types.json, Okta release 2026.08.1):
 * which types an event hook may subscribe to, search, and "did you mean".
 */
import {readFileSync} from 'node:fs'
import {join} from 'node:path'

import {usageError} from '../errors.js'
import {editDistance} from '../suggest.js'
import {dataPath} from '../data-path.js'
import {OKTA_LIMITS} from '../hooks/limits.js'
import {packageRoot} from '../package-root.js'

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
  /** The types by id (only get and has: the compact copy expands a type when it is asked for). */
  byId: Pick<ReadonlyMap<string, EventTypeInfo>, 'get' | 'has'>
  source: string
  types: EventTypeInfo[]
}

/** data/event-types.json, the source of truth (the fields used here). */
export interface CatalogSource {
  eventTypes: EventTypeInfo[]
  source: string
}

/** One type in the compact form: [id, category, release, flags (1 eligible, 2 beta), ...tags]. */
type CompactType = [string, ...number[]]

/**
 * The catalog as the build writes it for the bundle (dist/event-types.json): each type one row,
 * with categories, releases and tags as indexes into their lists. A quarter of the size, and parsed
 * without 1261 objects and their tag lists, which are made only for the types looked up (~2 ms and a
 * garbage collection less for the commands that check event types).
 */
export interface CompactCatalog {
  categories: string[]
  releases: string[]
  source: string
  tags: string[]
  types: CompactType[]
}

const ELIGIBLE = 1
const BETA = 2

/** The bundle's compact copy of the catalog (a path under the package): set by the build (esbuild's define). */
declare const OKTA_HOOKS_COMPACT_CATALOG: string | undefined

let catalog: Catalog | undefined

export function loadCatalog(): Catalog {
  catalog ??= readCatalog(
    typeof OKTA_HOOKS_COMPACT_CATALOG === 'string' ? join(packageRoot(), OKTA_HOOKS_COMPACT_CATALOG) : undefined,
  )
  return catalog
}

/** The catalog from the build's compact copy when given (and readable), else from data/event-types.json. */
export function readCatalog(compactFile?: string): Catalog {
  if (compactFile) {
    try {
      return compactLookup(JSON.parse(readFileSync(compactFile, 'utf8')))
    } catch {
      // a partial install or a broken build: the source of truth is still there
    }
  }

  const raw = JSON.parse(readFileSync(dataPath('event-types.json'), 'utf8')) as CatalogSource
  return {byId: new Map(raw.eventTypes.map((t) => [t.id, t])), source: raw.source, types: raw.eventTypes}
}

/** The catalog over its compact form: a type becomes an object when it is looked up, all of them when listed. */
function compactLookup(compact: CompactCatalog): Catalog {
  const rows = new Map<string, number>()
  for (let at = 0; at < compact.types.length; at++) rows.set(compact.types[at][0], at)
  const made: EventTypeInfo[] = []
  const type = (at: number) => (made[at] ??= expandType(compact, compact.types[at]))
  let types: EventTypeInfo[] | undefined
  return {
    byId: {
      get: (id) => (rows.has(id) ? type(rows.get(id)!) : undefined),
      has: (id) => rows.has(id),
    },
    source: compact.source,
    get types() {
      types ??= compact.types.map((_, at) => type(at))
      return types
    },
  }
}

/** The compact form of the catalog (what the build writes). */
export function compactCatalog(raw: CatalogSource): CompactCatalog {
  const index = (list: string[]) => {
    const at = new Map<string, number>()
    return (value: string) => {
      if (!at.has(value)) at.set(value, list.push(value) - 1)
      return at.get(value)!
    }
  }

  const categories: string[] = []
  const releases: string[] = []
  const tags: string[] = []
  const [category, release, tag] = [index(categories), index(releases), index(tags)]
  const types = raw.eventTypes.map((t): CompactType => [
    t.id,
    category(t.category),
    release(t.release),
    (t.eventHookEligible ? ELIGIBLE : 0) | (t.beta ? BETA : 0),
    ...t.tags.map((name) => tag(name)),
  ])
  return {categories, releases, source: raw.source, tags, types}
}

/** The catalog as data/event-types.json has it, from its compact form (each type's keys in the same order). */
export function expandCatalog(compact: CompactCatalog): CatalogSource {
  return {eventTypes: compact.types.map((row) => expandType(compact, row)), source: compact.source}
}

function expandType(compact: CompactCatalog, [id, category, release, flags, ...tags]: CompactType): EventTypeInfo {
  return {
    id,
    category: compact.categories[category],
    release: compact.releases[release],
    beta: (flags & BETA) !== 0,
    eventHookEligible: (flags & ELIGIBLE) !== 0,
    tags: tags.map((at) => compact.tags[at]),
  }
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
