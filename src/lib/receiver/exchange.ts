/**
 * One request to the hook endpoint, read once (method, path, auth, a bounded body), and what a
 * part of the receiver decides about it (an Outcome: the answer plus what the record says). The
 * parts (refusals, verification, delivery, relay) are functions from a call to an outcome; the
 * server sends the answer and the recorder records it. No oclif here.
 */
import type {IncomingMessage, ServerResponse} from 'node:http'

import type {DeliveryEnvelope} from '../delivery/envelope.js'
import {CHALLENGE_HEADER, type Judgement} from '../endpoint-check/verification.js'
import type {AuthOutcome} from './auth-check.js'
import type {DeliveryRecord, ExchangeKind, ForwardOutcome} from './delivery-store.js'

export interface BodyRead {
  /** The body as received; absent when it was refused (too large) or cut (never finished). */
  body?: Buffer
  bytes: number
  /** The client did not finish sending it within the body timeout. */
  timedOut: boolean
  tooLarge: boolean
}

export interface BodyLimits {
  maxBytes: number
  timeoutMs: number
}

/**
 * Reads a request body up to `maxBytes`; beyond it, stops keeping data and reports tooLarge. A body
 * still unfinished after `timeoutMs` (from the end of the headers) is cut: timedOut.
 */
export function readBody(request: IncomingMessage, limits: BodyLimits): Promise<BodyRead> {
  const declared = Number(request.headers['content-length'])
  if (Number.isFinite(declared) && declared > limits.maxBytes) {
    request.resume()
    return Promise.resolve({bytes: declared, timedOut: false, tooLarge: true})
  }

  return new Promise((resolve) => {
    const chunks: Buffer[] = []
    let bytes = 0
    let done = false
    const finish = (read: Omit<BodyRead, 'timedOut' | 'tooLarge'> & Partial<BodyRead>) => {
      if (done) return
      done = true
      clearTimeout(timer)
      resolve({timedOut: false, tooLarge: false, ...read})
    }

    const timer = setTimeout(() => {
      request.pause()
      finish({bytes, timedOut: true})
    }, limits.timeoutMs)
    request.on('data', (chunk: Buffer) => {
      bytes += chunk.length
      if (bytes > limits.maxBytes) {
        chunks.length = 0
        finish({bytes, tooLarge: true})
      } else chunks.push(chunk)
    })
    const whole = () => finish({body: Buffer.concat(chunks), bytes})
    request.on('end', whole)
    request.on('error', whole)
    request.on('close', whole)
  })
}

/** A request to the hook endpoint, as every part sees it. */
export interface IncomingCall {
  auth: AuthOutcome
  body: BodyRead
  /** The body as UTF-8 text, when it was read whole. */
  bodyText?: string
  /** The X-Okta-Verification-Challenge header, if any. */
  challenge?: string
  method: string
  /** The path only, parsed (dot segments resolved), for matching. */
  pathname: string
  /** Path and query as received, for the record. */
  rawUrl: string
  receivedAt: string
  request: IncomingMessage
  /** performance.now() at arrival, for the latency. */
  started: number
}

export function pathnameOf(rawUrl: string): string {
  try {
    return new URL(rawUrl, 'http://receiver.invalid').pathname
  } catch {
    return rawUrl
  }
}

/** The call as the parts see it, with the body already read (or none, for CONNECT). */
export function describeCall(
  request: IncomingMessage,
  auth: AuthOutcome,
  body: BodyRead,
  started = performance.now(),
): IncomingCall {
  const rawUrl = request.url ?? '/'
  const challenge = request.headers[CHALLENGE_HEADER.toLowerCase()]
  return {
    auth,
    body,
    bodyText: body.body ? body.body.toString('utf8') : undefined,
    challenge: Array.isArray(challenge) ? challenge[0] : challenge,
    method: (request.method ?? 'GET').toUpperCase(),
    pathname: pathnameOf(rawUrl),
    rawUrl,
    receivedAt: new Date().toISOString(),
    request,
    started,
  }
}

export interface Answer {
  body: string
  headers: Record<string, string>
  status: number
}

export type Problem = NonNullable<DeliveryRecord['problem']>

/** What a part decided about a call: the answer, and what the record says about it. */
export interface Outcome {
  answer: Answer
  /** The parsed envelope of a delivery. */
  envelope?: DeliveryEnvelope
  forward?: ForwardOutcome
  kind: ExchangeKind
  problem?: Problem
  /** For a forwarded verification GET: whether the app's answer would satisfy Okta. */
  verificationAnswer?: Judgement
}

/** An answer: a string body as is, any other value as JSON (with its Content-Type). */
export function answer(status: number, body: unknown = '', headers: Record<string, string> = {}): Answer {
  if (body === '' || body === undefined) return {body: '', headers: {...headers}, status}
  if (typeof body === 'string') return {body, headers: {...headers}, status}
  return {body: JSON.stringify(body), headers: {'Content-Type': 'application/json', ...headers}, status}
}

/** A refusal: the status, and the problem both in the record and as the JSON {error} answer. */
export function refusal(
  kind: ExchangeKind,
  status: number,
  problem: Problem,
  headers: Record<string, string> = {},
): Outcome {
  return {answer: answer(status, {error: problem.message}, headers), kind, problem}
}

/** Writes the answer; resolves once it is sent or the client is gone. */
export function sendAnswer(response: ServerResponse, {body, headers, status}: Answer): Promise<void> {
  return new Promise<void>((resolve) => {
    response.on('close', resolve)
    response.on('finish', resolve)
    try {
      response.writeHead(status, {...headers, 'Content-Length': String(Buffer.byteLength(body))})
      response.end(body)
    } catch {
      resolve()
    }
  })
}
