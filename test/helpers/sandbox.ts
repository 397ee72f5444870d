/**
 * Test helpers for the sandbox: a sandbox on 127.0.0.1 (port 0), a raw HTTP client for its API,
 * and a tiny receiver that records what it is sent. Real HTTP, no nock.
 */
import http, {type IncomingHttpHeaders} from 'node:http'
import type {AddressInfo} from 'node:net'

import {SandboxServer, type SandboxOptions} from '../../src/lib/sandbox/server.js'
import {assertSchema} from './sandbox-schemas.js'

export const HOOK_TYPES = ['user.lifecycle.create', 'user.lifecycle.deactivate']

export interface ApiResponse {
  body: any
  headers: Headers
  status: number
  text: string
}

export interface TestSandbox {
  api(
    method: string,
    path: string,
    body?: unknown,
    options?: {rawBody?: string; token?: null | string},
  ): Promise<ApiResponse>
  sandbox: SandboxServer
  stop(): Promise<void>
  url: string
}

const running = new Set<() => Promise<unknown>>()

/** Stops every sandbox and receiver a test started (call in afterEach). */
export async function stopAll(): Promise<void> {
  const stops = [...running]
  running.clear()
  await Promise.all(stops.map((stop) => stop()))
}

export async function startSandbox(options: SandboxOptions = {}): Promise<TestSandbox> {
  const sandbox = await new SandboxServer({port: 0, token: 'test-sandbox-token-123', ...options}).start()
  const stop = async () => {
    running.delete(stop)
    await sandbox.stop(500)
  }

  running.add(stop)
  return {
    async api(method, path, body, apiOptions = {}) {
      const token = apiOptions.token === undefined ? sandbox.token : apiOptions.token
      const response = await fetch(path.startsWith('http') ? path : sandbox.url + path, {
        body: apiOptions.rawBody ?? (body === undefined ? undefined : JSON.stringify(body)),
        headers: {
          Accept: 'application/json',
          ...(token === null ? {} : {Authorization: `SSWS ${token}`}),
          'Content-Type': 'application/json',
        },
        method,
      })
      const text = await response.text()
      const result = {
        body: text ? JSON.parse(text) : undefined,
        headers: response.headers,
        status: response.status,
        text,
      }
      checkAgainstSpec(method, new URL(path, sandbox.url).pathname, result)
      return result
    },
    sandbox,
    stop,
    url: sandbox.url,
  }
}

/**
 * Every answer of the Okta API a test sees is checked against the official OpenAPI schema of its
 * operation: Error for 4xx/5xx, EventHook[] for list, EventHook for the single-hook operations,
 * LogEvent[] for the System Log, no body for a 204.
 */
export function checkAgainstSpec(
  method: string,
  path: string,
  response: {body: any; status: number; text: string},
): void {
  if (!path.startsWith('/api/v1/')) return
  if (response.status >= 400) {
    assertSchema('Error', response.body)
    for (const key of ['errorCode', 'errorSummary', 'errorLink', 'errorId', 'errorCauses']) {
      if (!(key in response.body)) throw new Error(`Okta error body without ${key}: ${response.text}`)
    }

    return
  }

  if (response.status === 204) {
    if (response.text !== '') throw new Error('204 with a body')
    return
  }

  if (path === '/api/v1/logs') assertSchema('LogEvent[]', response.body)
  else if (path === '/api/v1/eventHooks' && method === 'GET') assertSchema('EventHook[]', response.body)
  else assertSchema('EventHook', response.body)
}

export interface ReceivedRequest {
  body: string
  headers: IncomingHttpHeaders
  json?: any
  method: string
  url: string
}

export type ReceiverHandler = (request: ReceivedRequest, response: http.ServerResponse) => void

/** Answers Okta's verification challenge and accepts deliveries with 200. */
export const okReceiver: ReceiverHandler = (request, response) => {
  const challenge = request.headers['x-okta-verification-challenge']
  if (request.method === 'GET' && challenge) {
    response.writeHead(200, {'Content-Type': 'application/json'}).end(JSON.stringify({verification: challenge}))
    return
  }

  response.writeHead(200).end()
}

export interface Receiver {
  requests: ReceivedRequest[]
  url: string
  /** Resolves once `count` requests have arrived. */
  waitFor(count: number): Promise<ReceivedRequest[]>
}

export async function startReceiver(handler: ReceiverHandler = okReceiver): Promise<Receiver> {
  const requests: ReceivedRequest[] = []
  let waiters: {count: number; resolve: () => void}[] = []
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8')
      let json: any
      try {
        json = body ? JSON.parse(body) : undefined
      } catch {
        json = undefined
      }

      const received = {body, headers: request.headers, json, method: request.method ?? 'GET', url: request.url ?? '/'}
      requests.push(received)
      handler(received, response)
      waiters = waiters.filter((waiter) => {
        if (requests.length < waiter.count) return true
        waiter.resolve()
        return false
      })
    })
  })
  await new Promise<void>((resolve) => {
    server.listen(0, '127.0.0.1', resolve)
  })
  const stop = () =>
    new Promise<void>((resolve) => {
      running.delete(stop)
      server.close(() => resolve())
      server.closeAllConnections()
    })
  running.add(stop)
  return {
    requests,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/okta`,
    waitFor(count) {
      if (requests.length >= count) return Promise.resolve(requests)
      return new Promise((resolve) => {
        waiters.push({count, resolve: () => resolve(requests)})
      })
    },
  }
}

/** A valid create body for a hook calling `uri`. */
export function hookBody(uri: string, overrides: Record<string, any> = {}): Record<string, any> {
  return {
    channel: {
      config: {
        authScheme: {key: 'Authorization', type: 'HEADER', value: 'hook-secret-value'},
        headers: [{key: 'X-Other-Header', value: 'other-value'}],
        uri,
      },
      type: 'HTTP',
      version: '1.0.0',
    },
    events: {items: HOOK_TYPES, type: 'EVENT_TYPE'},
    name: 'Test hook',
    ...overrides,
  }
}
