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

/**
 * The catalog as the build writes it for the bundle (dist/event-types.json): categories, releases
 * and tags listed once, and every type one line of `rows`, `\n<id>\t<category>\t<release>\t<flags>\t<tags>`
 * (indexes into those lists, tags comma-separated; flags 1 eligible, 2 beta), ending in `\n`. A
 * third of the size, and parsed as one string: a type is found by searching the text (~7 µs) and
 * becomes an object only when it is asked for, all of them only when the catalog is listed. The
 * commands that check a few event types (create, update, plan, apply) read it in ~0.4 ms, where
 * JSON of 1261 rows and a map of them cost ~1 ms and a garbage collection.
 */
export interface CompactCatalog {
  categories: string[]
  releases: string[]
  rows: string
  source: string
  tags: string[]
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
      const compact = JSON.parse(readFileSync(compactFile, 'utf8')) as CompactCatalog
      if (typeof compact.rows === 'string') return compactLookup(compact)
    } catch {
      // a partial install or a broken build: the source of truth is still there
    }
  }

  const raw = JSON.parse(readFileSync(dataPath('event-types.json'), 'utf8')) as CatalogSource
  return {byId: new Map(raw.eventTypes.map((t) => [t.id, t])), source: raw.source, types: raw.eventTypes}
}

/** The catalog over its compact form: a type becomes an object when it is looked up, all of them when listed. */
function compactLookup(compact: CompactCatalog): Catalog {
  const made = new Map<string, EventTypeInfo>() // the types found (not the ids that are not)
  const expand = (row: string) => {
    const id = row.slice(0, row.indexOf('\t'))
    if (!made.has(id)) made.set(id, expandRow(compact, row))
    return made.get(id)!
  }

  const find = (id: string) => {
    if (made.has(id)) return made.get(id)
    const at = id.includes('\n') || id.includes('\t') ? -1 : compact.rows.indexOf(`\n${id}\t`)
    return at < 0 ? undefined : expand(compact.rows.slice(at + 1, compact.rows.indexOf('\n', at + 1)))
  }

  let types: EventTypeInfo[] | undefined
  return {
    byId: {get: find, has: (id) => find(id) !== undefined},
    source: compact.source,
    get types() {
      types ??= rowsOf(compact).map((row) => expand(row))
      return types
    },
  }
}

/** The rows of the compact form, one text each. */
function rowsOf(compact: CompactCatalog): string[] {
  return compact.rows === '\n' ? [] : compact.rows.slice(1, -1).split('\n')
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
  const row = (t: EventTypeInfo) => {
    if (/[\t\n,]/.test(t.id)) throw new Error(`event type id ${JSON.stringify(t.id)} has a tab, newline or comma`)
    const flags = (t.eventHookEligible ? ELIGIBLE : 0) | (t.beta ? BETA : 0)
    return [t.id, category(t.category), release(t.release), flags, t.tags.map((name) => tag(name)).join(',')].join('\t')
  }

  const rows = `\n${raw.eventTypes.map((t) => `${row(t)}\n`).join('')}`
  return {categories, releases, rows, source: raw.source, tags}
}

/** The catalog as data/event-types.json has it, from its compact form (each type's keys in the same order). */
export function expandCatalog(compact: CompactCatalog): CatalogSource {
  return {
    eventTypes: rowsOf(compact).map((row) => expandRow(compact, row)),
    source: compact.source,
  }
}

function expandRow(compact: CompactCatalog, row: string): EventTypeInfo {
  const [id, category, release, flags, tags] = row.split('\t')
  return {
    id,
    category: compact.categories[Number(category)],
    release: compact.releases[Number(release)],
    beta: (Number(flags) & BETA) !== 0,
    eventHookEligible: (Number(flags) & ELIGIBLE) !== 0,
    tags: tags ? tags.split(',').map((at) => compact.tags[Number(at)]) : [],
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
