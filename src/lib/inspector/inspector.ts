/**
 * The inspector `listen` serves on loopback (like ngrok's localhost:4040): a page with the live list
 * of received requests, one request in detail, replay with modifications; and the small JSON API
 * under the same origin that the page is built on, which scripts can use too:
 *
 *   GET  /api/session                     listen's settings, the dev hook, the session's token
 *   GET  /api/requests?limit&filters      the newest requests, newest first ({requests, more, eventTypes})
 *   GET  /api/requests/:id                one request in detail
 *   GET  /api/stream?filters              server-sent events: `request` per new request, `session` on changes
 *   POST /api/requests/:id/replay         {body?, to?} → the answer, Okta's verdict, the new request
 *
 * Filters: eventType, kind, status (204, 4xx), verdict (accepted, rejected, failed), q (text).
 * A port of its own, never the hook endpoint's: a tunnel in front of listen never exposes it. No oclif here.
 */
import http, {type IncomingMessage, type ServerResponse} from 'node:http'
import type {AddressInfo} from 'node:net'

import {CliError, usageError} from '../errors.js'
import {ExitCode} from '../exit-codes.js'
import type {DeliveryRecord, DeliveryStore} from '../receiver/delivery-store.js'
import type {ExchangeListener} from '../receiver/recording.js'
import {assetAt} from './assets.js'
import {hostAllowed, newSessionToken, writeAllowed} from './guard.js'
import type {InspectorReplays} from './replays.js'
import {
  filterFrom,
  isFiltered,
  matches,
  type RequestFilter,
  requestDetail,
  requestSummary,
  type RequestSummary,
} from './requests.js'

/** Next to listen's 8787. Not 4040: that is ngrok's own inspector (and the API --tunnel reads). */
export const DEFAULT_INSPECT_PORT = 8788
const DEFAULT_LIMIT = 100
const MAX_LIMIT = 1000
/** A filtered list reads at most this many records back. */
const MAX_SCANNED = 10_000
const MAX_POST_BYTES = 2 * 1024 * 1024
const HEARTBEAT_MS = 15_000

export interface SessionInfo {
  answerVerification: boolean
  /** The replay's default target. */
  defaultReplayTarget: string
  forwardTo?: string
  /** The dev hook of listen --register, once Okta has verified it. */
  hook?: {events: string[]; id: string; name: string; uri: string}
  listenUrl: string
  record: string
  version: string
}

export interface InspectorOptions {
  /** Fail (exit 2) when `port` is taken instead of falling back to any free port. */
  exactPort?: boolean
  port?: number
  replays: InspectorReplays
  session: SessionInfo
  store: DeliveryStore
  subscribe: (listener: ExchangeListener) => () => void
}

export interface Inspector {
  close(): Promise<void>
  readonly port: number
  /** Changes what /api/session says (and tells the open pages). */
  update(changes: Partial<SessionInfo>): void
  readonly url: string
}

interface Json {
  [key: string]: unknown
}

const SECURITY_HEADERS = {
  'Cache-Control': 'no-store',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Referrer-Policy': 'no-referrer',
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
}
const PAGE_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

function send(
  response: ServerResponse,
  status: number,
  body: Json | string,
  type = 'application/json; charset=utf-8',
): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body)
  response.writeHead(status, {
    ...SECURITY_HEADERS,
    'Content-Length': String(Buffer.byteLength(text)),
    'Content-Type': type,
  })
  response.end(text)
}

function readJson(request: IncomingMessage): Promise<Json> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let bytes = 0
    request.on('data', (chunk: Buffer) => {
      bytes += chunk.length
      if (bytes > MAX_POST_BYTES) {
        reject(usageError(`The request is over ${MAX_POST_BYTES / 1024 / 1024} MiB.`))
        request.destroy()
      } else chunks.push(chunk)
    })
    request.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8')
      try {
        const parsed = text ? JSON.parse(text) : {}
        if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) resolve(parsed)
        else reject(usageError('The request body must be a JSON object such as {"body": "...", "to": "http://..."}.'))
      } catch {
        reject(usageError('The request body is not JSON: send {"body": "<the JSON to deliver>", "to": "<URL>"}.'))
      }
    })
    request.on('error', reject)
  })
}

/** The live list: one response per open page, each with its filter. */
class LiveStreams {
  private readonly streams = new Map<ServerResponse, RequestFilter>()
  private readonly heartbeat: NodeJS.Timeout

  constructor() {
    this.heartbeat = setInterval(() => this.write(': keep-alive\n\n'), HEARTBEAT_MS)
    this.heartbeat.unref()
  }

  open(request: IncomingMessage, response: ServerResponse, filter: RequestFilter): void {
    response.writeHead(200, {
      ...SECURITY_HEADERS,
      Connection: 'keep-alive',
      'Content-Type': 'text/event-stream; charset=utf-8',
    })
    response.write('retry: 2000\n\n')
    this.streams.set(response, filter)
    request.on('close', () => this.streams.delete(response))
  }

  request(record: DeliveryRecord, summary: RequestSummary): void {
    const data = `event: request\ndata: ${JSON.stringify(summary)}\n\n`
    for (const [response, filter] of this.streams) if (matches(record, summary, filter)) response.write(data)
  }

  session(session: Json): void {
    this.write(`event: session\ndata: ${JSON.stringify(session)}\n\n`)
  }

  close(): void {
    clearInterval(this.heartbeat)
    for (const response of this.streams.keys()) response.end()
    this.streams.clear()
  }

  private write(text: string): void {
    for (const response of this.streams.keys()) response.write(text)
  }
}

class InspectorRoutes {
  readonly live = new LiveStreams()
  readonly token = newSessionToken()

  constructor(
    private readonly options: InspectorOptions,
    private readonly port: () => number,
  ) {}

  session(): Json {
    return {...this.options.session, token: this.token}
  }

  async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (!hostAllowed(request.headers.host, this.port())) {
      const where = `http://127.0.0.1:${this.port()}/`
      send(
        response,
        403,
        `okta-hooks inspector: Host "${request.headers.host ?? ''}" refused; it answers only on loopback, at ${where}\n`,
        'text/plain; charset=utf-8',
      )
      return
    }

    const url = new URL(request.url ?? '/', 'http://inspector.invalid')
    const method = request.method ?? 'GET'
    const replay = /^\/api\/requests\/([\w-]+)\/replay$/.exec(url.pathname)
    if (replay) {
      if (method !== 'POST') return send(response, 405, {error: 'POST a replay: {"body"?: "...", "to"?: "URL"}'})
      return this.replay(request, response, replay[1])
    }

    if (method !== 'GET' && method !== 'HEAD') return send(response, 405, {error: `${method} is not served here`})
    if (url.pathname === '/api/session') return send(response, 200, this.session())
    if (url.pathname === '/api/requests') return send(response, 200, this.list(url.searchParams))
    if (url.pathname === '/api/stream') return this.live.open(request, response, filterFrom(url.searchParams))
    const one = /^\/api\/requests\/([\w-]+)$/.exec(url.pathname)
    if (one) return this.detail(response, one[1])
    const asset = assetAt(url.pathname, this.token)
    if (asset) {
      response.setHeader('Content-Security-Policy', PAGE_POLICY)
      return send(response, 200, asset.body, asset.type)
    }

    send(response, 404, {error: `nothing at ${url.pathname}: the page is at /, the API under /api/`})
  }

  private list(query: URLSearchParams): Json {
    const limit = Math.min(Math.max(Number(query.get('limit')) || DEFAULT_LIMIT, 1), MAX_LIMIT)
    const filter = filterFrom(query)
    const requests: RequestSummary[] = []
    const eventTypes = new Set(this.options.session.hook?.events ?? [])
    let scanned = 0
    let more = false
    const records = this.options.store.newestFirst()
    for (const record of records) {
      if (++scanned > MAX_SCANNED || requests.length === limit) {
        more = true
        records.return(undefined)
        break
      }

      const summary = requestSummary(record)
      for (const type of summary.eventTypes) eventTypes.add(type)
      if (matches(record, summary, filter)) requests.push(summary)
    }

    return {eventTypes: [...eventTypes].sort(), filtered: isFiltered(filter), more, requests}
  }

  private detail(response: ServerResponse, id: string): void {
    const record = this.find(id)
    if (record) send(response, 200, requestDetail(record) as unknown as Json)
    else send(response, 404, {error: `no request ${id} in ${this.options.store.path}`})
  }

  private find(id: string): DeliveryRecord | undefined {
    try {
      return this.options.store.get(id)
    } catch {
      return undefined
    }
  }

  private async replay(request: IncomingMessage, response: ServerResponse, id: string): Promise<void> {
    const allowed = writeAllowed(request.headers, this.port(), this.token)
    if (!allowed.ok) return send(response, 403, {error: allowed.why})
    const record = this.find(id)
    if (!record) return send(response, 404, {error: `no request ${id} in ${this.options.store.path}`})
    try {
      const input = await readJson(request)
      const body = input.body === undefined || typeof input.body === 'string' ? input.body : JSON.stringify(input.body)
      const to = typeof input.to === 'string' ? input.to : undefined
      send(response, 200, (await this.options.replays.replay(record, {body, to})) as unknown as Json)
    } catch (error) {
      const status = error instanceof CliError && error.exitCode === ExitCode.Usage ? 400 : 500
      send(response, status, {error: (error as Error).message})
    }
  }
}

function listenOn(server: http.Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject)
      resolve()
    })
  })
}

async function bind(server: http.Server, port: number, exact: boolean): Promise<void> {
  try {
    await listenOn(server, port)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'EADDRINUSE' && !exact) return listenOn(server, 0)
    if (code === 'EADDRINUSE')
      throw usageError(`Port ${port} on 127.0.0.1 is already in use, so the inspector cannot listen there.`, [
        'Pick another with --inspect-port (0 for any free port), or --no-inspect',
      ])
    throw error
  }
}

/** Starts the inspector on 127.0.0.1 (only there), showing `store` and every exchange `subscribe` reports. */
export async function startInspector(options: InspectorOptions): Promise<Inspector> {
  let port = 0
  const routes = new InspectorRoutes(options, () => port)
  const server = http.createServer((request, response) => {
    routes.handle(request, response).catch((error: Error) => {
      if (!response.headersSent) send(response, 500, {error: error.message})
      else response.destroy()
    })
  })
  await bind(server, options.port ?? DEFAULT_INSPECT_PORT, Boolean(options.exactPort))
  port = (server.address() as AddressInfo).port
  const unsubscribe = options.subscribe(({record}) => routes.live.request(record, requestSummary(record)))
  return {
    close() {
      unsubscribe()
      routes.live.close()
      return new Promise((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      })
    },
    port,
    update(changes) {
      Object.assign(options.session, changes)
      routes.live.session({...options.session})
    },
    url: `http://127.0.0.1:${port}/`,
  }
}
