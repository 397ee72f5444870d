/**
 * A tiny local stand-in for an Okta org's System Log and Event Hooks API, on 127.0.0.1, for tests
 * that run okta-hooks as a subprocess and for scripts/bench-replay.mjs:
 *
 * - GET /api/v1/eventHooks and /api/v1/eventHooks/:id
 * - GET /api/v1/logs with since, until, filter (only `eventType eq "..."` terms and `uuid eq`
 *   are understood; other filters match everything), limit, sortOrder and an opaque `after`,
 *   answering `Link: <...>; rel="next"` as Okta does (bounded: none on the last page; polling: always)
 * - SSWS auth, X-Rate-Limit-* headers
 *
 * Events are generated on demand from an index (memory stays small for large windows).
 */
import {randomUUID} from 'node:crypto'
import {readFileSync} from 'node:fs'
import http from 'node:http'
import type {AddressInfo} from 'node:net'

export type LogEventJson = Record<string, unknown>

export interface StandinOptions {
  /** The i-th event (0-based) of the log, published at `published`. */
  event?: (index: number, published: string) => LogEventJson
  /** How many events the log holds. */
  eventCount: number
  /** First event's published time; later events are `stepMs` apart. */
  firstPublished?: string
  hooks: Record<string, unknown>[]
  stepMs?: number
  token: string
}

export interface Standin {
  close(): Promise<void>
  /** Every request's method and URL path+query, in order. */
  requests: string[]
  url: string
}

/** Okta's own sample event, plus a field newer than any SDK. */
export function realEvent(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const [event] = JSON.parse(readFileSync('data/samples/ListLogs.json', 'utf8'))
  event.client.ipChain = [{geographicalContext: null, ip: '10.0.0.1', source: null, version: 'V4'}]
  event.insertionTimestamp = '2026-11-24T10:00:00.500Z'
  event.futureField = {addedIn: '2027.01.0', values: [1, 'two', null]}
  return {...event, ...overrides}
}

/** A LogEvent as real payloads have it, including fields the SDK's models drop. */
export function syntheticLogEvent(index: number, published: string, eventType = 'user.lifecycle.create'): LogEventJson {
  const n = String(index).padStart(8, '0')
  return {
    actor: {
      alternateId: 'admin@example.com',
      detailEntry: null,
      displayName: 'Admin',
      id: '00uadmin0000000000',
      type: 'User',
    },
    authenticationContext: {
      authenticationProvider: null,
      authenticationStep: 0,
      credentialProvider: null,
      credentialType: null,
      externalSessionId: `idx${n}`,
      interface: null,
      issuer: null,
      rootSessionId: `idxRoot${n}`,
    },
    client: {
      device: 'Computer',
      geographicalContext: {
        city: 'New York',
        country: 'United States',
        geolocation: {lat: 40.3157, lon: -74.01},
        postalCode: '10013',
        state: 'New York',
      },
      id: null,
      ipAddress: '10.0.0.1',
      ipChain: [{geographicalContext: null, ip: '10.0.0.1', source: null, version: 'V4'}],
      userAgent: {browser: 'CHROME', os: 'Mac OS X', rawUserAgent: 'Mozilla/5.0'},
      zone: null,
    },
    debugContext: {debugData: {requestId: `req${n}`, requestUri: '/api/v1/users', url: '/api/v1/users?activate=true'}},
    device: {
      id: `guo${n}`,
      managed: false,
      name: 'Mac15,6',
      os_platform: 'OSX',
      os_version: '14.6.0',
      registered: true,
    },
    displayMessage: 'Create Okta user',
    eventType,
    futureField: {addedIn: '2027.01.0', nested: [1, 2.5, 'three', null, true]},
    insertionTimestamp: published,
    legacyEventType: 'core.user.config.user_creation.success',
    outcome: {reason: null, result: 'SUCCESS'},
    published,
    request: {ipChain: [{geographicalContext: null, ip: '10.0.0.1', source: null, version: 'V4'}]},
    securityContext: {asNumber: null, asOrg: null, domain: null, isProxy: null, isp: null},
    severity: 'INFO',
    target: [
      {alternateId: `user${n}@example.com`, detailEntry: null, displayName: `User ${n}`, id: `00u${n}`, type: 'User'},
    ],
    transaction: {detail: {}, id: `tx${n}`, type: 'WEB'},
    uuid: uuidFor(index),
    version: '0',
  }
}

/** A stable uuid per index, so a test can check exactly which events arrived. */
export function uuidFor(index: number): string {
  const hex = index.toString(16).padStart(12, '0')
  return `00000000-0000-4000-8000-${hex}`
}

export async function startSyslogStandin(options: StandinOptions): Promise<Standin> {
  const first = Date.parse(options.firstPublished ?? '2026-11-20T00:00:00.000Z')
  const step = options.stepMs ?? 1000
  const make = options.event ?? ((index: number, published: string) => syntheticLogEvent(index, published))
  const publishedAt = (index: number) => new Date(first + index * step).toISOString()
  const requests: string[] = []

  const server = http.createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`)
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      const text = JSON.stringify(body)
      res.writeHead(status, {
        'content-type': 'application/json',
        'x-rate-limit-limit': '1200',
        'x-rate-limit-remaining': '1199',
        'x-rate-limit-reset': String(Math.floor(Date.now() / 1000) + 60),
        ...headers,
      })
      res.end(text)
    }

    if (req.headers.authorization !== `SSWS ${options.token}`) {
      send(401, {
        errorCauses: [],
        errorCode: 'E0000011',
        errorId: randomUUID(),
        errorLink: 'E0000011',
        errorSummary: 'Invalid token provided',
      })
      return
    }

    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    if (url.pathname === '/api/v1/eventHooks') {
      send(200, options.hooks)
      return
    }

    const hookMatch = /^\/api\/v1\/eventHooks\/([^/]+)$/.exec(url.pathname)
    if (hookMatch) {
      const hook = options.hooks.find((h) => h.id === hookMatch[1])
      if (hook) send(200, hook)
      else
        send(404, {
          errorCauses: [],
          errorCode: 'E0000007',
          errorId: randomUUID(),
          errorLink: 'E0000007',
          errorSummary: `Not found: Resource not found: ${hookMatch[1]} (EventHook)`,
        })
      return
    }

    if (url.pathname !== '/api/v1/logs') {
      send(404, {errorCode: 'E0000022', errorSummary: 'The endpoint does not support the provided HTTP method'})
      return
    }

    const params = url.searchParams
    const limit = Math.min(Number(params.get('limit') ?? 100), 1000)
    const since = params.has('since') ? Date.parse(params.get('since') as string) : first
    const until = params.has('until') ? Date.parse(params.get('until') as string) : Number.POSITIVE_INFINITY
    const types = [...(params.get('filter') ?? '').matchAll(/eventType eq "([^"]+)"/g)].map((m) => m[1])
    // Index range of the window [since, until).
    const lo = Math.max(0, Math.ceil((since - first) / step))
    const hi = Math.min(
      options.eventCount,
      Number.isFinite(until) ? Math.ceil((until - first) / step) : options.eventCount,
    )
    let cursor = params.has('after') ? Number(Buffer.from(params.get('after') as string, 'base64url').toString()) : lo
    const events: LogEventJson[] = []
    while (cursor < hi && events.length < limit) {
      const event = make(cursor, publishedAt(cursor))
      cursor++
      if (types.length === 0 || types.includes(String(event.eventType))) events.push(event)
    }

    const polling = !params.has('until')
    const headers: Record<string, string> = {}
    if (cursor < hi || polling) {
      const next = new URL(`http://${req.headers.host}/api/v1/logs`)
      for (const [key, value] of params) if (key !== 'after') next.searchParams.set(key, value)
      next.searchParams.set('after', Buffer.from(String(cursor)).toString('base64url'))
      headers.link = `<${next}>; rel="next"`
    }

    send(200, events, headers)
  })

  await new Promise<void>((resolve) => {
    server.listen(0, '127.0.0.1', resolve)
  })
  const {port} = server.address() as AddressInfo
  return {
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
    requests,
    url: `http://127.0.0.1:${port}`,
  }
}

export interface ReceivedRequest {
  body: string
  headers: http.IncomingHttpHeaders
  json: any
  method: string
  url: string
}

export interface ReceiverReply {
  body?: string
  delayMs?: number
  headers?: Record<string, string>
  status?: number
}

export interface Receiver {
  close(): Promise<void>
  received: ReceivedRequest[]
  url: string
  /** Resolves once `count` requests have arrived. */
  waitFor(count: number): Promise<void>
}

/** A real receiver on 127.0.0.1 that records what arrives and answers as told (200 with no body by default). */
export async function startReceiver(
  reply: (request: ReceivedRequest, index: number) => ReceiverReply = () => ({}),
): Promise<Receiver> {
  const received: ReceivedRequest[] = []
  const waiters: {count: number; resolve: () => void}[] = []
  const timers = new Set<NodeJS.Timeout>()
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8')
      let json: unknown
      try {
        json = JSON.parse(body)
      } catch {}

      const request: ReceivedRequest = {body, headers: req.headers, json, method: req.method ?? '', url: req.url ?? ''}
      const index = received.push(request) - 1
      for (const waiter of waiters.filter((w) => received.length >= w.count)) waiter.resolve()
      const answer = reply(request, index)
      const respond = () => {
        if (res.destroyed) return
        res.writeHead(answer.status ?? 200, answer.headers ?? {})
        res.end(answer.body ?? '')
      }

      if (answer.delayMs) {
        const timer = setTimeout(() => {
          timers.delete(timer)
          respond()
        }, answer.delayMs)
        timers.add(timer)
      } else respond()
    })
  })
  server.keepAliveTimeout = 60_000
  await new Promise<void>((resolve) => {
    server.listen(0, '127.0.0.1', resolve)
  })
  const {port} = server.address() as AddressInfo
  return {
    close: () =>
      new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer)
        server.closeAllConnections()
        server.close(() => resolve())
      }),
    received,
    url: `http://127.0.0.1:${port}/okta`,
    waitFor: (count) =>
      new Promise<void>((resolve) => {
        if (received.length >= count) resolve()
        else waiters.push({count, resolve})
      }),
  }
}
