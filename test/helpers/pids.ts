/** Whether a process still runs, and a short wait for it to end (for tests that stop child processes). */
import {setTimeout as sleep} from 'node:timers/promises'

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

/** Resolves with whether `pid` has ended within about 2 s (a signalled process takes a moment to go). */
export async function ended(pid: number): Promise<boolean> {
  for (let i = 0; i < 100 && alive(pid); i++) await sleep(20)
  return !alive(pid)
}
