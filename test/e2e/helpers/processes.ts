/**
 * The two long-running okta-hooks processes of the e2e suite: `sandbox start --port 0 --json` (the
 * local org) and `listen --port 0 --json` (the receiver), each started and awaited by its ready line.
 */
import {CliProcess, type Env, type Workspace} from './cli.js'

export interface SandboxReady {
  dataFile: null | string
  orgUrl: string
  port: number
  token: string
}

export interface Sandbox extends SandboxReady {
  /** OKTA_CLIENT_ORGURL and OKTA_CLIENT_TOKEN for this sandbox. */
  connection: Env
  process: CliProcess
  /** SIGTERM; resolves with the exit code and the summary line (--json). */
  stop(): Promise<{code: null | number; summary?: any}>
}

export async function startSandbox(workspace: Workspace, extraArgs: string[] = []): Promise<Sandbox> {
  const proc = new CliProcess(
    ['sandbox', 'start', '--port', '0', '--json', ...extraArgs],
    workspace.env(),
    workspace.dir,
    workspace.launcher,
  )
  const line = await proc.waitForLine((text) => text.startsWith('{'), {
    stream: 'stdout',
    what: 'the sandbox ready line',
  })
  const ready = JSON.parse(line) as SandboxReady
  return {
    ...ready,
    connection: {OKTA_CLIENT_ORGURL: ready.orgUrl, OKTA_CLIENT_TOKEN: ready.token},
    process: proc,
    async stop() {
      const {code} = await proc.stop()
      const last = proc.lines.filter((l) => l.stream === 'stdout' && l.text.startsWith('{')).at(-1)?.text
      const parsed = last ? JSON.parse(last) : undefined
      return {code, summary: parsed?.stopped ? parsed : undefined}
    },
  }
}

/** One request as `listen --json` reports it (an NDJSON line). */
export interface ListenMessage {
  auth?: string
  batchSize?: number
  envelope?: any
  eventId?: string
  events?: {eventType?: string; targets: {alternateId?: string}[]; uuid?: string}[]
  /** --register: the dev hook (registered line), and at the end whether it was removed (summary line). */
  hook?: any
  id?: string
  method?: string
  status?: number
  type: 'delivery' | 'other' | 'ready' | 'registered' | 'summary' | 'verification'
  url?: string
  [key: string]: unknown
}

export interface Listener {
  /** Events delivered so far (sum of batch sizes). */
  eventCount(): number
  messages: ListenMessage[]
  process: CliProcess
  record: string
  /** SIGTERM; resolves with the exit code and the {"type":"summary"} line. */
  stop(signal?: NodeJS.Signals): Promise<{code: null | number; summary?: ListenMessage}>
  url: string
  /** Resolves with the messages once `count` events have been delivered. */
  waitForEvents(count: number, timeoutMs?: number): Promise<ListenMessage[]>
  /** Resolves with the first message (from index `from`) that matches. */
  waitForMessage(match: (message: ListenMessage) => boolean, what: string, from?: number): Promise<ListenMessage>
}

/**
 * `okta-hooks listen --port 0 --json` with the given flags; `secret` is put in the variable
 * named by --auth-secret-env when there is one.
 */
export async function startListen(workspace: Workspace, args: string[] = [], extraEnv: Env = {}): Promise<Listener> {
  const record = workspace.path(`listen-${Math.random().toString(36).slice(2, 8)}.ndjson`)
  const proc = new CliProcess(
    ['listen', '--port', '0', '--json', '--record', record, ...args],
    workspace.env(extraEnv),
    workspace.dir,
    workspace.launcher,
  )
  const messages: ListenMessage[] = []
  let events = 0
  proc.onLine((line) => {
    if (line.stream !== 'stdout' || !line.text.startsWith('{')) return
    const message = JSON.parse(line.text) as ListenMessage
    messages.push(message)
    if (message.type === 'delivery') events += message.batchSize ?? 0
  })
  const ready = await proc.waitUntil(() => messages.find((m) => m.type === 'ready'), 'the listen ready line')
  return {
    eventCount: () => events,
    messages,
    process: proc,
    record,
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      const {code} = await proc.stop(signal)
      return {code, summary: messages.find((m) => m.type === 'summary')}
    },
    url: ready.url as string,
    waitForEvents(count, timeoutMs = 30_000) {
      return proc.waitUntil(
        () => (events >= count ? messages : undefined),
        `${count} delivered events (${events} so far)`,
        timeoutMs,
      )
    },
    waitForMessage(match, what, from = 0) {
      return proc.waitUntil(() => messages.slice(from).find(match), what)
    },
  }
}
