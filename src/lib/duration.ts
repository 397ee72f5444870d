/**
 * Durations as every flag of okta-hooks takes them: `500ms`, `3s`, `2m`, `1h`, decimals allowed
 * (`1.5s`); a bare number is seconds. Values are milliseconds. No oclif here (src/cli/flags.ts
 * builds the flag on these).
 */
import {usageError} from './errors.js'

const UNIT_MS: Record<string, number> = {'': 1000, h: 3_600_000, m: 60_000, ms: 1, s: 1000}

export interface DurationBounds {
  /** Longest accepted, in ms. */
  max?: number
  /** Shortest accepted, in ms (default 1: a duration of 0 is refused unless min is 0). */
  min?: number
}

/** "500ms", "3s", "1.5s", "2m", "1h", "3" (seconds) → milliseconds; `flag` names the flag in errors. */
export function parseDuration(text: string, flag: string, bounds: DurationBounds = {}): number {
  const match = /^\s*(\d+(?:\.\d*)?|\.\d+)\s*(ms|s|m|h)?\s*$/i.exec(text)
  if (!match) {
    throw usageError(`${flag} "${text}" is not a duration.`, [
      `Give a number and a unit, e.g. ${flag} 500ms, 3s, 2m or 1h (a bare number is seconds)`,
    ])
  }

  const ms = Math.round(Number(match[1]) * UNIT_MS[(match[2] ?? '').toLowerCase()])
  const min = bounds.min ?? 1
  if (ms < min) {
    const what = min <= 1 ? 'more than 0' : `at least ${formatDuration(min)}`
    throw usageError(`${flag} ${text.trim()} is too short: it must be ${what}.`)
  }

  if (bounds.max !== undefined && ms > bounds.max) {
    throw usageError(`${flag} ${text.trim()} is too long: it must be at most ${formatDuration(bounds.max)}.`)
  }

  return ms
}

/** Milliseconds as typed on the command line: 3000 → "3s", 1500 → "1.5s", 120000 → "2m", 250 → "250ms". */
export function formatDuration(ms: number): string {
  if (ms >= 3_600_000 && ms % 3_600_000 === 0) return `${ms / 3_600_000}h`
  if (ms >= 60_000 && ms % 60_000 === 0) return `${ms / 60_000}m`
  if (ms >= 1000 || ms === 0) return `${Number((ms / 1000).toFixed(3))}s`
  return `${ms}ms`
}
