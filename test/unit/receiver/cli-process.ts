/**
 * Runs okta-hooks from src/ in a child process through bin/dev.js (which runs the TypeScript
 * sources, never dist/), for tests that need a real process: signals, stdout/stderr streams, a
 * server that keeps running.
 */
import {type ChildProcess, spawn} from 'node:child_process'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

export const ROOT = fileURLToPath(new URL('../../..', import.meta.url))
export const DEV_BIN = join(ROOT, 'bin', 'dev.js')

export interface CliProcess {
  child: ChildProcess
  /** Resolves with the exit code once the process has ended. */
  exited: Promise<number | null>
  stderr: () => string
  stdout: () => string
  /** Resolves once stderr (or stdout) has a line matching the pattern; rejects if the process ends first. */
  waitFor: (pattern: RegExp, stream?: 'stderr' | 'stdout') => Promise<RegExpMatchArray>
}

/** args: the command id ("listen", "deliveries list") and its argv. */
export function startCli(args: string[], env: Record<string, string | undefined> = {}): CliProcess {
  const [id, ...argv] = args
  const child = spawn(process.execPath, [DEV_BIN, ...id.split(' '), ...argv], {
    cwd: ROOT,
    env: {...process.env, ...env},
    stdio: ['pipe', 'pipe', 'pipe'],
  })
  const out = {stderr: '', stdout: ''}
  const waiters: (() => void)[] = []
  const wake = () => {
    for (const waiter of waiters.splice(0)) waiter()
  }

  child.stdout!.on('data', (chunk) => {
    out.stdout += chunk
    wake()
  })
  child.stderr!.on('data', (chunk) => {
    out.stderr += chunk
    wake()
  })
  const exited = new Promise<number | null>((resolve) =>
    child.on('close', (code) => {
      wake()
      resolve(code)
    }),
  )
  let ended = false
  exited.then(() => (ended = true))

  const waitFor = (pattern: RegExp, stream: 'stderr' | 'stdout' = 'stderr') =>
    new Promise<RegExpMatchArray>((resolve, reject) => {
      const check = () => {
        const match = out[stream].match(pattern)
        if (match) resolve(match)
        else if (ended)
          reject(new Error(`process ended without ${pattern}; stderr: ${out.stderr}; stdout: ${out.stdout}`))
        else waiters.push(check)
      }

      check()
    })

  child.stdin!.end()
  return {child, exited, stderr: () => out.stderr, stdout: () => out.stdout, waitFor}
}
