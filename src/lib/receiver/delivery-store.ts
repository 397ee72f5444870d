/**
 * The local record of everything `listen` received and answered: one JSON object per line
 * (NDJSON), appended with a single write per exchange, so a crash can at worst leave one torn
 * last line, which reading skips. Headers are masked and known secrets redacted before they are
 * written: nothing secret is stored at rest.
 */
import {randomBytes} from 'node:crypto'
import {appendFileSync, chmodSync, existsSync, mkdirSync, readFileSync, rmSync, statSync} from 'node:fs'
import {dirname, join} from 'node:path'

import {notFoundError, usageError} from '../errors.js'

export const STORE_FILE = 'deliveries.ndjson'

/** What kind of exchange a record is. */
export type ExchangeKind = 'delivery' | 'other' | 'verification'

export interface RecordedRequest {
  /** Body as received (UTF-8), absent when it was refused for its size. */
  body?: string
  bodyBytes: number
  /** Masked: auth header values never reach the disk. */
  headers: Record<string, string>
  method: string
  /** Path and query, as received. */
  path: string
  remoteAddress?: string
}

export interface RecordedResponse {
  body: string
  headers: Record<string, string>
  status: number
}

export interface ForwardOutcome {
  error?: string
  latencyMs: number
  status?: number
  url: string
  /** Whether the app answered within Okta's 3 s budget. */
  withinBudget: boolean
}

export interface DeliveryRecord {
  /** Whether the expected auth header was present and right: ok, missing, wrong, or none when no auth was configured. */
  auth: 'missing' | 'none' | 'ok' | 'wrong'
  /** For deliveries: the envelope's eventId, events and their types. */
  delivery?: {eventId?: string; events: number; eventTypes: string[]}
  forward?: ForwardOutcome
  id: string
  kind: ExchangeKind
  /** Time from the request's arrival to the end of the answer. */
  latencyMs: number
  /** Why the receiver refused or flagged it (BODY_TOO_LARGE, MALFORMED_JSON, NOT_AN_ENVELOPE, UNAUTHORIZED, ...). */
  problem?: {code: string; message: string}
  receivedAt: string
  request: RecordedRequest
  response: RecordedResponse
  version: 1
}

/** A short id that sorts by time: base36 milliseconds plus random characters. */
export function newRecordId(now = Date.now()): string {
  return now.toString(36) + randomBytes(3).toString('hex')
}

export function defaultStorePath(dataDir: string): string {
  return join(dataDir, STORE_FILE)
}

export class DeliveryStore {
  constructor(readonly path: string) {}

  /** Appends one record as one line, in one write (O_APPEND), creating a private file and folder. */
  append(record: DeliveryRecord): void {
    const dir = dirname(this.path)
    if (!existsSync(dir)) mkdirSync(dir, {mode: 0o700, recursive: true})
    const fresh = !existsSync(this.path)
    appendFileSync(this.path, JSON.stringify(record) + '\n', {encoding: 'utf8', mode: 0o600})
    if (fresh) {
      try {
        chmodSync(this.path, 0o600)
      } catch {
        // best effort on filesystems without modes
      }
    }
  }

  /** Removes every record; returns how many there were. */
  clear(): number {
    const count = this.readAll().length
    rmSync(this.path, {force: true})
    return count
  }

  exists(): boolean {
    return existsSync(this.path)
  }

  /**
   * One record by id, or by a unique prefix of one (at least 4 characters), or `last` for the newest.
   */
  get(idOrPrefix: string): DeliveryRecord {
    const records = this.readAll()
    if (idOrPrefix === 'last' || idOrPrefix === 'latest') {
      const last = records.at(-1)
      if (!last) throw notFoundError(`No deliveries recorded in ${this.path}.`, ['Run `okta-hooks listen` and send it something'])
      return last
    }

    const exact = records.find((record) => record.id === idOrPrefix)
    if (exact) return exact
    const matches = idOrPrefix.length >= 4 ? records.filter((record) => record.id.startsWith(idOrPrefix)) : []
    if (matches.length === 1) return matches[0]
    if (matches.length > 1) {
      throw usageError(`"${idOrPrefix}" matches ${matches.length} deliveries.`, ['Give more characters of the id (see `okta-hooks deliveries list`)'])
    }

    throw notFoundError(`No delivery "${idOrPrefix}" in ${this.path}.`, ['See the ids with `okta-hooks deliveries list`'])
  }

  /** Every readable record, oldest first; a torn or foreign line is skipped, never fatal. */
  readAll(): DeliveryRecord[] {
    let text: string
    try {
      if (statSync(this.path).isDirectory()) throw usageError(`${this.path} is a folder; the delivery store must be a file.`, ['Give a file path to --record'])
      text = readFileSync(this.path, 'utf8')
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return []
      throw error
    }

    const records: DeliveryRecord[] = []
    for (const line of text.split('\n')) {
      if (!line.trim()) continue
      try {
        const record = JSON.parse(line) as DeliveryRecord
        if (record && typeof record === 'object' && typeof record.id === 'string' && record.request && record.response) records.push(record)
      } catch {
        // a line torn by a crash mid-write: skip it
      }
    }

    return records
  }
}
