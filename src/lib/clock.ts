/**
 * The clock okta-hooks waits with: backoff between retries, waits for a rate limit to reset, pauses
 * between polls; and the time rate limits are counted against (the sandbox's buckets). Real by
 * default. The unit tests install a virtual one (test/helpers/clock.ts) whose waits end at once
 * and move its time forward, so that nothing waits for real and every wait can still be asserted.
 * Timeouts (an answer due within N ms) are not waits: they stay real timers, racing real I/O.
 */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number
  /** Resolves after `ms`, or at once when `signal` is (or gets) aborted. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>
}

export const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise((resolve) => {
      if (signal?.aborted) {
        resolve()
        return
      }

      const done = () => {
        clearTimeout(timer)
        signal?.removeEventListener('abort', done)
        resolve()
      }

      const timer = setTimeout(done, ms)
      signal?.addEventListener('abort', done, {once: true})
    }),
}

let current: Clock = realClock

/** The clock in use. */
export function clock(): Clock {
  return current
}

/** Replaces the clock (tests); returns the one it replaced. */
export function useClock(next: Clock): Clock {
  const previous = current
  current = next
  return previous
}
