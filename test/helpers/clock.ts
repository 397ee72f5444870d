/**
 * The unit tests' clock (src/lib/clock.ts): every wait the code makes (backoff, rate-limit waits,
 * poll intervals) ends at once, on the next turn of the event loop, and moves the clock's time
 * forward by what it waited. Tests assert the waits themselves (`sleeps`), never wall-clock time.
 * test/setup.ts installs a fresh one before each test.
 */
import {type Clock, clock} from '../../src/lib/clock.js'

export class VirtualClock implements Clock {
  /** How far this clock runs ahead of the real one: the sum of the waits so far. */
  offsetMs = 0
  /** Every wait asked for, in order, in ms. */
  readonly sleeps: number[] = []

  /** Moves the time forward, as if `ms` had passed. */
  advance(ms: number): void {
    this.offsetMs += ms
  }

  now = (): number => Date.now() + this.offsetMs

  sleep = async (ms: number, signal?: AbortSignal): Promise<void> => {
    this.sleeps.push(ms)
    if (!signal?.aborted) this.offsetMs += ms
    await new Promise<void>((resolve) => {
      setImmediate(resolve)
    })
  }
}

/** The virtual clock of the running test. */
export function testClock(): VirtualClock {
  const current = clock()
  if (!(current instanceof VirtualClock))
    throw new Error('no virtual clock installed (test/setup.ts installs one per test)')
  return current
}
