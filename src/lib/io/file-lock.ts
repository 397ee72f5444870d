/**
 * An advisory lock on a file that one okta-hooks process writes (a replay checkpoint, a sandbox
 * --data file, a listen --record): `<path>.lock`, created exclusively (O_EXCL), holding the
 * owner's pid, host and start time. A second live process is refused naming the owner's pid; a
 * lock left by a process that no longer runs (on this host) is taken over, and the caller is told.
 * Released on release() and, as a last resort, when the process exits. No oclif here.
 */
import {closeSync, openSync, readFileSync, rmSync, writeSync} from 'node:fs'
import {hostname} from 'node:os'

import {usageError} from '../errors.js'

export interface LockOwner {
  host: string
  pid: number
  started: string
}

export interface FileLock {
  /** The owner whose stale lock was taken over, if any. */
  readonly tookOverFrom?: LockOwner
  readonly lockPath: string
  release(): void
}

export interface LockOptions {
  /** What the file is, for the message: "checkpoint", "--data file", "--record file". */
  what: string
  /** Whether a process runs; replaced by tests. */
  isAlive?: (pid: number) => boolean
}

export function lockPathFor(path: string): string {
  return `${path}.lock`
}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

function readOwner(lockPath: string): LockOwner | undefined {
  try {
    const owner = JSON.parse(readFileSync(lockPath, 'utf8')) as LockOwner
    return Number.isInteger(owner?.pid) ? owner : undefined
  } catch {
    return undefined
  }
}

function tryCreate(lockPath: string, owner: LockOwner): boolean {
  let fd: number
  try {
    fd = openSync(lockPath, 'wx', 0o600)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false
    throw usageError(`Cannot lock ${lockPath}: ${(error as Error).message}`, [
      'Check that the folder exists and is writable',
    ])
  }

  try {
    writeSync(fd, JSON.stringify(owner))
  } finally {
    closeSync(fd)
  }

  return true
}

/**
 * Takes the lock on `path`, or throws a usage error (exit 2) naming the live owner's pid.
 * A lock file that cannot be read (torn by a crash) counts as stale.
 */
export function acquireFileLock(path: string, options: LockOptions): FileLock {
  const lockPath = lockPathFor(path)
  const isAlive = options.isAlive ?? processIsAlive
  const me: LockOwner = {host: hostname(), pid: process.pid, started: new Date().toISOString()}
  let tookOverFrom: LockOwner | undefined
  for (let attempt = 0; attempt < 2; attempt++) {
    if (tryCreate(lockPath, me)) {
      let released = false
      const release = () => {
        if (released) return
        released = true
        process.off('exit', release)
        if (readOwner(lockPath)?.pid === me.pid) rmSync(lockPath, {force: true})
      }

      process.on('exit', release)
      return {lockPath, release, tookOverFrom}
    }

    const owner = readOwner(lockPath)
    const live = owner !== undefined && (owner.host !== me.host || isAlive(owner.pid))
    if (live) {
      throw usageError(
        `The ${options.what} ${path} is in use by another okta-hooks process (pid ` +
          `${owner.pid} on ${owner.host}, since ${owner.started}).`,
        [
          'Wait for that process to finish, or stop it (Ctrl-C) and run this again',
          `If no such process runs any more, delete ${lockPath}`,
        ],
      )
    }

    tookOverFrom = owner ?? {host: me.host, pid: 0, started: 'unknown'}
    rmSync(lockPath, {force: true})
  }

  throw usageError(`Cannot lock the ${options.what} ${path}: another process keeps taking it.`, [
    `Delete ${lockPath} if no okta-hooks process uses it`,
  ])
}

/** The notice for a stale lock that was taken over, or undefined. */
export function takeoverNotice(lock: FileLock, path: string): string | undefined {
  const from = lock.tookOverFrom
  if (!from) return undefined
  return `Took over the lock on ${path}: its owner (pid ${from.pid || '?'}, since ${from.started}) no longer runs.`
}
