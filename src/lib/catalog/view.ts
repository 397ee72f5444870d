/**
 * `event-types` for people and for pipes. At a terminal (without --wide), compact: one line per
 * family of types (the first two parts of the id), its members side by side, wrapped to the
 * terminal's width. Piped or --wide: the table (src/lib/io/table.ts), one type a line.
 */
import {bold, type Column, displayWidth, type Output, renderTable, truncate} from '../io/table.js'
import type {EventTypeInfo} from './event-types.js'
import type {IdentityEngineMark, IdentityEngineView} from './identity-engine.js'

/** A catalog entry with its Identity Engine mark, as `event-types` shows it. */
export type EventTypeRow = EventTypeInfo & IdentityEngineView

/** The IDENTITY ENGINE column's words, and the compact form's suffix, per mark. */
const IE_WORDS: Record<Exclude<IdentityEngineMark, null>, {suffix: string; word: string}> = {
  'identity-engine-only': {suffix: '', word: 'only'},
  'not-triggered': {suffix: '!', word: 'not triggered'},
  'payload-changed': {suffix: '~', word: 'payload changed'},
}

const BASE_COLUMNS: Column<EventTypeRow>[] = [
  {cell: (t) => t.id, header: 'ID'},
  {cell: (t) => t.category, flexible: true, header: 'CATEGORY'},
  {cell: (t) => t.release, header: 'RELEASE'},
  {cell: (t) => (t.beta ? 'beta' : ''), header: 'BETA'},
  {cell: (t) => (t.identityEngine ? IE_WORDS[t.identityEngine].word : ''), header: 'IDENTITY ENGINE'},
]
const ELIGIBLE: Column<EventTypeRow> = {cell: (t) => (t.eventHookEligible ? 'yes' : 'no'), header: 'ELIGIBLE'}

/** What the compact form's marks mean (a note for stderr), or nothing when no type carries one. */
export function eventTypesLegend(types: EventTypeRow[], output: Output): string | undefined {
  if (!isCompact(output)) return undefined
  const marks = [
    ...(types.some((t) => t.beta) ? ['name* is beta'] : []),
    ...(types.some((t) => !t.eventHookEligible) ? ['(name) is not eligible for event hooks'] : []),
    ...(types.some((t) => t.identityEngine === 'not-triggered')
      ? ['name! is not triggered in Identity Engine orgs']
      : []),
    ...(types.some((t) => t.identityEngine === 'payload-changed')
      ? ['name~ has a different payload in Identity Engine orgs']
      : []),
  ]
  return `${marks.length > 0 ? `${marks.join('; ')}. ` : ''}--wide for the table with categories and releases.`
}

export function renderEventTypes(types: EventTypeRow[], options: {all: boolean}, output: Output): string {
  if (!isCompact(output)) return renderTable(options.all ? [...BASE_COLUMNS, ELIGIBLE] : BASE_COLUMNS, types, output)
  const families = new Map<string, string[]>()
  for (const type of types) {
    const [family, member] = split(type.id)
    const marked = `${member}${type.beta ? '*' : ''}${type.identityEngine ? IE_WORDS[type.identityEngine].suffix : ''}`
    const mark = type.eventHookEligible ? marked : `(${marked})`
    families.set(family, [...(families.get(family) ?? []), mark])
  }

  // The families' column: as wide as the longest family, but at most a third of the terminal (a longer one pushes its line along).
  const keyWidth = Math.min(
    Math.max(...[...families.keys()].map((key) => displayWidth(key))),
    Math.floor(output.columns / 3),
  )
  const lines: string[] = []
  // (plain code-point order: localeCompare's first call costs milliseconds of ICU set-up)
  const sorted = [...families].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  for (const [family, members] of sorted) lines.push(...wrapFamily(family, members, keyWidth, output))
  return lines.join('\n')
}

const isCompact = (output: Output): boolean => output.tty && !output.wide

/** user.lifecycle.delete.initiated -> [user.lifecycle, delete.initiated]; a two-part id -> [user, mfa]. */
function split(id: string): [string, string] {
  const parts = id.split('.')
  const keep = parts.length > 2 ? 2 : 1
  return [parts.slice(0, keep).join('.'), parts.slice(keep).join('.')]
}

/** The family's line, its members wrapped under each other past the terminal's width. */
function wrapFamily(family: string, members: string[], keyWidth: number, output: Output): string[] {
  const indent = ' '.repeat(keyWidth + 2)
  const lines: string[] = []
  let line = `${bold(family, output)}${' '.repeat(Math.max(0, keyWidth - displayWidth(family)) + 2)}`
  let width = Math.max(keyWidth, displayWidth(family)) + 2
  let empty = true
  for (const full of members) {
    const member = truncate(full, output.columns - indent.length)
    const needed = (empty ? 0 : 2) + displayWidth(member)
    if (!empty && width + needed > output.columns) {
      lines.push(line)
      line = indent
      width = indent.length
      empty = true
    }

    line += (empty ? '' : '  ') + member
    width += (empty ? 0 : 2) + displayWidth(member)
    empty = false
  }

  lines.push(line)
  return lines
}
