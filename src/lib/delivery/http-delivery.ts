/**
 * Sending a request the way Okta sends event hook calls, and judging the answer by Okta's rules:
 * 3-second timeout; a 2xx in time is `accepted`; a 4xx (or 3xx) is `rejected` and not retried; a
 * 5xx, a timeout or no connection `failed`, retried once. Used by preview, replay, deliveries
 * replay, check-endpoint and the sandbox's delivery engine.
 */
import http from 'node:http'
import https from 'node:https'

import {formatDuration} from '../duration.js'
import {maskHeaders} from '../secrets/mask.js'
import {withNewRequestId} from './okta-headers.js'

/** The time Okta gives a receiver to answer (a delivery or the verification GET): 3 s. */
export const RECEIVER_TIMEOUT_MS = 3000
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

/**
 * Okta's verdict on a delivery: `accepted` (2xx in time), `rejected` (3xx/4xx: not retried, the
 * events are lost to the hook) or `failed` (5xx, timeout, no connection: retried once).
 */
export type Verdict = 'accepted' | 'failed' | 'rejected'

/**
 * The verdict of several deliveries: the worst of theirs (failed, then rejected; accepted when all were, or none was
 * sent).
 */
export function worstVerdict(verdicts: Iterable<Verdict>): Verdict {
  let worst: Verdict = 'accepted'
  for (const verdict of verdicts) {
    if (verdict === 'failed') return 'failed'
    if (verdict === 'rejected') worst = 'rejected'
  }

  return worst
}

export interface JudgedResult extends HttpResult {
  /** What Okta would make of it, in words. */
  explanation: string
  /** The X-Okta-Request-Id this attempt carried (deliverLikeOkta gives each attempt its own). */
  requestId?: string
  verdict: Verdict
}

const agents = {
  http: new http.Agent({keepAlive: true, maxSockets: 64}),
  https: new https.Agent({keepAlive: true, maxSockets: 64}),
}

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
  const timeoutMs = options.timeoutMs ?? RECEIVER_TIMEOUT_MS
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
        headers: {
          ...options.headers,
          ...(options.body === undefined ? {} : {'Content-Length': String(Buffer.byteLength(options.body))}),
        },
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
            headers: Object.fromEntries(
              Object.entries(response.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : String(v)]),
            ),
            status: response.statusCode,
          }),
        )
        response.on('error', (error: NodeJS.ErrnoException) =>
          finish({body: '', bodyTruncated: false, error: error.code ?? 'NETWORK', headers: {}}),
        )
      },
    )
    const timer = setTimeout(() => {
      finish({body: '', bodyTruncated: false, error: 'TIMEOUT', headers: {}})
      request.destroy()
    }, timeoutMs)
    request.on('error', (error: NodeJS.ErrnoException) =>
      finish({body: '', bodyTruncated: false, error: error.code ?? error.message, headers: {}}),
    )
    if (options.body !== undefined) request.write(options.body)
    request.end()
  })
}

/** Okta's verdict on one delivery attempt. */
export function judgeDelivery(result: HttpResult, timeoutMs = RECEIVER_TIMEOUT_MS): JudgedResult {
  if (result.error === 'TIMEOUT') {
    const within = `no answer within ${formatDuration(timeoutMs)}`
    return {...result, explanation: `${within}: Okta counts a timeout as a failure and retries once`, verdict: 'failed'}
  }

  if (result.error || result.status === undefined) {
    return {
      ...result,
      explanation: `could not connect (${result.error}): Okta retries once, then gives up`,
      verdict: 'failed',
    }
  }

  if (result.status >= 200 && result.status < 300) {
    return {
      ...result,
      explanation: `${result.status} in ${result.latencyMs} ms: Okta accepts this delivery`,
      verdict: 'accepted',
    }
  }

  if (result.status >= 500) {
    const explanation = `${result.status}: Okta retries a 5xx once, then records an event_hook.delivery failure`
    return {...result, explanation, verdict: 'failed'}
  }

  const kind = result.status < 400 ? 'non-2xx' : '4xx'
  return {
    ...result,
    explanation: `${result.status}: Okta does not retry a ${kind} answer; the events are lost to this hook`,
    verdict: 'rejected',
  }
}

/**
 * Posts a JSON body as Okta would, with Okta's single retry on 5xx or timeout when `retry` is set.
 * Each attempt is a new request with its own X-Okta-Request-Id (okta-headers.ts).
 */
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
    const {headers, requestId} = withNewRequestId(options.headers)
    const judged = judgeDelivery(await sendRequest({...options, headers, method: 'POST'}), options.timeoutMs)
    attempts.push({...judged, requestId})
    if (judged.verdict !== 'failed') break
  }

  return {attempts, final: attempts.at(-1) as JudgedResult}
}

/** Request headers as shown to people and stored: credentials masked (plus the hook's own auth header name). */
export function showHeaders(headers: Record<string, string>, authHeaderName?: string): Record<string, string> {
  return maskHeaders(headers, {extraSecretNames: authHeaderName ? [authHeaderName] : []})
}
