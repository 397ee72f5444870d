/**
 * Sending a request the way Okta sends event hook calls, and judging the answer by Okta's rules:
 * 3-second timeout; 2xx in time is accepted; 4xx is not retried; 5xx or a timeout is retried once.
 * Used by preview, replay, check-endpoint and the sandbox's delivery engine.
 */
import http from 'node:http'
import https from 'node:https'

import {maskHeaders} from '../secrets/mask.js'
import type {AuthHeader} from '../hooks/auth-secret.js'
import type {EventHookHeader} from '../hooks/types.js'

export const OKTA_TIMEOUT_MS = 3000
export const MAX_RESPONSE_BODY = 64 * 1024

export interface HttpResult {
  /** Response body, at most MAX_RESPONSE_BODY bytes (or the request's maxResponseBytes). */
  body: string
  bodyTruncated: boolean
  /** Network error code or TIMEOUT when no response came. */
  error?: string
  headers: Record<string, string>
  latencyMs: number
  status?: number
}

export type Verdict = 'accepted' | 'rejected' | 'retryable'

export interface JudgedResult extends HttpResult {
  /** What Okta would make of it, in words. */
  explanation: string
  verdict: Verdict
}

/** The headers Okta sends with a delivery: Accept and Content-Type JSON, the hook's custom headers, its auth header. */
export function oktaDeliveryHeaders(custom: EventHookHeader[] | null | undefined, auth: AuthHeader | undefined): Record<string, string> {
  const headers: Record<string, string> = {Accept: 'application/json', 'Content-Type': 'application/json'}
  for (const header of custom ?? []) headers[header.key] = header.value
  if (auth) headers[auth.key] = auth.value
  return headers
}

const agents = {http: new http.Agent({keepAlive: true, maxSockets: 64}), https: new https.Agent({keepAlive: true, maxSockets: 64})}

/** One HTTP request with a hard timeout over the whole exchange. Never throws for HTTP or network failures. */
export function sendRequest(options: {
  body?: string
  headers: Record<string, string>
  /** Keep at most this many bytes of the response body (default MAX_RESPONSE_BODY). */
  maxResponseBytes?: number
  method: string
  timeoutMs?: number
  url: string
}): Promise<HttpResult> {
  const url = new URL(options.url)
  // A user:password@ in the URL would go out as Basic auth whatever the headers say: never sent.
  url.username = ''
  url.password = ''
  const transport = url.protocol === 'https:' ? https : http
  const timeoutMs = options.timeoutMs ?? OKTA_TIMEOUT_MS
  const maxBody = options.maxResponseBytes ?? MAX_RESPONSE_BODY
  const started = performance.now()
  return new Promise((resolve) => {
    let settled = false
    const finish = (result: Omit<HttpResult, 'latencyMs'>) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      resolve({...result, latencyMs: Math.round(performance.now() - started)})
    }

    const request = transport.request(
      url,
      {
        agent: url.protocol === 'https:' ? agents.https : agents.http,
        headers: {...options.headers, ...(options.body === undefined ? {} : {'Content-Length': String(Buffer.byteLength(options.body))})},
        method: options.method,
      },
      (response) => {
        const chunks: Buffer[] = []
        let size = 0
        let truncated = false
        response.on('data', (chunk: Buffer) => {
          if (size < maxBody) chunks.push(chunk.subarray(0, maxBody - size))
          else truncated = true
          size += chunk.length
          if (size > maxBody) truncated = true
        })
        response.on('end', () =>
          finish({
            body: Buffer.concat(chunks).toString('utf8'),
            bodyTruncated: truncated,
            headers: Object.fromEntries(Object.entries(response.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : String(v)])),
            status: response.statusCode,
          }),
        )
        response.on('error', (error: NodeJS.ErrnoException) => finish({body: '', bodyTruncated: false, error: error.code ?? 'NETWORK', headers: {}}))
      },
    )
    const timer = setTimeout(() => {
      finish({body: '', bodyTruncated: false, error: 'TIMEOUT', headers: {}})
      request.destroy()
    }, timeoutMs)
    request.on('error', (error: NodeJS.ErrnoException) => finish({body: '', bodyTruncated: false, error: error.code ?? error.message, headers: {}}))
    if (options.body !== undefined) request.write(options.body)
    request.end()
  })
}

/** Okta's verdict on one delivery attempt. */
export function judgeDelivery(result: HttpResult, timeoutMs = OKTA_TIMEOUT_MS): JudgedResult {
  if (result.error === 'TIMEOUT') {
    return {...result, explanation: `no answer within ${timeoutMs / 1000} s: Okta counts a timeout as a failure and retries once`, verdict: 'retryable'}
  }

  if (result.error || result.status === undefined) {
    return {...result, explanation: `could not connect (${result.error}): Okta retries once, then gives up`, verdict: 'retryable'}
  }

  if (result.status >= 200 && result.status < 300) {
    return {...result, explanation: `${result.status} in ${result.latencyMs} ms: Okta accepts this delivery`, verdict: 'accepted'}
  }

  if (result.status >= 500) {
    return {...result, explanation: `${result.status}: Okta retries a 5xx once, then records an event_hook.delivery failure`, verdict: 'retryable'}
  }

  return {...result, explanation: `${result.status}: Okta does not retry a ${result.status < 400 ? 'non-2xx' : '4xx'} answer; the events are lost to this hook`, verdict: 'rejected'}
}

/** Posts a JSON body as Okta would, with Okta's single retry on 5xx or timeout when `retry` is set. */
export async function deliverLikeOkta(options: {
  body: string
  headers: Record<string, string>
  retry?: boolean
  timeoutMs?: number
  url: string
}): Promise<{attempts: JudgedResult[]; final: JudgedResult}> {
  const attempts: JudgedResult[] = []
  const maxAttempts = options.retry ? 2 : 1
  for (let i = 0; i < maxAttempts; i++) {
    const judged = judgeDelivery(await sendRequest({...options, method: 'POST'}), options.timeoutMs)
    attempts.push(judged)
    if (judged.verdict !== 'retryable') break
  }

  return {attempts, final: attempts.at(-1) as JudgedResult}
}

/** Request headers as shown to people and stored: credentials masked (plus the hook's own auth header name). */
export function showHeaders(headers: Record<string, string>, authHeaderName?: string): Record<string, string> {
  return maskHeaders(headers, {extraSecretNames: authHeaderName ? [authHeaderName] : []})
}
