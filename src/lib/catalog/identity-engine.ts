/**
 * What Okta's guide "Update your event hooks for Identity Engine" says about event types
 * (data/identity-engine.json): the Classic Engine types not triggered in Identity Engine orgs, and
 * the types whose payload moves; plus the types the catalog tags `oie-only` (Identity Engine only).
 * `event-types` marks them; create, update and the hooks file warn about a subscription to a type
 * that is not triggered.
 */
import {readFileSync} from 'node:fs'

import {dataPath} from '../data-path.js'
import type {EventTypeInfo} from './event-types.js'

/** How a type fares in Identity Engine orgs; null when Okta documents nothing particular. */
export type IdentityEngineMark = 'identity-engine-only' | 'not-triggered' | 'payload-changed' | null

export interface IdentityEngineView {
  identityEngine: IdentityEngineMark
  /** Okta's words on it (for not-triggered and payload-changed types), else null. */
  identityEngineNote: null | string
}

interface IdentityEngineData {
  notTriggered: {id: string; note: string}[]
  payloadChanged: {id: string; note: string}[]
  source: string
}

let data: IdentityEngineData | undefined

function load(): IdentityEngineData {
  data ??= JSON.parse(readFileSync(dataPath('identity-engine.json'), 'utf8')) as IdentityEngineData
  return data
}

/** The guide the marks come from, for messages. */
export function identityEngineSource(): string {
  return load().source
}

/** The mark and note of one type (by id, with the catalog's tags when known). */
export function identityEngineOf(id: string, tags: readonly string[] = []): IdentityEngineView {
  const {notTriggered, payloadChanged} = load()
  const missing = notTriggered.find((entry) => entry.id === id)
  if (missing) return {identityEngine: 'not-triggered', identityEngineNote: missing.note}
  const moved = payloadChanged.find((entry) => entry.id === id)
  if (moved) return {identityEngine: 'payload-changed', identityEngineNote: moved.note}
  return {identityEngine: tags.includes('oie-only') ? 'identity-engine-only' : null, identityEngineNote: null}
}

/** Catalog entries with their Identity Engine mark. */
export function withIdentityEngine(types: EventTypeInfo[]): (EventTypeInfo & IdentityEngineView)[] {
  return types.map((type) => ({...type, ...identityEngineOf(type.id, type.tags)}))
}

/** One warning per subscribed type that Identity Engine orgs never trigger. */
export function identityEngineWarnings(items: readonly string[], where = ''): string[] {
  return items.flatMap((id) => {
    const {identityEngine, identityEngineNote} = identityEngineOf(id)
    if (identityEngine !== 'not-triggered') return []
    return [
      `${where}${id} is not triggered in Identity Engine orgs (${identityEngineNote}; Okta's guide "Update your ` +
        'event hooks for Identity Engine"): if the org runs Identity Engine, the hook never receives it.',
    ]
  })
}
