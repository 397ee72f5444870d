/** Splits a filter expression into tokens, each with its span; refuses characters SpEL would not read. */
import {filterError, type Span} from './problem.js'

export type Token =
  | (Span & {kind: 'end'; text: ''})
  | (Span & {kind: 'name'; text: string})
  | (Span & {kind: 'number'; text: string; value: number})
  | (Span & {kind: 'punct'; text: string})
  | (Span & {kind: 'string'; text: string; value: string})

/** Longest first, so "&&" wins over "&". */
const PUNCTUATION = [
  '&&',
  '||',
  '==',
  '!=',
  '<=',
  '>=',
  '?[',
  '^[',
  '$[',
  '?.',
  '.',
  '(',
  ')',
  '[',
  ']',
  ',',
  '?',
  ':',
  '!',
  '<',
  '>',
  '=',
  '+',
  '-',
  '*',
  '/',
  '%',
  '#',
  '@',
  '{',
  '}',
  '&',
  '|',
  '^',
  '~',
]

const NAME_START = /[A-Za-z_$]/
const NAME_PART = /[A-Za-z0-9_$]/
const DIGIT = /[0-9]/
const WHITESPACE = new Set([' ', '\t', '\r', '\n'])
const LOOKALIKES: Record<string, string> = {
  '\u00A0': 'a non-breaking space: replace it with a normal space',
  '\u2018': "a curly quote: write strings in straight single quotes, such as 'Sales'",
  '\u2019': "a curly quote: write strings in straight single quotes, such as 'Sales'",
  '\u201C': "a curly quote: write strings in straight single quotes, such as 'Sales'",
  '\u201D': "a curly quote: write strings in straight single quotes, such as 'Sales'",
}

export function tokenize(source: string): Token[] {
  const tokens: Token[] = []
  let i = 0
  while (i < source.length) {
    const c = source[i]
    if (WHITESPACE.has(c)) {
      i++
      continue
    }

    const token = readToken(source, i)
    tokens.push(token)
    i = token.end
  }

  tokens.push({end: source.length, kind: 'end', start: source.length, text: ''})
  return tokens
}

function readToken(source: string, start: number): Token {
  const c = source[start]
  if (c === "'" || c === '"') return readString(source, start, c)
  if (DIGIT.test(c)) return readNumber(source, start)
  const punct = PUNCTUATION.find((p) => source.startsWith(p, start))
  if (punct) return {end: start + punct.length, kind: 'punct', start, text: punct}
  if (NAME_START.test(c)) {
    let end = start + 1
    while (end < source.length && NAME_PART.test(source[end])) end++
    return {end, kind: 'name', start, text: source.slice(start, end)}
  }

  const char = String.fromCodePoint(source.codePointAt(start)!)
  const span = {end: start + char.length, start}
  const lookalike = LOOKALIKES[char]
  if (lookalike) throw filterError(source, span, 'syntax', `unexpected character U+${hex(char)}`, lookalike)
  throw filterError(source, span, 'syntax', `unexpected character ${JSON.stringify(char)}`)
}

/** A quote inside a string is written twice, as SpEL does: 'O''Brien'. */
function readString(source: string, start: number, quote: string): Token {
  let value = ''
  let i = start + 1
  while (i < source.length) {
    if (source[i] !== quote) {
      value += source[i++]
    } else if (source[i + 1] === quote) {
      value += quote
      i += 2
    } else {
      return {end: i + 1, kind: 'string', start, text: source.slice(start, i + 1), value}
    }
  }

  throw filterError(source, {end: source.length, start}, 'syntax', 'unterminated string', `close it with ${quote}`)
}

function readNumber(source: string, start: number): Token {
  const match = /^[0-9]+(\.[0-9]+)?/.exec(source.slice(start))!
  const end = start + match[0].length
  if (end < source.length && NAME_PART.test(source[end])) {
    let stop = end
    while (stop < source.length && NAME_PART.test(source[stop])) stop++
    const message = `unsupported number ${source.slice(start, stop)}`
    throw filterError(source, {end: stop, start}, 'syntax', message, 'write numbers in decimal digits, such as 0')
  }

  return {end, kind: 'number', start, text: match[0], value: Number(match[0])}
}

function hex(char: string): string {
  return char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')
}
