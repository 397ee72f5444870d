/**
 * Times for System Log queries: ISO 8601 instants, or relative to now (`30s`, `15m`, `2h`, `7d`,
 * `1w`). Always returned as the ISO string Okta expects (the SDK would send a Date unparseable).
 */
import {usageError} from '../errors.js'

const UNITS: Record<string, number> = {d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000, w: 7 * 86_400_000}
const RELATIVE = /^(\d+(?:\.\d+)?)\s*([smhdw])$/i
/** A date, optionally with a time and a zone: 2026-11-24, 2026-11-24T10:00:00Z, 2026-11-24T10:00:00.123+01:00. */
const ISO = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/i

/** Okta keeps System Log events for 90 days. */
export const RETENTION_MS = 90 * UNITS.d

export function parseTime(value: string, options: {flag?: string; now?: Date} = {}): string {
  const flag = options.flag ?? 'time'
  const now = options.now ?? new Date()
  const text = value.trim()
  if (text.toLowerCase() === 'now') return now.toISOString()
  const relative = RELATIVE.exec(text)
  if (relative) return new Date(now.getTime() - Number(relative[1]) * UNITS[relative[2].toLowerCase()]).toISOString()
  if (ISO.test(text)) {
    // A date-time without a zone is read as UTC, as Okta does; a bare date is midnight UTC.
    const hasZone = /(?:Z|[+-]\d{2}:?\d{2})$/i.test(text) || !/[T ]/.test(text)
    const ms = Date.parse(hasZone ? text.replace(' ', 'T') : `${text.replace(' ', 'T')}Z`)
    if (Number.isFinite(ms)) return new Date(ms).toISOString()
  }

  throw usageError(`${flag} "${value}" is neither an ISO 8601 time nor a relative time.`, [
    'Use e.g. 2026-11-24T10:00:00Z, or 15m, 2h, 7d (minutes, hours, days before now)',
  ])
}

/** Checks since < until, with the flags named. */
export function checkWindow(since: string | undefined, until: string | undefined): void {
  if (since && until && Date.parse(since) >= Date.parse(until)) {
    throw usageError(`--since (${since}) must be before --until (${until}).`)
  }
}
