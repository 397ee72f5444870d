/**
 * The replay checkpoint: where in the System Log window a replay is, and which events of the
 * current page were already acknowledged by the receiver, so that a resumed run sends again at
 * most the batches that were in flight when the previous one stopped.
 *
 * The file is NDJSON. Its first line is the state (query fingerprint, cursor = URL of the page
 * being delivered, counts, done); each following line records one answered batch
 * (`{"a": [uuid, ...]}` when accepted, with `"v": "rejected"` or `"v": "failed"` when not),
 * appended with one write as soon as the receiver answers, so a crash or SIGKILL loses nothing
 * that was acknowledged. When a page is finished, the whole file is rewritten atomically (temp
 * file + rename) with the next page's cursor and no ack lines. A torn last line (a crash
 * mid-write) is ignored.
 *
 * The state keeps the window as resolved at the first run and as typed (`--since 24h --until 1h`),
 * so that the same command run again later resumes that window rather than a shifted one. One
 * process at a time: the file is locked (`<path>.lock`) while a run has it open.
 */
import {createHash} from 'node:crypto'
import {closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, writeFileSync, writeSync} from 'node:fs'

import type {LogEvent} from '../delivery/envelope.js'
import type {Verdict} from '../delivery/http-delivery.js'
import {usageError} from '../errors.js'
import {acquireFileLock, type FileLock, takeoverNotice} from '../io/file-lock.js'
import type {LogQuery} from '../syslog/pager.js'
import {type ExcludedCounts, NO_EXCLUSIONS} from './selection.js'

export const CHECKPOINT_FORMAT = 'okta-hooks-replay-checkpoint/1'

/** Events by Okta's verdict on their delivery, how many were fetched, and those not sent by why. */
export interface ReplayCounts extends ExcludedCounts {
  accepted: number
  failed: number
  fetched: number
  rejected: number
}

/**
 * Counts as stored: older checkpoints say `delivered` for accepted, count rejected events as failed, and exclude
 * nothing.
 */
function readCounts(stored: Partial<ReplayCounts> & {delivered?: number}): ReplayCounts {
  const {accepted, delivered, failed, fetched, rejected} = stored
  const excluded = Object.fromEntries(
    Object.keys(NO_EXCLUSIONS).map((name) => [name, stored[name as keyof ExcludedCounts] ?? 0]),
  ) as unknown as ExcludedCounts
  return {
    accepted: accepted ?? delivered ?? 0,
    failed: failed ?? 0,
    fetched: fetched ?? 0,
    rejected: rejected ?? 0,
    ...excluded,
  }
}

export interface CheckpointState {
  counts: ReplayCounts
  /** URL of the page being delivered; null before the first page is known. */
  cursor: null | string
  done: boolean
  format: typeof CHECKPOINT_FORMAT
  /** Fingerprint of the query: a checkpoint resumes only the same window and filter. */
  query: string
  updated: string
  /** The window: resolved at the first run, and as typed (absent in checkpoints of older versions). */
  window?: CheckpointWindow
}

export interface CheckpointWindow {
  /** --since and --until as typed: relative ones (24h) are resolved once, at the first run. */
  given: {since: string; until: string}
  since: string
  until: string
}

export interface OpenOptions {
  /** --since and --until as typed. */
  given?: {since: string; until: string}
  /** Whether a process runs (the lock's stale check); replaced by tests. */
  isAlive?: (pid: number) => boolean
  /** The query with the window resolved now. */
  query: LogQuery
  /** The key of the selection of events sent (absent when every event is: what older checkpoints did). */
  selection?: string
}

/** The fingerprint a checkpoint is bound to: the query, and which of its events are sent. */
export function queryFingerprint(query: LogQuery, selection?: string): string {
  return JSON.stringify({
    filter: query.filter ?? null,
    q: query.q ?? null,
    since: query.since ?? null,
    until: query.until ?? null,
    ...(selection === undefined ? {} : {selection}),
  })
}

/** Each event's key: its uuid (a hash of the event when it has none). */
export function eventKey(event: LogEvent): string {
  if (typeof event.uuid === 'string' && event.uuid) return event.uuid
  return 'sha1:' + createHash('sha1').update(JSON.stringify(event)).digest('hex')
}

export class Checkpoint {
  /** Keys acknowledged on the current page (from the file on resume, then as acks come in). */
  readonly acked = new Set<string>()
  /** Said once the file is open: a stale lock taken over, a relative window resumed. */
  readonly notices: string[] = []
  private fd?: number

  private constructor(
    readonly path: string,
    public state: CheckpointState,
    readonly resumed: boolean,
    private readonly lock: FileLock,
  ) {}

  /** The window to replay: the checkpoint's own (as resolved at its first run). */
  get window(): {since: string; until: string} {
    const {since, until} = this.state.window as CheckpointWindow
    return {since, until}
  }

  /**
   * Locks and opens (on resume, reads) the checkpoint for this query. A checkpoint of another
   * query is refused, and so is one another live run holds (exit 2, naming its pid).
   */
  static open(path: string, options: OpenOptions): Checkpoint {
    const lock = acquireFileLock(path, {isAlive: options.isAlive, what: 'checkpoint'})
    try {
      const checkpoint = Checkpoint.read(path, options, lock)
      const notice = takeoverNotice(lock, path)
      if (notice) checkpoint.notices.unshift(notice)
      return checkpoint
    } catch (error) {
      lock.release()
      throw error
    }
  }

  private static read(path: string, options: OpenOptions, lock: FileLock): Checkpoint {
    const {query} = options
    const window: CheckpointWindow = {
      given: options.given ?? {since: query.since ?? '', until: query.until ?? ''},
      since: query.since ?? '',
      until: query.until ?? '',
    }
    if (!existsSync(path)) {
      const state: CheckpointState = {
        counts: {accepted: 0, failed: 0, fetched: 0, rejected: 0, ...NO_EXCLUSIONS},
        cursor: null,
        done: false,
        format: CHECKPOINT_FORMAT,
        query: queryFingerprint(query, options.selection),
        updated: new Date().toISOString(),
        window,
      }
      const checkpoint = new Checkpoint(path, state, false, lock)
      checkpoint.rewrite()
      return checkpoint
    }

    const lines = readFileSync(path, 'utf8').split('\n')
    let state: CheckpointState
    try {
      state = JSON.parse(lines[0])
    } catch {
      throw usageError(`--checkpoint ${path} is not an okta-hooks replay checkpoint.`, [
        'Give a new file name, or delete this one to start over',
      ])
    }

    if (state?.format !== CHECKPOINT_FORMAT)
      throw usageError(`--checkpoint ${path} is not an okta-hooks replay checkpoint.`)
    const checkpoint = new Checkpoint(
      path,
      {...state, counts: readCounts(state.counts ?? {}), window: state.window ?? window},
      true,
      lock,
    )
    checkpoint.checkSameReplay(window, query, options.selection)
    checkpoint.readAcks(lines.slice(1))
    checkpoint.rewrite()
    return checkpoint
  }

  /**
   * The same replay: the same query as resolved now, or the same command typed again (the same
   * --since/--until text, relative ones included) for the window the checkpoint resolved.
   */
  private checkSameReplay(window: CheckpointWindow, query: LogQuery, selection: string | undefined): void {
    const own = this.state.window as CheckpointWindow
    if (this.state.query === queryFingerprint(query, selection)) return
    const sameTyped = own.given.since === window.given.since && own.given.until === window.given.until
    const resolved = {...query, since: own.since, until: own.until}
    if (sameTyped && this.state.query === queryFingerprint(resolved, selection)) {
      this.notices.push(
        `Resuming --checkpoint ${this.path}: the window ${own.since} to ${own.until}, which ` +
          `--since ${own.given.since} --until ${own.given.until} meant at its first run.`,
      )
      return
    }

    throw usageError(
      `--checkpoint ${this.path} belongs to another replay: ${describeWindow(own)}, not ${describeWindow(window)} ` +
        `(or the filter, or which events are sent, differs).`,
      [
        `Resume it with the command that made it (--since ${own.given.since} --until ` +
          `${own.given.until}, the same --filter, --q, --event-type, --ignore-filters or --routed-only, and ` +
          `the same hook filters), or use a new checkpoint file`,
      ],
    )
  }

  private readAcks(lines: string[]): void {
    const {counts} = this.state
    for (const line of lines) {
      if (!line.trim()) continue
      let record: {a?: string[]; f?: number; r?: number; v?: Verdict}
      try {
        record = JSON.parse(line)
      } catch {
        continue // torn last line
      }

      for (const key of record.a ?? []) this.acked.add(key)
      if (record.r) continue // carried over by an earlier resume: already in the counts
      const n = record.a?.length ?? 0
      if (record.v === 'rejected') counts.rejected += n
      else if (record.v === 'failed' || record.f) counts.failed += n
      else counts.accepted += n
    }
  }

  /** Records one answered batch at once: accepted, or rejected or failed (and recorded in --failures). */
  ack(keys: string[], verdict: Verdict = 'accepted'): void {
    for (const key of keys) this.acked.add(key)
    this.fd ??= openSync(this.path, 'a')
    writeSync(this.fd, JSON.stringify({a: keys, ...(verdict === 'accepted' ? {} : {v: verdict})}) + '\n')
  }

  /** The page at `cursor` is finished: move on to `next` (or mark the replay done when there is none). */
  advance(next: string | undefined, counts: ReplayCounts): void {
    this.acked.clear()
    this.state = {
      ...this.state,
      counts: {...counts},
      cursor: next ?? this.state.cursor,
      done: !next,
      updated: new Date().toISOString(),
    }
    this.rewrite()
  }

  /** Closes the file and releases its lock. */
  close(): void {
    this.closeFd()
    this.lock.release()
  }

  /** Sets the cursor of the page now being delivered (the first page of a fresh run). */
  start(cursor: string, counts: ReplayCounts): void {
    if (this.state.cursor === cursor) return
    this.state = {...this.state, counts: {...counts}, cursor, updated: new Date().toISOString()}
    this.rewrite()
  }

  /** The state line, plus the current page's acks as one carried-over line, written atomically. */
  private rewrite(): void {
    this.closeFd()
    const temp = `${this.path}.${process.pid}.tmp`
    const lines = [
      JSON.stringify(this.state),
      ...(this.acked.size > 0 ? [JSON.stringify({a: [...this.acked], r: 1})] : []),
    ]
    writeFileSync(temp, lines.join('\n') + '\n')
    const fd = openSync(temp, 'r')
    try {
      fsyncSync(fd)
    } finally {
      closeSync(fd)
    }

    renameSync(temp, this.path)
  }

  private closeFd(): void {
    if (this.fd !== undefined) closeSync(this.fd)
    this.fd = undefined
  }
}

function describeWindow(window: CheckpointWindow): string {
  const typed =
    window.given.since === window.since && window.given.until === window.until
      ? ''
      : ` (--since ${window.given.since} --until ${window.given.until})`
  return `${window.since} to ${window.until}${typed}`
}
