/**
 * The local record of everything `listen` received and answered: one JSON object per line
 * (NDJSON), appended with a single write per exchange, so a crash can at worst leave one torn
 * last line, which reading skips. Headers are masked and known secrets redacted before they are
 * written: nothing secret is stored at rest.
 *
 * The record is capped (100 MiB by default): the append that would pass the cap first renames the
 * file to `<file>.1` (replacing an older one) and starts a new one. Reading goes from the end of
 * the file, then on into `<file>.1`, a chunk at a time: the newest records, `last` and an id cost
 * the same whatever the size; a prefix lookup scans both files in constant memory.
 *
 * Each record gets a number `n` as it is appended (1, 2, 3… in the order written, carried on
 * across rotation, from 1 again after a clear): what `deliveries list` shows and what
 * `deliveries replay 3..7` selects. Numbers never move when new records arrive.
 */
import {randomBytes} from 'node:crypto'
import {
  appendFileSync,
  chmodSync,
  closeSync,
  existsSync,
  fstatSync,
  mkdirSync,
  openSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs'
import {dirname, join} from 'node:path'

import {notFoundError, usageError} from '../errors.js'
import {countLines, linesFromEnd} from '../io/line-file.js'

export const STORE_FILE = 'deliveries.ndjson'
/** Default cap of the record before it rotates to `<file>.1`. */
export const DEFAULT_RECORD_MAX_BYTES = 100 * 1024 * 1024

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
  /**
   * Whether the expected auth header was present and right: ok, missing, wrong, or none when no auth was configured.
   */
  auth: 'missing' | 'none' | 'ok' | 'wrong'
  /** For deliveries: the envelope's eventId, events and their types. */
  delivery?: {eventId?: string; events: number; eventTypes: string[]}
  forward?: ForwardOutcome
  id: string
  kind: ExchangeKind
  /** Time from the request's arrival to the end of the answer. */
  latencyMs: number
  /** Its number in the record, set by append() (absent in records written before numbering). */
  n?: number
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

/** A record line as a DeliveryRecord, or undefined for a torn or foreign line. */
function parseRecord(line: Buffer): DeliveryRecord | undefined {
  try {
    const record = JSON.parse(line.toString('utf8')) as DeliveryRecord
    if (record && typeof record === 'object' && typeof record.id === 'string' && record.request && record.response)
      return record
  } catch {
    // a line torn by a crash mid-write: skip it
  }

  return undefined
}

/** Ids are base36 and hex: anything else cannot match one (and could not be searched for as JSON text). */
const ID_TEXT = /^[\w-]+$/

export interface DeliveryStoreOptions {
  /** Rotate to `<file>.1` before the file would pass this many bytes (default 100 MiB). */
  maxBytes?: number
}

export class DeliveryStore {
  readonly maxBytes: number
  /** The number the next appended record gets, once known (read from the newest record on first append). */
  private nextNumber?: number
  /** Bytes in the current file, as this process knows it (set when it first writes). */
  private size?: number

  constructor(
    readonly path: string,
    options: DeliveryStoreOptions = {},
  ) {
    this.maxBytes = options.maxBytes ?? DEFAULT_RECORD_MAX_BYTES
  }

  /** The older file the record rotates to. */
  get rotatedPath(): string {
    return `${this.path}.1`
  }

  /**
   * Appends one record as one line, in one write (O_APPEND), creating a private file and folder;
   * rotates at the cap. Numbers the record first: sets `record.n`, so that whoever holds it (the
   * receiver's listeners) sees the number too.
   */
  append(record: DeliveryRecord): void {
    record.n = this.takeNumber()
    const line = JSON.stringify(record) + '\n'
    const bytes = Buffer.byteLength(line)
    const dir = dirname(this.path)
    if (!existsSync(dir)) mkdirSync(dir, {mode: 0o700, recursive: true})
    this.size ??= existsSync(this.path) ? statSync(this.path).size : 0
    if (this.size > 0 && this.size + bytes > this.maxBytes) this.rotate(bytes)
    const fresh = !existsSync(this.path)
    appendFileSync(this.path, line, {encoding: 'utf8', mode: 0o600})
    this.size += bytes
    if (fresh) {
      try {
        chmodSync(this.path, 0o600)
      } catch {
        // best effort on filesystems without modes
      }
    }
  }

  /** Removes every record, the rotated file's too; returns how many there were. Works at any size. */
  clear(): number {
    const count = this.count()
    for (const file of [this.path, this.rotatedPath]) rmSync(file, {force: true})
    this.size = 0
    this.nextNumber = undefined
    return count
  }

  /**
   * How many records there are, the rotated file's included: lines of JSON objects, counted unparsed (but read:
   * O(size)).
   */
  count(): number {
    return this.files().reduce((sum, file) => sum + countLines(file, {startingWith: '{'}), 0)
  }

  exists(): boolean {
    return existsSync(this.path) || existsSync(this.rotatedPath)
  }

  /**
   * One record by id, or by a unique prefix of one (at least 4 characters), or `last` for the newest.
   */
  get(idOrPrefix: string): DeliveryRecord {
    if (idOrPrefix === 'last' || idOrPrefix === 'latest') {
      const last = this.newestFirst().next()
      if (last.done)
        throw notFoundError(`No deliveries recorded in ${this.path}.`, [
          'Run `okta-hooks listen` and send it something',
        ])
      return last.value
    }

    const notFound = () =>
      notFoundError(`No delivery "${idOrPrefix}" in ${this.path}.`, ['See the ids with `okta-hooks deliveries list`'])
    if (!ID_TEXT.test(idOrPrefix)) throw notFound()
    const needle = Buffer.from(`"id":"${idOrPrefix}`)
    let first: DeliveryRecord | undefined
    let matches = 0
    for (const record of this.newestFirst(needle)) {
      if (record.id === idOrPrefix) return record
      if (idOrPrefix.length >= 4 && record.id.startsWith(idOrPrefix)) {
        first ??= record
        matches++
      }
    }

    if (matches === 1) return first!
    if (matches > 1) {
      throw usageError(`"${idOrPrefix}" matches ${matches} deliveries.`, [
        'Give more characters of the id (see `okta-hooks deliveries list`)',
      ])
    }

    throw notFound()
  }

  /**
   * The records numbered `numbers` (see append), newest first; numbers no record has are left out.
   * Reads from the end and stops at the oldest number asked for: the cost is that of the records
   * written since.
   */
  byNumbers(numbers: Iterable<number>): DeliveryRecord[] {
    const wanted = new Set(numbers)
    const oldest = Math.min(...wanted)
    const found: DeliveryRecord[] = []
    const records = this.newestFirst()
    for (const record of records) {
      if (record.n === undefined) continue
      if (wanted.has(record.n)) found.push(record)
      if (record.n <= oldest || found.length === wanted.size) {
        records.return(undefined)
        break
      }
    }

    return found
  }

  /**
   * The newest `limit` records (0: all), oldest first, each as `pick` makes it (keep little of
   * each when there can be many), and whether older ones exist. Reads from the end: the cost is
   * that of the records returned, whatever the size of the file.
   */
  newest<T>(limit: number, pick: (record: DeliveryRecord) => T): {items: T[]; more: boolean} {
    const items: T[] = []
    const records = this.newestFirst()
    for (const record of records) {
      if (limit > 0 && items.length === limit) {
        records.return(undefined)
        return {items: items.reverse(), more: true}
      }

      items.push(pick(record))
    }

    return {items: items.reverse(), more: false}
  }

  /**
   * Every readable record, newest first, the rotated file after the current one; a torn or foreign
   * line is skipped, never fatal. With `containing`, only lines with those bytes are parsed.
   */
  *newestFirst(containing?: Buffer): Generator<DeliveryRecord> {
    for (const file of this.files()) {
      for (const line of linesFromEnd(file, {containing})) {
        const record = parseRecord(line)
        if (record) yield record
      }
    }
  }

  /** Every readable record, oldest first (all in memory: for small records and tests). */
  readAll(): DeliveryRecord[] {
    return this.newest(0, (record) => record).items
  }

  /**
   * Makes sure records can be written here, before listening: a file (not a folder) in a folder
   * that exists or can be made, open for appending. Throws a usage error (exit 2) saying why not.
   */
  prepare(): void {
    try {
      mkdirSync(dirname(this.path), {mode: 0o700, recursive: true})
      if (existsSync(this.path) && statSync(this.path).isDirectory())
        throw Object.assign(new Error('a folder'), {code: 'EISDIR'})
      const fd = openSync(this.path, 'a', 0o600)
      this.size = fstatSync(fd).size
      closeSync(fd)
    } catch (error) {
      const folder = (error as NodeJS.ErrnoException).code === 'EISDIR'
      const reason = folder ? 'it is a folder, and the record must be a file' : (error as Error).message
      throw usageError(`Cannot record to ${this.path}: ${reason}.`, [
        'Give --record a file in a folder you can write, e.g. --record ./deliveries.ndjson',
      ])
    }
  }

  /** The next record's number: one more than the newest record's (1 for an empty record, or one written before numbering). */
  private takeNumber(): number {
    if (this.nextNumber === undefined) {
      const newest = this.newestFirst().next()
      this.nextNumber = (newest.done ? 0 : (newest.value.n ?? 0)) + 1
    }

    return this.nextNumber++
  }

  /** The files to read, newest first, that exist. */
  private files(): string[] {
    try {
      if (statSync(this.path).isDirectory())
        throw usageError(`${this.path} is a folder; the delivery store must be a file.`, [
          'Give a file path to --record',
        ])
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
    }

    return [this.path, this.rotatedPath].filter((file) => existsSync(file))
  }

  /**
   * Moves the current file to `<file>.1`, unless it is in fact smaller than this process thought (another writer
   * cleared it).
   */
  private rotate(incoming: number): void {
    const actual = existsSync(this.path) ? statSync(this.path).size : 0
    if (actual === 0 || actual + incoming <= this.maxBytes) {
      this.size = actual
      return
    }

    renameSync(this.path, this.rotatedPath)
    this.size = 0
  }
}
