/**
 * The user's own tunnel (ngrok, cloudflared, any command that prints its public URL), started for
 * `listen --register --tunnel "CMD"`: `{port}` in the command becomes listen's port, the first
 * public https URL it prints is the hook's address (for ngrok, whose terminal UI prints nothing to
 * a pipe, its local API at 127.0.0.1:4040 is asked too), and it is stopped when listen stops.
 * okta-hooks never tunnels by itself. No oclif here.
 */
import {type ChildProcess, spawn} from 'node:child_process'

import {clock} from '../clock.js'
import {CliError, usageError} from '../errors.js'
import {ExitCode} from '../exit-codes.js'
import {isLoopbackHost, tryParseUrl} from '../net/urls.js'

export const DEFAULT_TUNNEL_TIMEOUT_MS = 30_000
export const NGROK_API_URL = 'http://127.0.0.1:4040/api/tunnels'
/** How often ngrok's local API is asked while waiting for the URL. */
const NGROK_POLL_MS = 500
/** How many of the tunnel's last output lines an error shows. */
const SHOWN_LINES = 20

export interface TunnelOptions {
  /** The user's command, `{port}` standing for listen's port. */
  command: string
  /** ngrok's local API (asked when the command runs ngrok). */
  ngrokApiUrl?: string
  port: number
  /** Stops the wait (and the tunnel) early: listen was stopped meanwhile. */
  signal?: AbortSignal
  /** How long to wait for a public URL. */
  timeoutMs?: number
}

export interface TunnelExit {
  code: null | number
  signal: NodeJS.Signals | null
}

export interface Tunnel {
  /** The command as run (with the port). */
  readonly command: string
  /** Resolves when the tunnel's process has ended (stopped, or by itself). */
  readonly exited: Promise<TunnelExit>
  /** Its last lines of output (stdout and stderr). */
  output(): string
  readonly publicUrl: string
  /** Stops it (SIGTERM to its process group, SIGKILL after a grace period); resolves once it has ended. */
  stop(): Promise<void>
}

/** The command with `{port}` replaced: what is run. */
export function tunnelCommand(template: string, port: number): string {
  if (!template.trim()) throw usageError('--tunnel needs a command, e.g. --tunnel "ngrok http {port}".')
  return template.replaceAll('{port}', String(port))
}

/**
 * A public https URL in a line of a tunnel's output: an origin only (https://host, maybe a "/"),
 * never a loopback one, so that documentation links (which have a path) and local addresses are
 * passed over.
 */
export function publicUrlIn(line: string): string | undefined {
  for (const [candidate] of line.matchAll(/https:\/\/[^\s"'<>|`]+/g)) {
    const url = tryParseUrl(candidate.replace(/[),.;:\]]+$/, ''))
    if (url && !isLoopbackHost(url.hostname) && url.pathname === '/' && !url.search && !url.username) return url.origin
  }

  return undefined
}

/** The https tunnel ngrok's local API lists for `port`, if any. */
export async function askNgrok(apiUrl: string, port: number, signal?: AbortSignal): Promise<string | undefined> {
  try {
    const response = await fetch(apiUrl, {signal: signal ?? AbortSignal.timeout(2000)})
    if (!response.ok) return undefined
    const {tunnels} = (await response.json()) as {tunnels?: {config?: {addr?: unknown}; public_url?: unknown}[]}
    const mine = (tunnels ?? []).find((tunnel) => {
      const addr = String(tunnel.config?.addr ?? '')
      return (
        typeof tunnel.public_url === 'string' &&
        tunnel.public_url.startsWith('https://') &&
        new RegExp(`(^|:)${port}/?$`).test(addr)
      )
    })
    return mine ? publicUrlIn(String(mine.public_url)) : undefined
  } catch {
    return undefined
  }
}

function runsNgrok(command: string): boolean {
  const program = command.trim().split(/\s+/)[0] ?? ''
  return /(^|\/)ngrok(\.exe)?$/.test(program)
}

/** A rolling window of the tunnel's output lines. */
class OutputLines {
  readonly lines: string[] = []
  private partial = ''

  add(chunk: string): string[] {
    const parts = (this.partial + chunk).split(/\r?\n/)
    this.partial = parts.pop() ?? ''
    this.lines.push(...parts)
    if (this.lines.length > SHOWN_LINES) this.lines.splice(0, this.lines.length - SHOWN_LINES)
    return [...parts, this.partial]
  }

  text(): string {
    return [...this.lines, this.partial].filter((line) => line.trim()).join('\n')
  }
}

function stopProcess(child: ChildProcess, exited: Promise<TunnelExit>): Promise<void> {
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-(child.pid as number), signal)
    } catch {
      child.kill(signal)
    }
  }

  if (child.exitCode === null && child.signalCode === null) {
    signalGroup('SIGTERM')
    const force = setTimeout(() => signalGroup('SIGKILL'), 3000)
    force.unref()
    exited.then(() => clearTimeout(force))
  }

  return exited.then(() => {})
}

/**
 * Starts the tunnel and resolves once it has printed (or ngrok's API lists) a public https URL.
 * Fails with exit 2, the tunnel's output shown, when it ends first or prints none within the time.
 */
export async function startTunnel(options: TunnelOptions): Promise<Tunnel> {
  const command = tunnelCommand(options.command, options.port)
  const timeoutMs = options.timeoutMs ?? DEFAULT_TUNNEL_TIMEOUT_MS
  // Its own process group (detached), so that stop() ends the shell and whatever it started.
  const child = spawn(command, {detached: true, shell: true, stdio: ['ignore', 'pipe', 'pipe']})
  const output = new OutputLines()
  const exited = new Promise<TunnelExit>((resolve) => child.on('close', (code, signal) => resolve({code, signal})))
  const spawnFailed = new Promise<Error>((resolve) => child.on('error', resolve))
  const stop = () => stopProcess(child, exited)
  const found = new AbortController()

  const fromOutput = new Promise<string>((resolve) => {
    for (const stream of [child.stdout, child.stderr]) {
      stream?.setEncoding('utf8').on('data', (chunk: string) => {
        const url = output
          .add(chunk)
          .map((line) => publicUrlIn(line))
          .find(Boolean)
        if (url) resolve(url)
      })
    }
  })
  const fromNgrok = runsNgrok(command)
    ? pollNgrok(options.ngrokApiUrl ?? NGROK_API_URL, options.port, found.signal)
    : new Promise<string>(() => {})
  let timer: NodeJS.Timeout | undefined
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs)
  })
  const aborted = new Promise<'aborted'>((resolve) => {
    if (options.signal?.aborted) resolve('aborted')
    options.signal?.addEventListener('abort', () => resolve('aborted'), {once: true})
  })

  const first = await Promise.race([fromOutput, fromNgrok, timedOut, aborted, exited, spawnFailed])
  found.abort()
  clearTimeout(timer)
  if (typeof first === 'string' && first !== 'timeout' && first !== 'aborted') {
    return {command, exited, output: () => output.text(), publicUrl: first, stop}
  }

  await stop()
  if (first === 'aborted')
    throw new CliError('Stopped while waiting for the tunnel.', {code: 'INTERRUPTED', exitCode: ExitCode.Interrupted})
  throw tunnelFailure(command, first, timeoutMs, output.text())
}

async function pollNgrok(apiUrl: string, port: number, signal: AbortSignal): Promise<string> {
  while (!signal.aborted) {
    const url = await askNgrok(apiUrl, port)
    if (url) return url
    await clock().sleep(NGROK_POLL_MS, signal)
  }

  return new Promise<string>(() => {})
}

function tunnelFailure(
  command: string,
  why: 'timeout' | Error | TunnelExit,
  timeoutMs: number,
  output: string,
): CliError {
  const shown = output
    ? `Its output:\n${output
        .split('\n')
        .map((line) => `    ${line}`)
        .join('\n')}`
    : 'It printed nothing.'
  const what =
    why === 'timeout'
      ? `printed no public https URL within ${timeoutMs / 1000} s`
      : why instanceof Error
        ? `could not be started (${why.message})`
        : `ended (${why.signal ?? `exit ${why.code}`}) without printing a public https URL`
  return new CliError(`The tunnel command \`${command}\` ${what}. ${shown}`, {
    code: 'TUNNEL_FAILED',
    exitCode: ExitCode.Usage,
    suggestions: [
      'Run the command by hand to see that it starts and prints an https URL, e.g. ngrok http {port} or cloudflared tunnel --url http://127.0.0.1:{port}',
      'Give it more time with --tunnel-timeout 60s, or start the tunnel yourself and pass --public-url URL',
    ],
  })
}
