/**
 * INTERIM, to be swapped at merge: issue 9 §3 brings `durationFlag` (src/cli/flags.ts) and the one
 * duration parser behind it. Until then the dev loop's duration flags (--tunnel-timeout) parse
 * with this, which follows exactly the same rules: `500ms`, `3s`, `2m`, `1h`, decimals allowed, a
 * bare number is seconds. No oclif here.
 */
import {usageError} from '../errors.js'

const UNIT_MS: Record<string, number> = {'': 1000, h: 3_600_000, m: 60_000, ms: 1, s: 1000}

/** "500ms", "3s", "1.5s", "2m", "1h", "3" (seconds) → milliseconds, at least 1 ms and at most `maxMs`. */
export function interimDurationMs(text: string, flag: string, maxMs?: number): number {
  const match = /^\s*(\d+(?:\.\d*)?|\.\d+)\s*(ms|s|m|h)?\s*$/i.exec(text)
  if (!match) {
    throw usageError(`${flag} "${text}" is not a duration.`, [`Give a number and a unit, e.g. ${flag} 500ms, 3s, 2m or 1h (a bare number is seconds)`])
  }

  const ms = Math.round(Number(match[1]) * UNIT_MS[(match[2] ?? '').toLowerCase()])
  if (ms < 1) throw usageError(`${flag} ${text.trim()} is too short: it must be more than 0.`)
  if (maxMs !== undefined && ms > maxMs) throw usageError(`${flag} ${text.trim()} is too long: it must be at most ${maxMs / 1000}s.`)
  return ms
}
