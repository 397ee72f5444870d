/** SCIM filter expressions for the System Log (`filter=`), quoted safely. */
import {usageError} from '../errors.js'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** A SCIM string literal: backslashes and quotes escaped. */
export function scimString(value: string): string {
  return `"${value.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`
}

/** `attribute eq "a" or attribute eq "b"`. */
export function anyOf(attribute: string, values: string[]): string | undefined {
  if (values.length === 0) return undefined
  return values.map((value) => `${attribute} eq ${scimString(value)}`).join(' or ')
}

export function eventTypeFilter(types: string[]): string | undefined {
  return anyOf('eventType', types)
}

export function uuidFilter(ids: string[]): string | undefined {
  for (const id of ids) {
    if (!UUID.test(id))
      throw usageError(`--event-id ${id} is not a System Log event uuid.`, [
        'A uuid looks like 4b5a2e5e-3f4c-11ef-9c1e-3b1a0b6b2f41',
      ])
  }

  return anyOf('uuid', ids)
}

/** All of the given expressions, each parenthesised when it holds an `or`. */
export function allOf(...expressions: (string | undefined)[]): string | undefined {
  const parts = expressions.filter((e): e is string => Boolean(e && e.trim()))
  if (parts.length === 0) return undefined
  if (parts.length === 1) return parts[0]
  return parts.map((p) => (/\bor\b/i.test(p) ? `(${p})` : p)).join(' and ')
}
