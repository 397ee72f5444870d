/**
 * --data FILE: the sandbox's hooks (with their write-only secrets: the file is 0600) and its
 * System Log, kept across restarts. Every save writes a temporary file in the same directory,
 * fsyncs it, renames it over the old one and fsyncs the directory, so a crash at any moment
 * leaves either the old state or the new one, never a torn file.
 */
import {closeSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, writeSync} from 'node:fs'
import {basename, dirname, join} from 'node:path'

import type {LogEvent} from '../delivery/envelope.js'
import type {EventHook} from '../hooks/types.js'

export const STATE_VERSION = 1

export interface SandboxState {
  adminUserId: string
  events: LogEvent[]
  hooks: EventHook[]
  version: typeof STATE_VERSION
}

/** The saved state, undefined when the file does not exist yet; throws on a file that is not ours. */
export function loadState(file: string): SandboxState | undefined {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw error
  }

  let state: SandboxState
  try {
    state = JSON.parse(text)
  } catch (error) {
    throw new Error(`${file} is not a sandbox data file (${(error as Error).message}); move it away or pick another --data file`)
  }

  if (state?.version !== STATE_VERSION || !Array.isArray(state.hooks) || !Array.isArray(state.events)) {
    throw new Error(`${file} is not a sandbox data file of version ${STATE_VERSION}; move it away or pick another --data file`)
  }

  return state
}

export function saveStateAtomic(file: string, state: SandboxState): void {
  const temp = join(dirname(file), `.${basename(file)}.${process.pid}.${Date.now()}.tmp`)
  const fd = openSync(temp, 'w', 0o600)
  try {
    writeSync(fd, JSON.stringify(state))
    fsyncSync(fd)
  } catch (error) {
    closeSync(fd)
    rmSync(temp, {force: true})
    throw error
  }

  closeSync(fd)
  renameSync(temp, file)
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

/** Coalesces saves: at most one write in flight, the latest state wins, `flush()` writes now. */
export class StateSaver {
  private dirty = false
  private timer?: NodeJS.Timeout

  constructor(
    private readonly file: string,
    private readonly snapshot: () => SandboxState,
    private readonly delayMs = 50,
    private readonly onError: (error: Error) => void = () => {},
  ) {}

  /** Writes now if anything changed (or always, with `force`). */
  flush(force = false): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = undefined
    if (!this.dirty && !force) return
    this.dirty = false
    try {
      saveStateAtomic(this.file, this.snapshot())
    } catch (error) {
      this.onError(error as Error)
    }
  }

  schedule(): void {
    this.dirty = true
    this.timer ??= setTimeout(() => this.flush(), this.delayMs)
  }
}
