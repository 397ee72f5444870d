/**
 * The sandbox's HTTP server (node:http): Okta's Event Hooks and System Log APIs on /api/v1 with
 * SSWS auth, rate-limit headers and Okta's error bodies, plus a small admin API on /__sandbox
 * (events on demand, waiting for deliveries, health), and an OAuth service app's token endpoint
 * (./oauth.ts). No Okta SDK here: this is the server side.
 */
import {randomBytes, timingSafeEqual} from 'node:crypto'
import http, {type IncomingMessage, type ServerResponse} from 'node:http'
import type {AddressInfo} from 'node:net'

import {oktaRequestId, REQUEST_ID_HEADER} from '../delivery/okta-headers.js'
import type {DeliveredBatch, DeliveryEngine, DeliveryOptions} from './delivery-engine.js'
import type {EventHook} from '../hooks/types.js'
import {targetEventHookIds} from '../syslog/routing.js'
import {
  hookNotFound,
  invalidToken,
  malformedBody,
  OktaApiError,
  pathNotFound,
  rateLimited,
  unsupportedMethod,
} from './errors.js'
import {type SandboxOAuth, TOKEN_PATH} from './oauth.js'
import {type JournalIo, StateJournal} from './persistence.js'
import {bucketFor, RateLimiter, UNLIMITED} from './rate-limiter.js'
import {SandboxOrg} from './sandbox-org.js'

export interface SandboxOptions {
  /** --data FILE: keep hooks and the log across restarts (see persistence.ts). */
  dataFile?: string
  /** How the --data file is written; tests replace it to hold or fail a write. */
  dataIo?: JournalIo
  delivery?: DeliveryOptions
  host?: string
  /** An OAuth service app: /oauth2/v1/token, and its Bearer tokens on the API. */
  oauth?: SandboxOAuth
  onDelivered?: (batch: DeliveredBatch) => void
  /** What the user should know and the sandbox goes on from: a stale lock taken over, a save that failed. */
  onWarning?: (message: string) => void
  /** 0 picks a free port. */
  port?: number
  /** Requests per window per bucket (logs, other API); unset means effectively unlimited. */
  rateLimit?: number
  rateLimitWindowMs?: number
  token?: string
  verifyTimeoutMs?: number
}

export interface SandboxSummary {
  deliveries: DeliveryEngine['stats']
  events: number
  hooks: number
  requests: number
}

const MAX_BODY = 1024 * 1024
const HOOK_PATH = /^\/api\/v1\/eventHooks\/([^/]+)$/
const LIFECYCLE_PATH = /^\/api\/v1\/eventHooks\/([^/]+)\/lifecycle\/(activate|deactivate|verify)$/

export function newSandboxToken(): string {
  return '00sbx' + randomBytes(30).toString('base64url').replace(/[-_]/g, 'x')
}

export class SandboxServer {
  readonly org: SandboxOrg
  readonly token: string
  private readonly limiter: RateLimiter
  private readonly options: SandboxOptions
  private readonly journal?: StateJournal
  private requests = 0
  private server?: http.Server

  /** Opens --data (locked, loaded): throws a usage error for a file it cannot use. */
  constructor(options: SandboxOptions = {}) {
    this.options = options
    this.token = options.token ?? newSandboxToken()
    if (options.dataFile) {
      this.journal = StateJournal.open(options.dataFile, {
        io: options.dataIo,
        onError: (message) => options.onWarning?.(message),
      })
      for (const notice of this.journal.notices) options.onWarning?.(notice)
    }

    const journal = this.journal
    this.org = new SandboxOrg({
      delivery: options.delivery,
      onDelivered: options.onDelivered,
      onEvent: journal ? (event) => journal.recordEvent(event) : undefined,
      onHookChange: journal ? (change) => journal.recordHookChange(change) : undefined,
      state: journal?.state,
      verifyTimeoutMs: options.verifyTimeoutMs,
    })
    this.limiter = new RateLimiter({
      limit: options.rateLimit ?? UNLIMITED,
      windowMs: options.rateLimitWindowMs ?? 60_000,
    })
  }

  /** The saves of --data that failed so far (each was reported through onWarning as it happened). */
  get saveFailures(): readonly string[] {
    return this.journal?.failures ?? []
  }

  get port(): number {
    return (this.server?.address() as AddressInfo | null)?.port ?? 0
  }

  get url(): string {
    return this.org.orgUrl
  }

  /** Resolves once every delivery so far has been answered (or failed). */
  idle(): Promise<void> {
    return this.org.deliveries.idle()
  }

  async start(): Promise<this> {
    const server = http.createServer((request, response) => {
      this.handle(request, response).catch((error) => {
        const failure = new OktaApiError(500, 'E0000009', 'Internal Server Error', [
          String((error as Error)?.message ?? error),
        ])
        if (!response.headersSent) send(response, 500, failure.toBody())
        else response.destroy()
      })
    })
    server.keepAliveTimeout = 5000
    this.server = server
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject)
        server.listen(this.options.port ?? 0, this.options.host ?? '127.0.0.1', () => {
          server.off('error', reject)
          resolve()
        })
      })
    } catch (error) {
      this.server = undefined
      await this.journal?.close()
      throw error
    }

    const host = this.options.host ?? '127.0.0.1'
    const shownHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host
    this.org.orgUrl = `http://${shownHost}:${this.port}`
    return this
  }

  /**
   * Stops accepting requests, gives pending deliveries up to `graceMs`, writes what --data still lacks and lets go of
   * it.
   */
  async stop(graceMs = 3000): Promise<SandboxSummary> {
    this.org.deliveries.flushAll()
    let timer: NodeJS.Timeout | undefined
    await Promise.race([
      this.org.deliveries.idle(),
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, graceMs)
      }),
    ])
    clearTimeout(timer)
    const server = this.server
    if (server) {
      await new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      })
    }

    await this.journal?.close()
    return this.summary()
  }

  summary(): SandboxSummary {
    return {
      deliveries: {...this.org.deliveries.stats},
      events: this.org.log.size,
      hooks: this.org.hooks.size,
      requests: this.requests,
    }
  }

  /** The SSWS token, or (for an API path) a Bearer token of the OAuth service app. */
  private authorized(request: IncomingMessage, apiPath?: string): boolean {
    const given = Buffer.from(request.headers.authorization ?? '')
    const expected = Buffer.from(`SSWS ${this.token}`)
    if (given.length === expected.length && timingSafeEqual(given, expected)) return true
    return (
      apiPath !== undefined &&
      this.options.oauth?.authorizes(request.headers.authorization, request.method ?? 'GET', apiPath) === true
    )
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    this.requests++
    const url = URL.canParse(request.url ?? '/', 'http://sandbox')
      ? new URL(request.url ?? '/', 'http://sandbox')
      : undefined
    const method = request.method ?? 'GET'
    response.setHeader(REQUEST_ID_HEADER, oktaRequestId())
    try {
      if (!url) throw pathNotFound()
      if (url.pathname === '/__sandbox/health') {
        send(response, 200, {ok: true, orgUrl: this.url})
        return
      }

      if (url.pathname === TOKEN_PATH && this.options.oauth)
        return await this.options.oauth.answerToken(request, response, this.url)

      const isApi = url.pathname.startsWith('/api/v1/')
      if (isApi) {
        const verdict = this.limiter.take(bucketFor(url.pathname))
        for (const [name, value] of Object.entries(verdict.headers)) response.setHeader(name, value)
        if (!this.authorized(request, url.pathname)) throw invalidToken()
        if (!verdict.allowed) throw rateLimited()
      } else if (url.pathname.startsWith('/__sandbox/')) {
        if (!this.authorized(request)) throw invalidToken()
      } else throw pathNotFound()

      await this.route(method, url, request, response)
    } catch (error) {
      if (!(error instanceof OktaApiError)) throw error
      send(response, error.status, error.toBody())
    }
  }

  private hookView(hook: EventHook): EventHook {
    return publicHook(hook, this.url)
  }

  private async route(method: string, url: URL, request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = url.pathname.replace(/\/+$/, '') || '/'
    const org = this.org
    if (path === '/api/v1/eventHooks') {
      if (method === 'GET')
        return send(
          response,
          200,
          org.list().map((hook) => this.hookView(hook)),
        )
      if (method === 'POST') return send(response, 200, this.hookView(org.create(await readJson(request))))
      throw unsupportedMethod()
    }

    const lifecycle = LIFECYCLE_PATH.exec(path)
    if (lifecycle) {
      if (method !== 'POST') throw unsupportedMethod()
      const id = hookIdOf(lifecycle[1])
      const action = lifecycle[2]
      const hook =
        action === 'activate' ? org.activate(id) : action === 'deactivate' ? org.deactivate(id) : await org.verify(id)
      return send(response, 200, this.hookView(hook))
    }

    const single = HOOK_PATH.exec(path)
    if (single) {
      const id = hookIdOf(single[1])
      if (method === 'GET') return send(response, 200, this.hookView(org.find(id)))
      if (method === 'PUT') return send(response, 200, this.hookView(org.replace(id, await readJson(request))))
      if (method === 'DELETE') {
        org.delete(id)
        response.writeHead(204).end()
        return
      }

      throw unsupportedMethod()
    }

    if (path === '/api/v1/logs') {
      if (method !== 'GET') throw unsupportedMethod()
      const query = Object.fromEntries(url.searchParams)
      const page = org.log.query(query)
      const base = `${this.url}/api/v1/logs`
      const links = [`<${base}${url.search}>; rel="self"`]
      if (page.next) links.push(`<${base}?${new URLSearchParams(page.next)}>; rel="next"`)
      response.setHeader('Link', links)
      return send(response, 200, page.events)
    }

    if (path === '/__sandbox/events') {
      if (method !== 'POST') throw unsupportedMethod()
      const events = org.emit(await readJson(request))
      return send(response, 200, {
        events: events.map((event) => ({
          eventType: event.eventType,
          published: event.published,
          targetEventHookIds: targetEventHookIds(event) ?? [],
          uuid: event.uuid,
        })),
      })
    }

    if (path === '/__sandbox/idle') {
      if (method !== 'POST') throw unsupportedMethod()
      // {events: [uuid...]}: also how each batch that carried them fared (sandbox emit --wait).
      const {events} = ((await readJson(request)) ?? {}) as {events?: unknown}
      await org.deliveries.idle()
      return send(response, 200, {
        ...this.summary(),
        deliveries: org.deliveries.outcomes(Array.isArray(events) ? events.map(String) : []),
      })
    }

    throw pathNotFound()
  }
}

/**
 * A hook as the API returns it: the write-only auth secret removed, `events.filter` null when the
 * hook has none (as in Okta's examples), Okta's _links added.
 */
export function publicHook(hook: EventHook, orgUrl: string): EventHook {
  const copy = structuredClone(hook)
  copy.events.filter ??= null
  if (copy.channel.config.authScheme) delete copy.channel.config.authScheme.value
  const self = `${orgUrl}/api/v1/eventHooks/${hook.id}`
  copy._links = {
    self: {hints: {allow: ['GET', 'PUT', 'DELETE']}, href: self},
    verify: {hints: {allow: ['POST']}, href: `${self}/lifecycle/verify`},
    ...(hook.status === 'ACTIVE'
      ? {deactivate: {hints: {allow: ['POST']}, href: `${self}/lifecycle/deactivate`}}
      : {activate: {hints: {allow: ['POST']}, href: `${self}/lifecycle/activate`}}),
  }
  return copy
}

/** A hook id from its path segment; one with a malformed %-escape names no hook (404, as for any unknown id). */
function hookIdOf(segment: string): string {
  try {
    return decodeURIComponent(segment)
  } catch {
    throw hookNotFound(segment)
  }
}

function send(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body)
  response.writeHead(status, {'Content-Length': Buffer.byteLength(text), 'Content-Type': 'application/json'})
  response.end(text)
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of request) {
    size += (chunk as Buffer).length
    if (size > MAX_BODY) throw malformedBody()
    chunks.push(chunk as Buffer)
  }

  const text = Buffer.concat(chunks).toString('utf8')
  try {
    return JSON.parse(text)
  } catch {
    throw malformedBody()
  }
}
