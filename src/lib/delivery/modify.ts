/**
 * Editing a JSON document by path, for `--set path=value` on deliveries replay and preview:
 * `data.events[0].target[0].alternateId=jane@example.com`. Values are parsed as JSON where they
 * are JSON (`true`, `42`, `null`, `{"a":1}`, `"quoted string"`), otherwise taken as a string.
 */
import {usageError} from '../errors.js'

export type PathSegment = number | string

const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype'])

/**
 * Splits a path into keys and array indexes: `a.b[0]["c.d"]` → ['a', 'b', 0, 'c.d'].
 * Keys with dots, brackets or spaces are written in quotes inside brackets.
 */
export function parsePath(path: string): PathSegment[] {
  const segments: PathSegment[] = []
  let i = 0
  const fail = (why: string) =>
    usageError(`Invalid path "${path}": ${why}.`, [
      'Write paths like data.events[0].target[0].alternateId (quote odd keys: a["x.y"])',
    ])
  if (path === '') throw fail('it is empty')
  while (i < path.length) {
    const ch = path[i]
    if (ch === '[') {
      const close = path.indexOf(']', i)
      if (close === -1) throw fail('a "[" is never closed')
      const inner = path.slice(i + 1, close)
      if (/^\d+$/.test(inner)) segments.push(Number(inner))
      else if (/^(["']).*\1$/.test(inner) && inner.length >= 2) segments.push(inner.slice(1, -1))
      else throw fail(`"[${inner}]" is neither an index nor a quoted key`)
      i = close + 1
      if (i < path.length && path[i] !== '.' && path[i] !== '[') throw fail(`unexpected "${path[i]}" after "]"`)
      if (path[i] === '.') {
        i++
        if (i >= path.length) throw fail('it ends with "."')
      }

      continue
    }

    let end = i
    while (end < path.length && path[end] !== '.' && path[end] !== '[') end++
    const key = path.slice(i, end)
    if (key === '') throw fail('it has an empty key')
    segments.push(key)
    i = end
    if (path[i] === '.') {
      i++
      if (i >= path.length) throw fail('it ends with "."')
    }
  }

  for (const segment of segments) {
    if (typeof segment === 'string' && FORBIDDEN.has(segment)) throw fail(`"${segment}" cannot be set`)
  }

  return segments
}

/** A value from the command line: JSON where it parses as JSON, else the text itself. */
export function parseValue(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

export interface Assignment {
  path: string
  value: unknown
}

/** `path=value` (only the first "=" splits, so values may contain "="). */
export function parseAssignment(text: string, flag = '--set'): Assignment {
  const eq = text.indexOf('=')
  if (eq <= 0)
    throw usageError(`${flag} "${text}" is not path=value.`, [
      `e.g. ${flag} data.events[0].target[0].alternateId=jane@example.com`,
    ])
  const path = text.slice(0, eq).trim()
  parsePath(path)
  return {path, value: parseValue(text.slice(eq + 1))}
}

function describe(segments: PathSegment[], upTo: number): string {
  let out = ''
  for (const segment of segments.slice(0, upTo)) {
    if (typeof segment === 'number') out += `[${segment}]`
    else out += /^[A-Za-z_$][\w$-]*$/.test(segment) ? (out ? `.${segment}` : segment) : `["${segment}"]`
  }

  return out || '(root)'
}

function kindOf(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`
}

/** The value at a path, or undefined when any part of it is missing. */
export function getPath(root: unknown, path: PathSegment[] | string): unknown {
  const segments = typeof path === 'string' ? parsePath(path) : path
  let node: any = root
  for (const segment of segments) {
    if (node === null || typeof node !== 'object') return undefined
    if (typeof segment === 'number' && !Array.isArray(node)) return undefined
    node = node[segment]
  }

  return node
}

/**
 * Sets the value at a path, in place, and returns the root. Missing objects and arrays on the way
 * are created (an array when the next segment is an index). An index may be at most the array's
 * length (setting at the length appends); anything else that cannot hold the path is an error
 * naming where it stops.
 */
export function setPath<T>(root: T, path: PathSegment[] | string, value: unknown): T {
  const segments = typeof path === 'string' ? parsePath(path) : path
  const text = typeof path === 'string' ? path : describe(segments, segments.length)
  if (segments.length === 0) throw usageError('Cannot set the whole document with an empty path.')
  if (root === null || typeof root !== 'object')
    throw usageError(`Cannot set ${text}: the document is ${kindOf(root)}, not an object.`)
  let node: any = root
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i]
    const last = i === segments.length - 1
    if (typeof segment === 'number') {
      if (!Array.isArray(node))
        throw usageError(`Cannot set ${text}: ${describe(segments, i)} is ${kindOf(node)}, not an array.`)
      if (segment > node.length) {
        throw usageError(
          `Cannot set ${text}: ${describe(segments, i)} has ${node.length} ` +
            `item(s); the index may be at most ${node.length}.`,
        )
      }
    } else if (Array.isArray(node)) {
      throw usageError(`Cannot set ${text}: ${describe(segments, i)} is an array; use an index such as [0].`)
    }

    if (last) {
      node[segment] = value
      break
    }

    const child = node[segment]
    if (child === undefined || child === null) {
      node[segment] = typeof segments[i + 1] === 'number' ? [] : {}
    } else if (typeof child !== 'object') {
      throw usageError(`Cannot set ${text}: ${describe(segments, i + 1)} is ${kindOf(child)}, not an object or array.`)
    }

    node = node[segment]
  }

  return root
}

/** A deep copy of a JSON document with every assignment applied in order. */
export function applyAssignments<T>(document: T, assignments: Assignment[]): T {
  const copy = structuredClone(document)
  for (const {path, value} of assignments) setPath(copy, path, value)
  return copy
}
