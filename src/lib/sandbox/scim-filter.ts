/**
 * The System Log's `filter` parameter: SCIM operators `eq ne co sw ew pr gt ge lt le`, `and`,
 * `or`, `not(...)` and parentheses, on the attributes of Okta's LogEvent (log-attributes.ts). String
 * comparisons ignore case (SCIM's default); on `target.*` a filter matches when any target matches.
 * Refusals as Okta's System Log query reference shows them: syntax errors and unknown attributes are
 * 400 E0000053, `published` and `co` on `debugContext.debugData.url`/`requestUri` are 400 E0000031.
 */
import {invalidScimFilter, invalidSearchCriteria, unknownLogField, unsupportedOperatorField} from './errors.js'
import {isLogAttribute, NO_CONTAINS} from './log-attributes.js'

export type Predicate = (event: Record<string, unknown>) => boolean

type Op = 'co' | 'eq' | 'ew' | 'ge' | 'gt' | 'le' | 'lt' | 'ne' | 'pr' | 'sw'
const OPERATORS = new Set<string>(['eq', 'ne', 'co', 'sw', 'ew', 'pr', 'gt', 'ge', 'lt', 'le'])

/** How deep `(` and `not(` may nest: far beyond any real filter, far below the stack's limit. */
export const MAX_FILTER_DEPTH = 100

type Token =
  {kind: 'lparen' | 'rparen'} | {kind: 'value'; value: boolean | null | number | string} | {kind: 'word'; value: string}

function tokenize(text: string): Token[] {
  const tokens: Token[] = []
  let i = 0
  while (i < text.length) {
    const c = text[i]
    if (/\s/.test(c)) {
      i++
    } else if (c === '(' || c === ')') {
      tokens.push({kind: c === '(' ? 'lparen' : 'rparen'})
      i++
    } else if (c === '"') {
      let value = ''
      i++
      for (;;) {
        if (i >= text.length) throw invalidScimFilter('Unterminated string literal in the filter')
        if (text[i] === '\\' && i + 1 < text.length) {
          value += text[i + 1]
          i += 2
        } else if (text[i] === '"') {
          i++
          break
        } else value += text[i++]
      }

      tokens.push({kind: 'value', value})
    } else {
      const match = /^[^\s()"]+/.exec(text.slice(i))!
      const word = match[0]
      i += word.length
      if (word === 'true' || word === 'false') tokens.push({kind: 'value', value: word === 'true'})
      else if (word === 'null') tokens.push({kind: 'value', value: null})
      else if (/^-?\d+(\.\d+)?$/.test(word)) tokens.push({kind: 'value', value: Number(word)})
      else if (word.includes("'")) throw invalidScimFilter(`Unexpected ${word}: string values go in double quotes`)
      else tokens.push({kind: 'word', value: word})
    }
  }

  return tokens
}

/** Parses a filter into a predicate, or throws Okta's 400. */
export function parseScimFilter(text: string): Predicate {
  const tokens = tokenize(text)
  let position = 0
  const peekWord = (): string | undefined => {
    const token = tokens[position]
    return token?.kind === 'word' ? token.value.toLowerCase() : undefined
  }

  // A long chain of `or`/`and` is kept as a flat list (evaluating it recurses once, not once per
  // term); nesting, `(` and `not(`, is bounded by MAX_FILTER_DEPTH.
  const parseOr = (depth: number): Predicate => {
    const terms = [parseAnd(depth)]
    while (peekWord() === 'or') {
      position++
      terms.push(parseAnd(depth))
    }

    return terms.length === 1 ? terms[0] : (event) => terms.some((term) => term(event))
  }

  const parseAnd = (depth: number): Predicate => {
    const terms = [parseUnary(depth)]
    while (peekWord() === 'and') {
      position++
      terms.push(parseUnary(depth))
    }

    return terms.length === 1 ? terms[0] : (event) => terms.every((term) => term(event))
  }

  const parseUnary = (depth: number): Predicate => {
    const token = tokens[position]
    if (!token) throw invalidScimFilter('The filter ends where an expression was expected')
    if (token.kind === 'lparen' || (peekWord() === 'not' && tokens[position + 1]?.kind === 'lparen')) {
      if (depth >= MAX_FILTER_DEPTH)
        throw invalidScimFilter(`The filter nests parentheses or not(...) more than ${MAX_FILTER_DEPTH} deep`)
      const negate = token.kind === 'word'
      position += negate ? 2 : 1
      const inner = parseOr(depth + 1)
      if (tokens[position]?.kind !== 'rparen') throw invalidScimFilter('Missing ) in the filter')
      position++
      return negate ? (event) => !inner(event) : inner
    }

    if (token.kind !== 'word') throw invalidScimFilter('Expected an attribute name such as eventType')
    position++
    const path = token.value
    const opToken = tokens[position]
    if (opToken?.kind !== 'word' || !OPERATORS.has(opToken.value.toLowerCase())) {
      throw invalidScimFilter(`Expected an operator (eq ne co sw ew pr gt ge lt le) after ${path}`)
    }

    position++
    const op = opToken.value.toLowerCase() as Op
    checkAttribute(path, op)

    if (op === 'pr')
      return (event) => valuesAt(event, path).some((value) => value !== null && value !== undefined && value !== '')
    const valueToken = tokens[position]
    if (valueToken?.kind !== 'value') throw invalidScimFilter(`Expected a value in double quotes after ${path} ${op}`)
    position++
    const expected = valueToken.value
    return (event) => valuesAt(event, path).some((actual) => compare(actual, op, expected))
  }

  const predicate = parseOr(0)
  if (position < tokens.length) throw invalidScimFilter('Unexpected text after the end of the filter expression')
  return predicate
}

/** Refuses what Okta refuses: `published` (since/until do that), unknown fields, `co` on the two URL fields. */
function checkAttribute(path: string, op: Op): void {
  if (path === 'published')
    throw invalidSearchCriteria('published is not a filterable System Log attribute (use since and until)')
  if (!isLogAttribute(path)) throw unknownLogField(path)
  if (op === 'co' && NO_CONTAINS.has(path)) throw unsupportedOperatorField(op, path)
}

/** The values at a dotted path; arrays (target) fan out, so any element can match. */
function valuesAt(event: unknown, path: string): unknown[] {
  let current: unknown[] = [event]
  for (const part of path.split('.')) {
    const next: unknown[] = []
    for (const value of current) {
      const items = Array.isArray(value) ? value : [value]
      for (const item of items) if (item && typeof item === 'object') next.push((item as Record<string, unknown>)[part])
    }

    current = next
  }

  return current.flatMap((value) => (Array.isArray(value) ? value : [value]))
}

function compare(actual: unknown, op: Op, expected: boolean | null | number | string): boolean {
  if (expected === null)
    return op === 'eq'
      ? actual === null || actual === undefined
      : op === 'ne'
        ? actual !== null && actual !== undefined
        : false
  if (actual === null || actual === undefined) return op === 'ne'
  if (typeof expected === 'string' || typeof actual === 'string') {
    const a = String(actual).toLowerCase()
    const b = String(expected).toLowerCase()
    switch (op) {
      case 'co': {
        return a.includes(b)
      }

      case 'eq': {
        return a === b
      }

      case 'ew': {
        return a.endsWith(b)
      }

      case 'ge': {
        return a >= b
      }

      case 'gt': {
        return a > b
      }

      case 'le': {
        return a <= b
      }

      case 'lt': {
        return a < b
      }

      case 'ne': {
        return a !== b
      }

      case 'sw': {
        return a.startsWith(b)
      }

      default: {
        return false
      }
    }
  }

  const a = actual as boolean | number
  switch (op) {
    case 'eq': {
      return a === expected
    }

    case 'ge': {
      return a >= expected
    }

    case 'gt': {
      return a > expected
    }

    case 'le': {
      return a <= expected
    }

    case 'lt': {
      return a < expected
    }

    case 'ne': {
      return a !== expected
    }

    default: {
      return false
    }
  }
}
