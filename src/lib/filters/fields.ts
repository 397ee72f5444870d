/**
 * The fields an event hook filter may read, as Okta's help page "Okta Expression Language and
 * event hooks" lists them ("Supported Filter Fields"), and where each lives in a System Log
 * LogEvent. `event.debugData` is the LogEvent's `debugContext.debugData`: the help page's own
 * sample payload for `event.debugData.changedAttributes.contains('email')` carries it there.
 */
import {editDistance} from '../suggest.js'

/** Expression path → property path in the LogEvent. All of them hold strings. */
export const EVENT_FIELDS: Readonly<Record<string, readonly string[]>> = {
  'event.eventType': ['eventType'],
  'event.outcome.result': ['outcome', 'result'],
  'event.outcome.reason': ['outcome', 'reason'],
  'event.actor.id': ['actor', 'id'],
  'event.actor.type': ['actor', 'type'],
  'event.actor.alternateId': ['actor', 'alternateId'],
  'event.actor.displayName': ['actor', 'displayName'],
  'event.debugData.changedAttributes': ['debugContext', 'debugData', 'changedAttributes'],
}

/** The list a selection runs over, and the fields of each element a selection may read. */
export const TARGET_LIST = 'event.target'
export const TARGET_FIELDS: readonly string[] = ['id', 'type', 'alternateId', 'displayName']

/** Every filterable field as a person writes it, for error messages. */
export const FILTERABLE_FIELDS: readonly string[] = [
  ...Object.keys(EVENT_FIELDS),
  ...TARGET_FIELDS.map((field) => `${TARGET_LIST}.?[${field} …]`),
]

/** LogEvent properties (System Log API): a path into them is real, just not filterable. */
const LOG_EVENT_PROPERTIES = new Set([
  'actor',
  'authenticationContext',
  'client',
  'debugContext',
  'device',
  'displayMessage',
  'eventType',
  'insertionTimestamp',
  'legacyEventType',
  'outcome',
  'published',
  'request',
  'securityContext',
  'severity',
  'target',
  'transaction',
  'uuid',
  'version',
])

/** Objects on the way to a filterable field: event, event.outcome, event.actor, event.debugData. */
const PREFIXES = new Set(Object.keys(EVENT_FIELDS).flatMap((path) => ancestors(path)))

function ancestors(path: string): string[] {
  const parts = path.split('.')
  return parts.slice(1).map((_, i) => parts.slice(0, i + 1).join('.'))
}

export type PathVerdict =
  | {badSegment: number; kind: 'unfilterable' | 'unknown'}
  | {kind: 'field'; property: readonly string[]}
  | {kind: 'object'}
  | {kind: 'target-list'}

/**
 * What `segments` (["event", "actor", "id"]) name: a filterable field, the target list, an object
 * on the way to fields (event.actor), or a refused path. For a refused path, `badSegment` is the
 * index of the first segment that leaves the filterable fields: where an error should point.
 */
export function classifyPath(segments: readonly string[]): PathVerdict {
  const path = segments.join('.')
  const property = EVENT_FIELDS[path]
  if (property) return {kind: 'field', property}
  if (path === TARGET_LIST) return {kind: 'target-list'}
  if (PREFIXES.has(path)) return {kind: 'object'}
  if (segments[0] !== 'event') return {badSegment: 0, kind: 'unknown'}
  let badSegment = 1
  const leadsOn = (count: number) => {
    const prefix = segments.slice(0, count).join('.')
    return PREFIXES.has(prefix) || prefix === TARGET_LIST
  }

  while (leadsOn(badSegment + 1)) badSegment++

  return {badSegment, kind: isRealProperty(segments, badSegment) ? 'unfilterable' : 'unknown'}
}

/** LogEvent properties beside the filterable ones in the objects that hold them (debugData is free-form). */
const OTHER_PROPERTIES: Readonly<Record<string, readonly string[] | 'any'>> = {
  'event.actor': ['detailEntry'],
  'event.debugData': 'any',
  'event.outcome': [],
}

/** Whether segment `index` names a real LogEvent property (so the path is real, just not filterable). */
function isRealProperty(segments: readonly string[], index: number): boolean {
  if (index === 1) return LOG_EVENT_PROPERTIES.has(segments[1])
  const others = OTHER_PROPERTIES[segments.slice(0, index).join('.')]
  return others === 'any' || (others ?? []).includes(segments[index])
}

/** The filterable fields under an object path: event.actor → event.actor.id, event.actor.type, … */
export function fieldsUnder(path: string): string[] {
  return Object.keys(EVENT_FIELDS).filter((field) => field.startsWith(`${path}.`))
}

/** The filterable field someone most likely meant, if any is close. */
export function suggestField(
  path: string,
  candidates: readonly string[] = Object.keys(EVENT_FIELDS),
): string | undefined {
  const last = path.split('.').at(-1)!
  const sameLeaf = candidates.find((candidate) => candidate !== path && candidate.split('.').at(-1) === last)
  if (sameLeaf) return sameLeaf
  let best: string | undefined
  let bestDistance = 3
  for (const candidate of candidates) {
    const distance = editDistance(path.toLowerCase(), candidate.toLowerCase())
    if (distance < bestDistance) {
      best = candidate
      bestDistance = distance
    }
  }

  return best
}

/** The value at `property` of `object`; a missing step gives undefined. */
export function valueAt(object: unknown, property: readonly string[]): unknown {
  let current = object
  for (const key of property) {
    if (current === null || typeof current !== 'object' || Array.isArray(current)) return undefined
    current = (current as Record<string, unknown>)[key]
  }

  return current
}
