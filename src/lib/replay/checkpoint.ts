/**
 * The replay checkpoint: where in the System Log window a replay is, and which events of the
 * current page were already acknowledged by the receiver, so that a resumed run sends again at
 * most the batches that were in flight when the previous one stopped.
 *
 * The file is NDJSON. Its first line is the state (query fingerprint, cursor = URL of the page
 * being delivered, counts, done); each following line records one acknowledged batch
 * (`{"a": [uuid, ...], "f": 0|1}`), appended with one write as soon as the receiver answers, so a
 * crash or SIGKILL loses nothing that was acknowledged. When a page is finished, the whole file is
 * rewritten atomically (temp file + rename) with the next page's cursor and no ack lines. A torn
 * last line (a crash mid-write) is ignored.
 */
import {createHash} from 'node:crypto'
import {closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, writeFileSync, writeSync} from 'node:fs'

import {usageError} from '../errors.js'
import type {LogEvent} from '../delivery/envelope.js'

export const CHECKPOINT_FORMAT = 'okta-hooks-replay-checkpoint/1'

export interface ReplayCounts {
  delivered: number
  failed: number
  fetched: number
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
}

/** Each event's key: its uuid (a hash of the event when it has none). */
export function eventKey(event: LogEvent): string {
  if (typeof event.uuid === 'string' && event.uuid) return event.uuid
  return 'sha1:' + createHash('sha1').update(JSON.stringify(event)).digest('hex')
}

export class Checkpoint {
  /** Keys acknowledged on the current page (from the file on resume, then as acks come in). */
  readonly acked = new Set<string>()
  private fd?: number

  private constructor(
    readonly path: string,
    public state: CheckpointState,
    readonly resumed: boolean,
  ) {}

  /** Opens (and on resume, reads) the checkpoint for this query. A checkpoint of another query is refused. */
  static open(path: string, query: string): Checkpoint {
    if (!existsSync(path)) {
      const checkpoint = new Checkpoint(path, {counts: {delivered: 0, failed: 0, fetched: 0}, cursor: null, done: false, format: CHECKPOINT_FORMAT, query, updated: new Date().toISOString()}, false)
      checkpoint.rewrite()
      return checkpoint
    }

    const lines = readFileSync(path, 'utf8').split('\n')
    let state: CheckpointState
    try {
      state = JSON.parse(lines[0])
    } catch {
      throw usageError(`--checkpoint ${path} is not an okta-hooks replay checkpoint.`, ['Give a new file name, or delete this one to start over'])
    }

    if (state?.format !== CHECKPOINT_FORMAT) throw usageError(`--checkpoint ${path} is not an okta-hooks replay checkpoint.`)
    if (state.query !== query) {
      throw usageError(`--checkpoint ${path} belongs to another replay (window or filter differ).`, [
        'Resume with the same --since, --until, --filter, --q and --event-type, or use a new checkpoint file',
      ])
    }

    const checkpoint = new Checkpoint(path, state, true)
    for (const line of lines.slice(1)) {
      if (!line.trim()) continue
      let record: {a?: string[]; f?: number; r?: number}
      try {
        record = JSON.parse(line)
      } catch {
        continue // torn last line
      }

      for (const key of record.a ?? []) checkpoint.acked.add(key)
      if (record.r) continue // carried over by an earlier resume: already in the counts
      const n = record.a?.length ?? 0
      if (record.f) state.counts.failed += n
      else state.counts.delivered += n
    }

    checkpoint.rewrite()
    return checkpoint
  }

  /** Records one acknowledged (or, with failed, given-up-and-recorded) batch at once. */
  ack(keys: string[], failed = false): void {
    for (const key of keys) this.acked.add(key)
    this.fd ??= openSync(this.path, 'a')
    writeSync(this.fd, JSON.stringify({a: keys, ...(failed ? {f: 1} : {})}) + '\n')
  }

  /** The page at `cursor` is finished: move on to `next` (or mark the replay done when there is none). */
  advance(next: string | undefined, counts: ReplayCounts): void {
    this.acked.clear()
    this.state = {...this.state, counts: {...counts}, cursor: next ?? this.state.cursor, done: !next, updated: new Date().toISOString()}
    this.rewrite()
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd)
    this.fd = undefined
  }

  /** Sets the cursor of the page now being delivered (the first page of a fresh run). */
  start(cursor: string, counts: ReplayCounts): void {
    if (this.state.cursor === cursor) return
    this.state = {...this.state, counts: {...counts}, cursor, updated: new Date().toISOString()}
    this.rewrite()
  }

  /** The state line, plus the current page's acks as one carried-over line, written atomically. */
  private rewrite(): void {
    this.close()
    const temp = `${this.path}.${process.pid}.tmp`
    const lines = [JSON.stringify(this.state), ...(this.acked.size > 0 ? [JSON.stringify({a: [...this.acked], r: 1})] : [])]
    writeFileSync(temp, lines.join('\n') + '\n')
    const fd = openSync(temp, 'r')
    try {
      fsyncSync(fd)
    } finally {
      closeSync(fd)
    }

    renameSync(temp, this.path)
  }
}
