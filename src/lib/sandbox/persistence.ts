/**
 * --data FILE: the sandbox's hooks (with their write-only secrets: the file is 0600) and its
 * System Log, kept across restarts as an append-only journal of JSON lines:
 *
 *   {"sandbox":2,"adminUserId":"00u…"}      the header, first
 *   {"hook":{…}}                             a hook as it now is (created, updated, activated…)
 *   {"deleted":"who…"}                       a hook deleted
 *   {"event":{…}}                            a System Log event
 *
 * A hook change is written and fsynced before the API answers it: an acknowledged change survives
 * `kill -9`. Events are buffered and appended every `flushDelayMs` (50 ms) off the request path,
 * so the API never waits for a save, whatever the size of the log; a kill may lose the events of
 * the last ~100 ms. Nothing is ever rewritten while serving. At start the file is locked (one
 * sandbox per file), stale temporary files are removed, a torn last line is cut, and a journal
 * with many superseded hook lines (or a version-1 file) is compacted through a temporary file,
 * fsynced and renamed over the old one. No oclif here.
 */
import {
  constants,
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
  truncateSync,
  writeSync,
} from 'node:fs'
import {open} from 'node:fs/promises'
import {basename, dirname, join, resolve} from 'node:path'

import type {LogEvent} from '../delivery/envelope.js'
import {usageError} from '../errors.js'
import type {EventHook} from '../hooks/types.js'
import {acquireFileLock, type FileLock, takeoverNotice} from '../io/file-lock.js'
import {endOfLastLine, linesFromStart} from '../io/line-file.js'
import {OktaApiError, randomAlphanumeric} from './errors.js'

export const STATE_VERSION = 2
const LEGACY_VERSION = 1
/** Compact at start once this many hook lines are superseded by later ones. */
const COMPACT_AFTER_SUPERSEDED = 1000

export interface SandboxState {
  adminUserId: string
  events: LogEvent[]
  hooks: EventHook[]
}

/** A hook as it now is, or one deleted: what must be on disk before the API acknowledges it. */
export type HookChange = {deleted: string} | {hook: EventHook}

/**
 * How the journal writes to the file, opened for appending only (never created: a file deleted under it is a failure).
 */
export interface JournalIo {
  /** Appends and fsyncs before returning. */
  appendSync(file: string, text: string): void
  /** Appends, off the event loop. */
  append(file: string, text: string): Promise<void>
}

const APPEND_ONLY = constants.O_WRONLY | constants.O_APPEND

export const fileIo: JournalIo = {
  async append(file, text) {
    const handle = await open(file, APPEND_ONLY)
    try {
      await handle.writeFile(text)
    } finally {
      await handle.close()
    }
  },
  appendSync(file, text) {
    const fd = openSync(file, APPEND_ONLY)
    try {
      writeAll(fd, text)
      fsyncSync(fd)
    } finally {
      closeSync(fd)
    }
  },
}

function writeAll(fd: number, text: string): void {
  const bytes = Buffer.from(text, 'utf8')
  for (let written = 0; written < bytes.length;) written += writeSync(fd, bytes, written)
}

export interface JournalOptions {
  /** How long events wait in memory before they are appended (default 50 ms). */
  flushDelayMs?: number
  io?: JournalIo
  /** Whether a process runs (for the lock); replaced by tests. */
  isAlive?: (pid: number) => boolean
  /** A write failed: told once per failure, as it happens. */
  onError?: (message: string) => void
}

export function newAdminUserId(): string {
  return '00u' + randomAlphanumeric(17)
}

const line = (value: unknown) => JSON.stringify(value) + '\n'
/** The first line; `sandbox` first, as a reader checks the file's first bytes. */
const headerLine = (adminUserId: string) => line({sandbox: STATE_VERSION, adminUserId})

/** Why the sandbox cannot write its state: an Okta-style 500, so that the API never acknowledges an unsaved change. */
function saveFailed(file: string, error: Error): OktaApiError {
  return new OktaApiError(500, 'E0000009', 'Internal Server Error', [
    `The sandbox could not save this change to ${file} (${error.message}); nothing was changed`,
  ])
}

export class StateJournal {
  /** Every write that failed, as messages, in order. */
  readonly failures: string[] = []
  /**
   * What the user should know about opening the file: a lock taken over, temp files removed, a torn line cut, a
   * compaction.
   */
  readonly notices: string[] = []
  readonly state: SandboxState
  private closed = false
  private readonly io: JournalIo
  private pending: LogEvent[] = []
  private timer?: NodeJS.Timeout
  private writing?: Promise<void>

  private constructor(
    readonly file: string,
    private readonly lock: FileLock,
    private readonly options: JournalOptions,
  ) {
    this.io = options.io ?? fileIo
    this.state = {adminUserId: '', events: [], hooks: []}
  }

  /**
   * Opens (or creates) the journal: refuses, with a usage error (exit 2), a folder, a path that
   * cannot be written, a file that is not sandbox state, or a file another live sandbox holds.
   */
  static open(path: string, options: JournalOptions = {}): StateJournal {
    const file = resolve(path)
    prepareFolder(file)
    const lock = acquireFileLock(file, {isAlive: options.isAlive, what: '--data file'})
    const journal = new StateJournal(file, lock, options)
    try {
      const tookOver = takeoverNotice(lock, file)
      if (tookOver) journal.notices.push(tookOver)
      journal.removeStaleTemps()
      journal.load()
      checkWritable(file)
    } catch (error) {
      lock.release()
      throw error
    }

    return journal
  }

  /** Appends the buffered events now (and waits for a write already under way). */
  async flush(): Promise<void> {
    clearTimeout(this.timer)
    this.timer = undefined
    while (this.writing) await this.writing
    if (this.pending.length === 0) return
    const batch = this.pending
    this.pending = []
    this.writing = this.io
      .append(this.file, batch.map((event) => line({event})).join(''))
      .catch((error: Error) => {
        this.pending = [...batch, ...this.pending] // kept for the next try
        this.fail(`could not append ${batch.length} System Log event(s) to ${this.file}: ${error.message}`)
      })
      .finally(() => {
        this.writing = undefined
      })
    await this.writing
  }

  /** Writes what is buffered and lets go of the file. */
  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    await this.flush()
    this.lock.release()
  }

  /** A System Log event, appended within flushDelayMs, never on the request's path (dropped once closed). */
  recordEvent(event: LogEvent): void {
    if (this.closed) return
    this.pending.push(event)
    this.timer ??= setTimeout(() => void this.flush(), this.options.flushDelayMs ?? 50)
  }

  /**
   * A hook change, written and fsynced before returning; throws an Okta 500 (and changes nothing) when it cannot be.
   */
  recordHookChange(change: HookChange): void {
    try {
      this.io.appendSync(this.file, line(change))
    } catch (error) {
      this.fail(`could not save a hook change to ${this.file}: ${(error as Error).message}`)
      throw saveFailed(this.file, error as Error)
    }
  }

  private compact(): void {
    const temp = join(dirname(this.file), `.${basename(this.file)}.${process.pid}.${Date.now()}.tmp`)
    const fd = openSync(temp, 'w', 0o600)
    try {
      writeAll(fd, headerLine(this.state.adminUserId) + this.state.hooks.map((hook) => line({hook})).join(''))
      for (let i = 0; i < this.state.events.length; i += 1000) {
        writeAll(
          fd,
          this.state.events
            .slice(i, i + 1000)
            .map((event) => line({event}))
            .join(''),
        )
      }

      fsyncSync(fd)
    } catch (error) {
      closeSync(fd)
      rmSync(temp, {force: true})
      throw error
    }

    closeSync(fd)
    renameSync(temp, this.file)
    fsyncFolder(this.file)
  }

  private fail(message: string): void {
    this.failures.push(message)
    this.options.onError?.(message)
  }

  /** Reads the journal (or a version-1 file) into `state`; creates the file with its header when there is none. */
  private load(): void {
    if (!existsSync(this.file) || statSync(this.file).size === 0) {
      this.state.adminUserId = newAdminUserId()
      createFile(this.file, headerLine(this.state.adminUserId))
      return
    }

    if (!startsWith(this.file, '{"sandbox":')) {
      Object.assign(this.state, loadLegacy(this.file))
      this.compact()
      this.notices.push(`Converted ${this.file} to the append-only format of version ${STATE_VERSION}.`)
      return
    }

    const torn = this.cutTornTail()
    const superseded = this.readLines()
    if (superseded >= COMPACT_AFTER_SUPERSEDED) {
      this.compact()
      this.notices.push(`Compacted ${this.file} (${superseded} superseded hook lines).`)
    }

    if (torn)
      this.notices.push(
        `Cut a torn last line (${torn} bytes) from ${this.file}: the end of a write cut short by a crash.`,
      )
  }

  /** Applies every line to `state`; returns how many hook lines later ones superseded. */
  private readLines(): number {
    const hooks = new Map<string, EventHook>()
    let hookLines = 0
    let first = true
    for (const text of linesFromStart(this.file)) {
      let entry: {adminUserId?: string; deleted?: string; event?: LogEvent; hook?: EventHook; sandbox?: number}
      try {
        entry = JSON.parse(text.toString('utf8'))
      } catch {
        continue // not a line this file can have: skip it rather than lose the rest
      }

      if (first) {
        if (entry.sandbox !== STATE_VERSION || typeof entry.adminUserId !== 'string')
          throw notOurs(this.file, `version ${entry.sandbox}`)
        this.state.adminUserId = entry.adminUserId
        first = false
      } else if (entry.event) this.state.events.push(entry.event)
      else if (entry.hook?.id) {
        hooks.set(entry.hook.id, entry.hook)
        hookLines++
      } else if (typeof entry.deleted === 'string') {
        hooks.delete(entry.deleted)
        hookLines++
      }
    }

    this.state.hooks = [...hooks.values()]
    return hookLines - hooks.size
  }

  /**
   * A last line without its newline is the end of a write a crash cut short: it goes, so the next line starts clean.
   */
  private cutTornTail(): number {
    const size = statSync(this.file).size
    const end = endOfLastLine(this.file)
    if (end === size) return 0
    truncateSync(this.file, end)
    return size - end
  }

  /** Temporary files of a compaction a crash interrupted (the lock says no live sandbox is writing one). */
  private removeStaleTemps(): void {
    const prefix = `.${basename(this.file)}.`
    const stale = readdirSync(dirname(this.file)).filter((name) => name.startsWith(prefix) && name.endsWith('.tmp'))
    for (const name of stale) rmSync(join(dirname(this.file), name), {force: true})
    if (stale.length > 0) this.notices.push(`Removed ${stale.length} stale temporary file(s) next to ${this.file}.`)
  }
}

function notOurs(file: string, detail: string): Error {
  return new Error(`${file} is not a sandbox data file (${detail}); move it away or pick another --data file`)
}

function startsWith(file: string, text: string): boolean {
  const fd = openSync(file, 'r')
  try {
    const head = Buffer.alloc(text.length)
    readSync(fd, head, 0, head.length, 0)
    return head.toString('utf8') === text
  } finally {
    closeSync(fd)
  }
}

/** A version-1 file: one JSON document {adminUserId, events, hooks, version: 1}. */
function loadLegacy(file: string): SandboxState {
  let state: Partial<SandboxState> & {version?: number}
  try {
    state = JSON.parse(readFileSync(file, 'utf8'))
  } catch (error) {
    throw notOurs(file, (error as Error).message)
  }

  if (
    state?.version !== LEGACY_VERSION ||
    !Array.isArray(state.hooks) ||
    !Array.isArray(state.events) ||
    typeof state.adminUserId !== 'string'
  ) {
    throw notOurs(file, `not version ${STATE_VERSION} nor ${LEGACY_VERSION}`)
  }

  return {adminUserId: state.adminUserId, events: state.events, hooks: state.hooks}
}

function prepareFolder(file: string): void {
  try {
    mkdirSync(dirname(file), {mode: 0o700, recursive: true})
  } catch (error) {
    throw usageError(`Cannot keep the sandbox state in ${file}: ${(error as Error).message}.`, [
      'Give --data a file in a folder you can write',
    ])
  }

  if (existsSync(file) && statSync(file).isDirectory()) {
    throw usageError(`--data ${file} is a folder; it must be a file.`, [`e.g. --data ${join(file, 'sandbox.ndjson')}`])
  }
}

function createFile(file: string, text: string): void {
  try {
    const fd = openSync(file, 'w', 0o600)
    try {
      writeAll(fd, text)
      fsyncSync(fd)
    } finally {
      closeSync(fd)
    }
  } catch (error) {
    throw usageError(`Cannot write the sandbox state to ${file}: ${(error as Error).message}.`, [
      'Give --data a file you can write',
    ])
  }

  fsyncFolder(file)
}

function checkWritable(file: string): void {
  try {
    closeSync(openSync(file, APPEND_ONLY))
  } catch (error) {
    throw usageError(`Cannot write the sandbox state to ${file}: ${(error as Error).message}.`, [
      'Give --data a file you can write',
    ])
  }
}

function fsyncFolder(file: string): void {
  try {
    const dir = openSync(dirname(file), 'r')
    try {
      fsyncSync(dir)
    } finally {
      closeSync(dir)
    }
  } catch {
    // Some platforms cannot fsync a directory; the rename is still atomic.
  }
}
