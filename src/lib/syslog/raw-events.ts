/**
 * System Log pages kept as text: each event is the exact slice of Okta's response that holds it,
 * so a replayed event reaches the receiver byte for byte (no parse/serialise round trip: numbers,
 * escapes and key order untouched), and a page costs its text, not a tree of objects.
 */
import {CliError} from '../errors.js'
import {ExitCode} from '../exit-codes.js'

export interface RawLogEvent {
  /** The event's JSON, exactly as Okta sent it. */
  json: string
  /** Its top-level `uuid`, when it has one. */
  uuid?: string
}

const enum Ch {
  Backslash = 92,
  Colon = 58,
  Comma = 44,
  LBrace = 123,
  LBracket = 91,
  Quote = 34,
  RBrace = 125,
  RBracket = 93,
}

function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9
}

function invalid(why: string): CliError {
  return new CliError(`Okta's System Log answered with something other than a JSON list of events (${why}).`, {
    code: 'UNEXPECTED_RESPONSE',
    exitCode: ExitCode.Remote,
  })
}

/** Index just past the string that starts at `i` (a quote). */
function endOfString(text: string, i: number): number {
  let j = i + 1
  for (;;) {
    const c = text.charCodeAt(j)
    if (Number.isNaN(c)) throw invalid('unterminated string')
    if (c === Ch.Backslash) j += 2
    else if (c === Ch.Quote) return j + 1
    else j++
  }
}

/** Splits a JSON array of objects into the text of each element (and its top-level uuid). */
export function splitEventArray(text: string): RawLogEvent[] {
  const events: RawLogEvent[] = []
  const n = text.length
  let i = 0
  while (i < n && isSpace(text.charCodeAt(i))) i++
  if (text.charCodeAt(i) !== Ch.LBracket) throw invalid('no opening [')
  i++
  for (;;) {
    while (i < n && isSpace(text.charCodeAt(i))) i++
    const c = text.charCodeAt(i)
    if (c === Ch.RBracket) return events
    if (c === Ch.Comma && events.length > 0) {
      i++
      continue
    }

    if (c !== Ch.LBrace) throw invalid(`element ${events.length + 1} is not an object`)
    const start = i
    let depth = 0
    let uuid: string | undefined
    let wantUuid = false
    for (;;) {
      const d = text.charCodeAt(i)
      if (Number.isNaN(d)) throw invalid('unterminated object')
      if (d === Ch.Quote) {
        const end = endOfString(text, i)
        if (depth === 1) {
          if (wantUuid) {
            uuid = text.slice(i + 1, end - 1)
            wantUuid = false
          } else if (end - i === 6 && text.startsWith('"uuid"', i)) {
            let k = end
            while (isSpace(text.charCodeAt(k))) k++
            wantUuid = text.charCodeAt(k) === Ch.Colon
          }
        }

        i = end
        continue
      }

      if (d === Ch.LBrace || d === Ch.LBracket) depth++
      else if (d === Ch.RBrace || d === Ch.RBracket) {
        depth--
        if (depth === 0) {
          i++
          break
        }
      } else if (wantUuid && !isSpace(d) && d !== Ch.Colon) wantUuid = false // uuid is not a string
      i++
    }

    events.push({json: text.slice(start, i), uuid})
  }
}
