/**
 * A local event hook receiver that behaves the way Okta expects a good one to: it answers the
 * verification GET, acknowledges deliveries at once with 204, checks the auth header in constant
 * time, refuses what Okta would never send (wrong path, other methods, oversized headers or
 * bodies, a body that never finishes, malformed JSON) without ever crashing, and records every
 * exchange (masked) to a DeliveryStore. With `forwardTo` it relays every request to the
 * developer's own app and returns the app's answer, timing it against Okta's 3 s budget.
 *
 * Made of parts by kind of request (refusals.ts, verification.ts, delivery.ts, relay.ts, then
 * recording.ts); other parts (an inspector's page and API) can be mounted beside the hook endpoint
 * as `routes`, or listen on a port of their own and `subscribe` to the exchanges.
 *
 * No oclif here: listen, the sandbox and e2e tests all start it through startReceiver().
 */
import http, {type IncomingMessage, type ServerResponse} from 'node:http'
import type {AddressInfo} from 'node:net'

import {usageError} from '../errors.js'
import type {AuthHeader} from '../hooks/auth-secret.js'
import {authChecker} from './auth-check.js'
import {answerDelivery, readEnvelope} from './delivery.js'
import type {DeliveryStore} from './delivery-store.js'
import {describeCall, type IncomingCall, type Outcome, pathnameOf, readBody, sendAnswer} from './exchange.js'
import {type Exchange, type ExchangeListener, ExchangeRecorder, type ReceiverStats} from './recording.js'
import {answerParserError, refuseCall, refuseConnect} from './refusals.js'
import {relayCall} from './relay.js'
import {answerVerification} from './verification.js'

export type {Exchange, ReceiverStats} from './recording.js'

export const DEFAULT_PORT = 8787
export const DEFAULT_MAX_BODY = 1024 * 1024
export const DEFAULT_FORWARD_TIMEOUT_MS = 10_000
/** Okta sends a body at once and gives up after 3 s; a body still unfinished after this is cut (408). */
export const DEFAULT_BODY_TIMEOUT_MS = 5000
/** The header of an inspector's replay: a one-time token that says where the call goes (see replayTarget). */
export const REPLAY_TOKEN_HEADER = 'x-okta-hooks-replay'

export interface ReceiverOptions {
  /**
   * With forwardTo: answer Okta's verification GET here and relay only the other calls, for an app
   * that has no verification handler (Okta's Hookdeck sample is one).
   */
  answerVerification?: boolean
  /** The auth header Okta is expected to send; without it, anyone may post. */
  auth?: AuthHeader
  /** How long a client may take to send a body before it is cut with 408. */
  bodyTimeoutMs?: number
  /** How long to wait for the app behind --forward-to (longer than Okta's 3 s, to show how late it is). */
  forwardTimeoutMs?: number
  forwardTo?: string
  host?: string
  maxBodyBytes?: number
  /** Called after each answered request (also for refused ones). Errors it throws are reported through onWarning. */
  onExchange?: (exchange: Exchange) => void
  /** Non-fatal trouble (a store that cannot be written); the receiver keeps serving. */
  onWarning?: (message: string) => void
  /** The only path it answers on (default /); anything else gets 404. */
  path?: string
  port?: number
  /** Wait this long before answering a delivery. */
  respondDelayMs?: number
  /** Answer deliveries with this status instead of 204. */
  respondStatus?: number
  /**
   * For the inspector's replays, which come in through the hook endpoint like Okta's calls (auth
   * checked, relayed, recorded, shown): given the one-time token of the X-Okta-Hooks-Replay header,
   * the URL the call goes to instead of forwardTo; undefined for a token it did not hand out.
   */
  replayTarget?: (token: string) => string | undefined
  /** Parts of their own on the same server, tried in order before the hook endpoint (see ReceiverRoute). */
  routes?: ReceiverRoute[]
  store?: DeliveryStore
}

/**
 * A part of its own beside the hook endpoint, such as an inspector's page, JSON API and event
 * stream under a prefix. Its requests are neither answered by the hook endpoint nor recorded.
 */
export interface ReceiverRoute {
  /** Whether this part answers a request for `pathname` (parsed: dot segments resolved). */
  matches(pathname: string): boolean
  handle(request: IncomingMessage, response: ServerResponse): Promise<void> | void
}

export interface Receiver {
  close(): Promise<void>
  readonly host: string
  readonly path: string
  readonly port: number
  readonly stats: ReceiverStats
  /** Calls `listener` after each answered call, until the returned function is called. */
  subscribe(listener: ExchangeListener): () => void
  readonly url: string
}

/** The options, with every default filled in. */
interface Settings {
  answerVerification: boolean
  authName?: string
  bodyTimeoutMs: number
  checkAuth: ReturnType<typeof authChecker>
  forwardTimeoutMs: number
  forwardTo?: string
  host: string
  maxBodyBytes: number
  path: string
  port: number
  replayTarget?: (token: string) => string | undefined
  respondDelayMs?: number
  respondStatus?: number
}

function settingsOf(options: ReceiverOptions): Settings {
  return {
    answerVerification: Boolean(options.answerVerification),
    authName: options.auth?.key,
    bodyTimeoutMs: options.bodyTimeoutMs ?? DEFAULT_BODY_TIMEOUT_MS,
    checkAuth: authChecker(options.auth),
    forwardTimeoutMs: options.forwardTimeoutMs ?? DEFAULT_FORWARD_TIMEOUT_MS,
    forwardTo: options.forwardTo,
    host: options.host ?? '127.0.0.1',
    maxBodyBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY,
    path: normalizeListenPath(options.path),
    port: options.port ?? DEFAULT_PORT,
    replayTarget: options.replayTarget,
    respondDelayMs: options.respondDelayMs,
    respondStatus: options.respondStatus,
  }
}

function urlHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host
}

const DOT_SEGMENT = /^(?:\.|%2e){1,2}$/i

/**
 * --path as requests arrive on it: starts with "/", no spaces, "?", "#" or "\", no "." or ".."
 * segments (plain or %-encoded: a request path is resolved before matching, so such a path could
 * never match), and percent-encoded the way request paths are.
 */
export function normalizeListenPath(path: string | undefined): string {
  const value = path || '/'
  if (!value.startsWith('/') || /[\s?#\\]/.test(value)) {
    throw usageError(`--path "${value}" must start with "/" and have no spaces, "?", "#" or "\\".`, [
      'e.g. --path /okta/events',
    ])
  }

  const resolved = pathnameOf(value)
  if (value.split('/').some((segment) => DOT_SEGMENT.test(segment))) {
    const why = 'request paths are resolved before matching, so nothing would ever arrive on it'
    throw usageError(`--path "${value}" has a "." or ".." segment; ${why}.`, [`e.g. --path ${resolved}`])
  }

  return resolved
}

/** The answer to a call that no refusal stopped: relayed to the app (a GET not, with answerVerification), or answered here. */
function answerCall(call: IncomingCall, settings: Settings, closing: AbortSignal): Outcome | Promise<Outcome> {
  const read = call.method === 'POST' ? readEnvelope(call.bodyText) : {}
  const {forwardTimeoutMs} = settings
  const forwardTo = replayTargetOf(call, settings) ?? settings.forwardTo
  const answeredHere = call.method === 'GET' && settings.answerVerification
  if (forwardTo && !answeredHere) return relayCall(call, read, {forwardTimeoutMs, forwardTo})
  if (call.method === 'GET') return answerVerification(call)
  return answerDelivery(read, settings, closing)
}

/** Where an inspector's replay goes, when the call carries a token the inspector handed out. */
function replayTargetOf(call: IncomingCall, settings: Settings): string | undefined {
  const token = call.request.headers[REPLAY_TOKEN_HEADER]
  return typeof token === 'string' && settings.replayTarget ? settings.replayTarget(token) : undefined
}

/** The hook endpoint: read the call, refuse it or answer it, send the answer, record it. */
async function serveHookCall(
  request: IncomingMessage,
  response: ServerResponse,
  settings: Settings,
  recorder: ExchangeRecorder,
  closing: AbortSignal,
): Promise<void> {
  const started = performance.now()
  recorder.arrived()
  const auth = settings.checkAuth(request.headers)
  const body = await readBody(request, {maxBytes: settings.maxBodyBytes, timeoutMs: settings.bodyTimeoutMs})
  const call = describeCall(request, auth, body, started)
  const outcome = refuseCall(call, settings) ?? (await answerCall(call, settings, closing))
  await sendAnswer(response, outcome.answer)
  if (body.timedOut) request.socket.destroy()
  recorder.record(call, outcome)
}

function failSafe(response: ServerResponse, warn: (message: string) => void): (error: unknown) => void {
  return (error) => {
    warn(`request failed: ${(error as Error).message}`)
    try {
      if (!response.headersSent) response.writeHead(500, {'Content-Type': 'application/json'})
      response.end(JSON.stringify({error: 'receiver error'}))
    } catch {
      // the socket is gone
    }
  }
}

function listenOn(server: http.Server, settings: Settings): Promise<void> {
  const {host, port} = settings
  return new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      server.off('listening', onListening)
      if (error.code === 'EADDRINUSE')
        reject(
          usageError(`Port ${port} on ${host} is already in use.`, [
            'Pick another with --port, or --port 0 for any free port',
          ]),
        )
      else if (error.code === 'EACCES')
        reject(
          usageError(`Not allowed to listen on port ${port} (ports below 1024 need privileges).`, [
            'Use a port above 1024, e.g. --port 8787',
          ]),
        )
      else if (error.code === 'EADDRNOTAVAIL' || error.code === 'ENOTFOUND')
        reject(
          usageError(`Cannot listen on host ${host}: no such local address.`, [
            'Use --host 127.0.0.1 (the default) or 0.0.0.0',
          ]),
        )
      else reject(error)
    }

    const onListening = () => {
      server.off('error', onError)
      resolve()
    }

    server.once('error', onError)
    server.once('listening', onListening)
    server.listen(port, host)
  })
}

export async function startReceiver(options: ReceiverOptions = {}): Promise<Receiver> {
  const settings = settingsOf(options)
  const closing = new AbortController()
  const warn = (message: string) => {
    try {
      options.onWarning?.(message)
    } catch {
      // a broken warning sink must not take the receiver down
    }
  }

  const recorder = new ExchangeRecorder({
    authName: settings.authName,
    secret: options.auth?.value,
    store: options.store,
    warn,
  })
  if (options.onExchange) recorder.subscribe(options.onExchange)
  const routes = options.routes ?? []
  const server = http.createServer((request, response) => {
    const route = routes.find((candidate) => candidate.matches(pathnameOf(request.url ?? '/')))
    const served = route
      ? Promise.resolve().then(() => route.handle(request, response))
      : serveHookCall(request, response, settings, recorder, closing.signal)
    served.catch(failSafe(response, warn))
  })
  server.on('clientError', answerParserError)
  server.on('connect', (request: IncomingMessage, socket) => {
    recorder.arrived()
    const call = describeCall(request, settings.checkAuth(request.headers), {
      bytes: 0,
      timedOut: false,
      tooLarge: false,
    })
    recorder.record(call, refuseConnect(request, socket))
  })

  await listenOn(server, settings)
  server.on('error', (error) => warn(`server error: ${error.message}`))

  const port = (server.address() as AddressInfo).port
  let closed: Promise<void> | undefined
  return {
    close() {
      closed ??= new Promise<void>((resolve) => {
        closing.abort()
        const force = setTimeout(() => server.closeAllConnections(), 1000)
        force.unref()
        server.close(() => {
          clearTimeout(force)
          resolve()
        })
        server.closeIdleConnections()
      })
      return closed
    },
    host: settings.host,
    path: settings.path,
    port,
    stats: recorder.stats,
    subscribe: (listener) => recorder.subscribe(listener),
    url: `http://${urlHost(settings.host)}:${port}${settings.path}`,
  }
}
