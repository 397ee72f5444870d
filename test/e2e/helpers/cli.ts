/**
 * End-to-end helpers: the BUILT okta-hooks (node bin/run.js) as a subprocess, with a controlled
 * environment (temporary HOME and XDG_DATA_HOME, no OKTA_CLIENT_* of the developer, CI=1 so nothing
 * prompts), one-shot runs collected with their exit code, and long-running processes (sandbox,
 * listen) whose output lines can be awaited. Real HTTP on 127.0.0.1 only.
 */
import {type ChildProcess, spawn} from 'node:child_process'
import {existsSync, mkdirSync, mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {assertJsonContract, commandIdOfArgs} from '../../helpers/json-contract.js'

export const ROOT = fileURLToPath(new URL('../../..', import.meta.url))
export const BIN = join(ROOT, 'bin', 'run.js')
const BUILD_OUTPUTS = ['dist/main.js', 'dist/help-cache.json', 'oclif.manifest.json']

/** Fails fast (call it in `before`) when the build the suite runs is missing. */
export function assertBuilt(): void {
  const missing = BUILD_OUTPUTS.filter((file) => !existsSync(join(ROOT, file)))
  if (missing.length > 0) {
    throw new Error(
      `The e2e suite runs the built CLI, but ${missing.join(', ')} ` +
        `${missing.length === 1 ? 'is' : 'are'} missing: run \`npm run build\` first.`,
    )
  }
}

export type Env = Record<string, string | undefined>

/** How okta-hooks is started: by default the build in this checkout (node bin/run.js). */
export interface Launcher {
  args: string[]
  /** Looked up in the child's PATH when it has no slash (an installed `okta-hooks`). */
  command: string
  /** Set over every environment it runs with (e.g. the PATH it is found on). */
  env?: Env
}

export const CHECKOUT_BUILD: Launcher = {args: [BIN], command: process.execPath}

/** A temporary HOME (and data folder) for one suite; everything the CLI writes lands in it. */
export class Workspace {
  readonly dir: string
  readonly home: string

  /** launcher: which okta-hooks the suite's long-running processes run (startSandbox, startListen). */
  constructor(
    name = 'e2e',
    readonly launcher: Launcher = CHECKOUT_BUILD,
  ) {
    this.dir = mkdtempSync(join(tmpdir(), `okta-hooks-${name}-`))
    this.home = join(this.dir, 'home')
    mkdirSync(this.home)
  }

  /**
   * The environment every subprocess gets: the parent's, minus anything that configures okta-hooks or Node, plus
   * `extra`.
   */
  env(extra: Env = {}): Env {
    const env: Env = {}
    for (const [name, value] of Object.entries(process.env)) {
      if (/^OKTA_(CLIENT|HOOKS)_/.test(name) || ['CI', 'FORCE_COLOR', 'NODE_OPTIONS', 'DEBUG'].includes(name)) continue
      env[name] = value
    }

    return {
      ...env,
      CI: '1',
      HOME: this.home,
      NO_COLOR: '1',
      // Backoff between retries of a failed connection: fast, so exit 6 is reached quickly.
      OKTA_HOOKS_RETRY_BASE_MS: '20',
      USERPROFILE: this.home,
      XDG_CACHE_HOME: join(this.home, '.cache'),
      XDG_CONFIG_HOME: join(this.home, '.config'),
      XDG_DATA_HOME: join(this.home, '.local', 'share'),
      ...extra,
    }
  }

  path(name: string): string {
    return join(this.dir, name)
  }

  remove(): void {
    rmSync(this.dir, {force: true, recursive: true})
  }
}

export interface CliResult {
  args: string[]
  code: null | number
  signal: NodeJS.Signals | null
  stderr: string
  stdout: string
  timedOut: boolean
  /** stdout parsed as exactly one JSON document (throws, with the output, when it is not). */
  json<T = any>(): T
}

export interface RunOptions {
  cwd?: string
  env: Env
  launcher?: Launcher
  /** Written to stdin, then closed; without it stdin is /dev/null. */
  input?: string
  timeoutMs?: number
}

/**
 * Runs `okta-hooks ARGS` to completion (killed with SIGKILL past the timeout). Never rejects for a
 * non-zero exit; rejects when a --json run's output breaks the command's schema (schemas/).
 */
export function runCli(args: string[], options: RunOptions): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const launcher = options.launcher ?? CHECKOUT_BUILD
    const child = spawn(launcher.command, [...launcher.args, ...args], {
      cwd: options.cwd ?? ROOT,
      env: {...options.env, ...launcher.env},
      stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    let timedOut = false
    const timer = setTimeout(() => {
      timedOut = true
      child.kill('SIGKILL')
    }, options.timeoutMs ?? 30_000)
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
    if (options.input !== undefined) child.stdin!.end(options.input)
    child.on('error', (error) => {
      clearTimeout(timer)
      reject(error)
    })
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      const id = commandIdOfArgs(args)
      if (id && code !== null && args.includes('--json')) {
        try {
          assertJsonContract({exitCode: code, id, stdout}, args)
        } catch (error) {
          reject(error)
          return
        }
      }

      resolve({
        args,
        code,
        json() {
          try {
            return JSON.parse(stdout)
          } catch (error) {
            throw new Error(
              `stdout of \`okta-hooks ${args.join(' ')}\` is not one JSON document ` +
                `(${(error as Error).message}):\n${stdout}\nstderr:\n${stderr}`,
            )
          }
        },
        signal,
        stderr,
        stdout,
        timedOut,
      })
    })
  })
}

/** A message for a failed expectation on a run: the command, its exit code and its output. */
export function describeRun(result: CliResult): string {
  return (
    `\`okta-hooks ${result.args.join(' ')}\` exited ` +
    `${result.code ?? result.signal}${result.timedOut ? ' (timed out)' : ''}\n--- ` +
    `stdout\n${result.stdout.slice(0, 4000)}\n--- stderr\n${result.stderr.slice(0, 4000)}`
  )
}

export interface Line {
  stream: 'stderr' | 'stdout'
  text: string
}

const running = new Set<CliProcess>()
process.on('exit', () => {
  for (const proc of running) proc.child.kill('SIGKILL')
})

/** A long-running okta-hooks process (sandbox start, listen): its output lines, kept and awaitable. */
export class CliProcess {
  readonly child: ChildProcess
  readonly exited: Promise<{code: null | number; signal: NodeJS.Signals | null}>
  exitCode: null | number = null
  exitSignal: NodeJS.Signals | null = null
  hasExited = false
  readonly lines: Line[] = []
  private readonly listeners = new Set<() => void>()
  private readonly lineHandlers: ((line: Line) => void)[] = []

  constructor(
    readonly args: string[],
    env: Env,
    cwd = ROOT,
    launcher = CHECKOUT_BUILD,
  ) {
    this.child = spawn(launcher.command, [...launcher.args, ...args], {
      cwd,
      env: {...env, ...launcher.env},
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    running.add(this)
    this.exited = new Promise((resolve) => {
      this.child.on('exit', (code, signal) => {
        this.exitCode = code
        this.exitSignal = signal
      })
      // 'close': the process has exited AND its output has been read to the end.
      this.child.on('close', (code, signal) => {
        this.hasExited = true
        running.delete(this)
        this.notify()
        resolve({code, signal})
      })
    })
    for (const stream of ['stdout', 'stderr'] as const) {
      let partial = ''
      this.child[stream]!.setEncoding('utf8').on('data', (chunk: string) => {
        const parts = (partial + chunk).split('\n')
        partial = parts.pop()!
        for (const text of parts) {
          const line = {stream, text}
          this.lines.push(line)
          for (const handler of this.lineHandlers) handler(line)
        }

        this.notify()
      })
      this.child[stream]!.on('end', () => {
        if (partial) {
          const line = {stream, text: partial}
          this.lines.push(line)
          for (const handler of this.lineHandlers) handler(line)
          partial = ''
        }
      })
    }
  }

  onLine(handler: (line: Line) => void): void {
    this.lineHandlers.push(handler)
  }

  output(stream?: Line['stream']): string {
    return this.lines
      .filter((line) => !stream || line.stream === stream)
      .map((line) => line.text)
      .join('\n')
  }

  /**
   * Resolves with check()'s value once it is not undefined (re-checked after every chunk of output);
   * rejects when the process exits first or the time runs out.
   */
  waitUntil<T>(check: () => T | undefined, what: string, timeoutMs = 15_000): Promise<T> {
    return new Promise((resolve, reject) => {
      const listener = () => {
        let value: T | undefined
        try {
          value = check()
        } catch (error) {
          done()
          reject(error)
          return
        }

        if (value !== undefined) {
          done()
          resolve(value)
        } else if (this.hasExited) {
          done()
          reject(
            new Error(
              `okta-hooks ${this.args.join(' ')} exited (${this.exitSignal ?? this.exitCode}) before ` +
                `${what}.\n${this.output()}`,
            ),
          )
        }
      }

      const timer = setTimeout(() => {
        done()
        reject(
          new Error(
            `Waited ${timeoutMs / 1000} s for ${what} from okta-hooks ` +
              `${this.args.join(' ')}.\n${this.output().slice(-4000)}`,
          ),
        )
      }, timeoutMs)
      const done = () => {
        clearTimeout(timer)
        this.listeners.delete(listener)
      }

      this.listeners.add(listener)
      listener()
    })
  }

  /** The first line (from index `from` on) that matches. */
  waitForLine(
    match: (text: string) => boolean,
    options: {from?: number; stream?: Line['stream']; timeoutMs?: number; what: string},
  ): Promise<string> {
    return this.waitUntil(
      () =>
        this.lines
          .slice(options.from ?? 0)
          .find((line) => (!options.stream || line.stream === options.stream) && match(line.text))?.text,
      options.what,
      options.timeoutMs,
    )
  }

  /** Sends `signal` (SIGTERM by default) and resolves with how it ended; SIGKILL after `graceMs`. */
  async stop(
    signal: NodeJS.Signals = 'SIGTERM',
    graceMs = 10_000,
  ): Promise<{code: null | number; signal: NodeJS.Signals | null}> {
    if (!this.hasExited) {
      this.child.kill(signal)
      const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs)
      await this.exited
      clearTimeout(timer)
    }

    return {code: this.exitCode, signal: this.exitSignal}
  }

  private notify(): void {
    for (const listener of [...this.listeners]) listener()
  }
}

/** Stops every long-running process still running (an `after` safety net). */
export async function stopAllProcesses(): Promise<void> {
  await Promise.all([...running].map((proc) => proc.stop('SIGKILL')))
}
