/**
 * A local event hook receiver that behaves the way Okta expects a good one to: it answers the
 * verification GET, acknowledges deliveries at once with 204, checks the auth header in constant
 * time, refuses oversized bodies (413) and malformed JSON (400) without ever crashing, and records
 * every exchange (masked) to a DeliveryStore. With `forwardTo` it relays every request to the
 * developer's own app and returns the app's answer, timing it against Okta's 3 s budget.
 *
 * No oclif here: listen, the sandbox and e2e tests all start it through startReceiver().
 */
import {randomUUID} from 'node:crypto'
import http, {type IncomingMessage, type ServerResponse} from 'node:http'
import type {AddressInfo} from 'node:net'
import {setTimeout as sleep} from 'node:timers/promises'

import {type DeliveryEnvelope, isEnvelope} from '../delivery/envelope.js'
import {OKTA_TIMEOUT_MS, sendRequest, showHeaders} from '../delivery/http-delivery.js'
import {CHALLENGE_HEADER, type Judgement, judgeVerification} from '../endpoint-check/verification.js'
import {usageError} from '../errors.js'
import type {AuthHeader} from '../hooks/auth-secret.js'
import {redactText} from '../secrets/mask.js'
import {authChecker} from './auth-check.js'
import {type DeliveryRecord, type DeliveryStore, type ExchangeKind, newRecordId} from './delivery-store.js'

export const DEFAULT_PORT = 8787
export const DEFAULT_MAX_BODY = 1024 * 1024
export const DEFAULT_FORWARD_TIMEOUT_MS = 10_000

export interface ReceiverOptions {
  /** The auth header Okta is expected to send; without it, anyone may post. */
  auth?: AuthHeader
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
  store?: DeliveryStore
}

export interface Exchange {
  /** The parsed envelope of a delivery. */
  envelope?: DeliveryEnvelope
  record: DeliveryRecord
  /** For a forwarded verification GET: whether the app's answer would satisfy Okta. */
  verificationAnswer?: Judgement
}

export interface ReceiverStats {
  deliveries: number
  events: number
  /** Requests answered with a status of 400 or more, or that the app behind --forward-to failed. */
  failures: number
  requests: number
  verifications: number
}

export interface Receiver {
  close(): Promise<void>
  readonly host: string
  readonly path: string
  readonly port: number
  readonly stats: ReceiverStats
  readonly url: string
}

const HOP_BY_HOP = new Set(['connection', 'content-length', 'host', 'keep-alive', 'proxy-connection', 'te', 'trailer', 'transfer-encoding', 'upgrade'])

interface BodyRead {
  body?: Buffer
  bytes: number
  tooLarge: boolean
}

/** Reads a request body up to `limit` bytes; beyond it, stops keeping data and reports tooLarge. */
function readBody(request: IncomingMessage, limit: number): Promise<BodyRead> {
  const declared = Number(request.headers['content-length'])
  if (Number.isFinite(declared) && declared > limit) {
    request.resume()
    return Promise.resolve({bytes: declared, tooLarge: true})
  }

  return new Promise((resolve) => {
    const chunks: Buffer[] = []
    let bytes = 0
    let done = false
    const finish = (read: BodyRead) => {
      if (done) return
      done = true
      resolve(read)
    }

    request.on('data', (chunk: Buffer) => {
      bytes += chunk.length
      if (bytes > limit) {
        chunks.length = 0
        finish({bytes, tooLarge: true})
      } else chunks.push(chunk)
    })
    request.on('end', () => finish({body: Buffer.concat(chunks), bytes, tooLarge: false}))
    request.on('error', () => finish({body: Buffer.concat(chunks), bytes, tooLarge: false}))
    request.on('close', () => finish({body: Buffer.concat(chunks), bytes, tooLarge: false}))
  })
}

function urlHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host
}

export function normalizeListenPath(path: string | undefined): string {
  const value = path || '/'
  if (!value.startsWith('/') || /[\s?#]/.test(value)) throw usageError(`--path "${value}" must start with "/" and have no spaces, "?" or "#".`, ['e.g. --path /okta/events'])
  return value
}

export async function startReceiver(options: ReceiverOptions = {}): Promise<Receiver> {
  const host = options.host ?? '127.0.0.1'
  const path = normalizeListenPath(options.path)
  const maxBody = options.maxBodyBytes ?? DEFAULT_MAX_BODY
  const forwardTimeoutMs = options.forwardTimeoutMs ?? DEFAULT_FORWARD_TIMEOUT_MS
  const checkAuth = authChecker(options.auth)
  const authName = options.auth?.key
  const secret = options.auth?.value
  const stats: ReceiverStats = {deliveries: 0, events: 0, failures: 0, requests: 0, verifications: 0}
  const closing = new AbortController()
  let storeWarned = false

  const warn = (message: string) => {
    try {
      options.onWarning?.(message)
    } catch {
      // a broken warning sink must not take the receiver down
    }
  }

  const redact = (text: string) => (secret ? redactText(text, [secret]) : text)

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const started = performance.now()
    const receivedAt = new Date().toISOString()
    stats.requests++
    const rawUrl = request.url ?? '/'
    let pathname: string
    try {
      pathname = new URL(rawUrl, 'http://receiver.invalid').pathname
    } catch {
      pathname = rawUrl
    }

    const method = (request.method ?? 'GET').toUpperCase()
    const auth = checkAuth(request.headers)
    const read = await readBody(request, maxBody)
    const bodyText = read.body ? read.body.toString('utf8') : undefined
    let kind: ExchangeKind = 'other'
    let envelope: DeliveryEnvelope | undefined
    let problem: DeliveryRecord['problem']
    let forward: DeliveryRecord['forward']
    let verificationAnswer: Judgement | undefined
    let status = 500
    let responseHeaders: Record<string, string> = {}
    let responseBody = ''

    const answer = (code: number, body: unknown = '', headers: Record<string, string> = {}) => {
      status = code
      responseHeaders = {...headers}
      if (body === '' || body === undefined) responseBody = ''
      else if (typeof body === 'string') responseBody = body
      else {
        responseBody = JSON.stringify(body)
        responseHeaders['Content-Type'] ??= 'application/json'
      }
    }

    const challenge = request.headers[CHALLENGE_HEADER.toLowerCase()]
    const challengeValue = Array.isArray(challenge) ? challenge[0] : challenge

    if (pathname !== path) {
      problem = {code: 'WRONG_PATH', message: `nothing here: the receiver answers on ${path}`}
      answer(404, {error: problem.message})
    } else if (method !== 'GET' && method !== 'POST') {
      problem = {code: 'METHOD_NOT_ALLOWED', message: `${method} is not how Okta calls a hook (GET to verify, POST to deliver)`}
      answer(405, {error: problem.message}, {Allow: 'GET, POST'})
    } else {
      kind = method === 'GET' ? 'verification' : 'delivery'
      if (auth === 'missing' || auth === 'wrong') {
        problem = {code: 'UNAUTHORIZED', message: auth === 'missing' ? `no ${authName} header` : `wrong ${authName} header value`}
        answer(401, {error: 'unauthorized'})
      } else if (read.tooLarge) {
        problem = {code: 'BODY_TOO_LARGE', message: `body of ${read.bytes} bytes or more is over the limit of ${maxBody} bytes (--max-body)`}
        answer(413, {error: problem.message}, {Connection: 'close'})
      } else {
        if (method === 'POST' && bodyText !== undefined) {
          try {
            const parsed = JSON.parse(bodyText)
            if (isEnvelope(parsed)) envelope = parsed
            else problem = {code: 'NOT_AN_ENVELOPE', message: 'JSON, but not an Okta event hook envelope (eventType com.okta.event_hook with data.events)'}
          } catch (error) {
            problem = {code: 'MALFORMED_JSON', message: `body is not valid JSON: ${(error as Error).message}`}
          }
        }

        if (method === 'GET' && !challengeValue && !options.forwardTo) {
          kind = 'other'
          problem = {code: 'NO_CHALLENGE', message: `a GET without the ${CHALLENGE_HEADER} header: this endpoint answers Okta's verification GET and POST deliveries`}
          answer(400, {error: problem.message})
        } else if (options.forwardTo) {
          const relayed = await relay(request, method, bodyText, options.forwardTo, forwardTimeoutMs)
          forward = relayed.outcome
          answer(relayed.status, relayed.body, relayed.headers)
          if (method === 'GET' && challengeValue) verificationAnswer = judgeVerification(relayed.result, challengeValue)
        } else if (method === 'GET') {
          answer(200, {verification: challengeValue})
        } else if (problem?.code === 'MALFORMED_JSON') {
          answer(400, {error: problem.message})
        } else {
          if (options.respondDelayMs) {
            try {
              await sleep(options.respondDelayMs, undefined, {signal: closing.signal})
            } catch {
              // shutting down: answer now
            }
          }

          answer(options.respondStatus ?? 204)
        }
      }
    }

    if (kind === 'verification' && status < 400) stats.verifications++
    if (kind === 'delivery' && problem?.code !== 'UNAUTHORIZED' && problem?.code !== 'BODY_TOO_LARGE') {
      stats.deliveries++
      stats.events += envelope?.data.events.length ?? 0
    }

    if (status >= 400 || forward?.error) stats.failures++

    await new Promise<void>((resolve) => {
      response.on('close', resolve)
      response.on('finish', resolve)
      try {
        response.writeHead(status, {...responseHeaders, 'Content-Length': String(Buffer.byteLength(responseBody))})
        response.end(responseBody)
      } catch {
        resolve()
      }
    })

    const record: DeliveryRecord = {
      auth,
      ...(envelope ? {delivery: {eventId: envelope.eventId, events: envelope.data.events.length, eventTypes: [...new Set(envelope.data.events.map((e) => String(e.eventType)))]}} : {}),
      ...(forward ? {forward} : {}),
      id: newRecordId(),
      kind,
      latencyMs: Math.round(performance.now() - started),
      ...(problem ? {problem} : {}),
      receivedAt,
      request: {
        ...(bodyText === undefined ? {} : {body: redact(bodyText)}),
        bodyBytes: read.bytes,
        headers: showHeaders(flattenHeaders(request.headers), authName),
        method,
        path: redact(rawUrl),
        remoteAddress: request.socket.remoteAddress,
      },
      response: {body: redact(responseBody), headers: showHeaders(responseHeaders, authName), status},
      version: 1,
    }
    if (options.store) {
      try {
        options.store.append(record)
      } catch (error) {
        if (!storeWarned) warn(`could not record to ${options.store.path}: ${(error as Error).message}; still serving, not recording`)
        storeWarned = true
      }
    }

    try {
      options.onExchange?.({envelope, record, verificationAnswer})
    } catch (error) {
      warn(`showing a request failed: ${(error as Error).message}`)
    }
  }

  const server = http.createServer((request, response) => {
    handle(request, response).catch((error) => {
      warn(`request failed: ${(error as Error).message}`)
      try {
        if (!response.headersSent) response.writeHead(500, {'Content-Type': 'application/json'})
        response.end(JSON.stringify({error: 'receiver error'}))
      } catch {
        // the socket is gone
      }
    })
  })
  server.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n')
    else socket.destroy()
  })

  await new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      server.off('listening', onListening)
      if (error.code === 'EADDRINUSE') reject(usageError(`Port ${options.port ?? DEFAULT_PORT} on ${host} is already in use.`, ['Pick another with --port, or --port 0 for any free port']))
      else if (error.code === 'EACCES') reject(usageError(`Not allowed to listen on port ${options.port} (ports below 1024 need privileges).`, ['Use a port above 1024, e.g. --port 8787']))
      else if (error.code === 'EADDRNOTAVAIL' || error.code === 'ENOTFOUND') reject(usageError(`Cannot listen on host ${host}: no such local address.`, ['Use --host 127.0.0.1 (the default) or 0.0.0.0']))
      else reject(error)
    }

    const onListening = () => {
      server.off('error', onError)
      resolve()
    }

    server.once('error', onError)
    server.once('listening', onListening)
    server.listen(options.port ?? DEFAULT_PORT, host)
  })
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
    host,
    path,
    port,
    stats,
    url: `http://${urlHost(host)}:${port}${path}`,
  }
}

function flattenHeaders(headers: IncomingMessage['headers']): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value
  }

  return out
}

async function relay(
  request: IncomingMessage,
  method: string,
  body: string | undefined,
  target: string,
  timeoutMs: number,
): Promise<{body: string; headers: Record<string, string>; outcome: NonNullable<DeliveryRecord['forward']>; result: Awaited<ReturnType<typeof sendRequest>>; status: number}> {
  const headers: Record<string, string> = {}
  for (const [name, value] of Object.entries(flattenHeaders(request.headers))) {
    if (!HOP_BY_HOP.has(name)) headers[name] = value
  }

  headers['x-forwarded-by'] = 'okta-hooks listen'
  headers['x-request-id'] ??= randomUUID()
  const result = await sendRequest({body: method === 'POST' ? (body ?? '') : undefined, headers, method, timeoutMs, url: target})
  const outcome = {
    ...(result.error ? {error: result.error} : {}),
    latencyMs: result.latencyMs,
    ...(result.status === undefined ? {} : {status: result.status}),
    url: target,
    withinBudget: !result.error && result.latencyMs <= OKTA_TIMEOUT_MS,
  }
  if (result.error || result.status === undefined) {
    const timedOut = result.error === 'TIMEOUT'
    return {
      body: JSON.stringify({error: timedOut ? `the app at ${target} did not answer within ${timeoutMs / 1000} s` : `could not reach the app at ${target} (${result.error})`}),
      headers: {'Content-Type': 'application/json'},
      outcome,
      result,
      status: timedOut ? 504 : 502,
    }
  }

  const back: Record<string, string> = {}
  for (const [name, value] of Object.entries(result.headers)) {
    if (!HOP_BY_HOP.has(name) && name !== 'date') back[name] = value
  }

  return {body: result.body, headers: back, outcome, result, status: result.status}
}
