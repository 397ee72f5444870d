/**
 * What the receiver refuses, before any part answers: the wrong path (404), a method Okta never
 * uses (405, CONNECT included), a body that never finishes (408), a missing or wrong auth header
 * (401), a body over the limit (413); and what Node's HTTP parser refuses before there is a
 * request at all: headers over 16 KiB (431), an unknown method (405), anything malformed (400).
 */
import type {IncomingMessage} from 'node:http'
import type {Duplex} from 'node:stream'

import {answer, type IncomingCall, type Outcome, refusal} from './exchange.js'
import type {ExchangeKind} from './delivery-store.js'

/** The methods Okta calls a hook with: GET to verify, POST to deliver. */
export const SERVED_METHODS = ['GET', 'POST']
const ALLOW = {Allow: SERVED_METHODS.join(', ')}

export interface RefusalSettings {
  authName?: string
  bodyTimeoutMs: number
  maxBodyBytes: number
  path: string
}

/** GET is a verification, POST a delivery. */
export function callKind(method: string): ExchangeKind {
  return method === 'GET' ? 'verification' : 'delivery'
}

export function methodNotAllowed(method: string): Outcome {
  const message = `${method} is not how Okta calls a hook (GET to verify, POST to deliver)`
  return refusal('other', 405, {code: 'METHOD_NOT_ALLOWED', message}, ALLOW)
}

/** The refusal for a call, or undefined when a part should answer it. */
export function refuseCall(call: IncomingCall, settings: RefusalSettings): Outcome | undefined {
  if (call.pathname !== settings.path) {
    return refusal('other', 404, {
      code: 'WRONG_PATH',
      message: `nothing here: the receiver answers on ${settings.path}`,
    })
  }

  if (!SERVED_METHODS.includes(call.method)) return methodNotAllowed(call.method)
  const kind = callKind(call.method)
  if (call.body.timedOut) {
    const message =
      `the body was not finished within ${settings.bodyTimeoutMs / 1000} s (--body-timeout); ` +
      'Okta sends it at once and gives up after 3 s'
    return refusal(kind, 408, {code: 'BODY_TIMEOUT', message}, {Connection: 'close'})
  }

  if (call.auth === 'missing' || call.auth === 'wrong') {
    const message =
      call.auth === 'missing' ? `no ${settings.authName} header` : `wrong ${settings.authName} header value`
    return {answer: answer(401, {error: 'unauthorized'}), kind, problem: {code: 'UNAUTHORIZED', message}}
  }

  if (call.body.tooLarge) {
    const limit = `the limit of ${settings.maxBodyBytes} bytes (--max-body)`
    const message = `body of ${call.body.bytes} bytes or more is over ${limit}`
    return refusal(kind, 413, {code: 'BODY_TOO_LARGE', message}, {Connection: 'close'})
  }

  return undefined
}

/** Problems that mean the request never got to be a delivery (not counted as one). */
export const NOT_RECEIVED = new Set(['BODY_TIMEOUT', 'BODY_TOO_LARGE', 'UNAUTHORIZED'])

interface ParserRefusal {
  headers?: Record<string, string>
  message: string
  status: number
  text: string
}

const MALFORMED: ParserRefusal = {message: 'malformed HTTP request', status: 400, text: 'Bad Request'}
const PARSER_REFUSALS: Record<string, ParserRefusal> = {
  HPE_HEADER_OVERFLOW: {
    message: 'the request headers are over the 16 KiB limit',
    status: 431,
    text: 'Request Header Fields Too Large',
  },
  HPE_INVALID_METHOD: {
    headers: ALLOW,
    message: 'unknown method: Okta calls a hook with GET (verify) and POST (deliver)',
    status: 405,
    text: 'Method Not Allowed',
  },
}

/** Raw HTTP/1.1 text of a JSON answer, for a socket that has no ServerResponse. */
export function rawAnswer(status: number, text: string, body: string, headers: Record<string, string> = {}): string {
  const all = {
    ...headers,
    Connection: 'close',
    'Content-Length': String(Buffer.byteLength(body)),
    'Content-Type': 'application/json',
  }
  const lines = [`HTTP/1.1 ${status} ${text}`, ...Object.entries(all).map(([name, value]) => `${name}: ${value}`)]
  return lines.join('\r\n') + '\r\n\r\n' + body
}

/** A request line of the form "METHOD target HTTP/1.1": an unknown method, not garbage. */
const REQUEST_LINE = /^[A-Za-z][\w!#$%&'*+.^`|~-]*[ \t]+\S+[ \t]+HTTP\/\d\.\d\r?\n/

/** Node's parser refused the request (server 'clientError'): answer what it was, then close. */
export function answerParserError(error: NodeJS.ErrnoException & {rawPacket?: Buffer}, socket: Duplex): void {
  if (!socket.writable) {
    socket.destroy()
    return
  }

  const garbage = error.code === 'HPE_INVALID_METHOD' && !REQUEST_LINE.test(error.rawPacket?.toString('latin1') ?? '')
  const refusedAs = (garbage ? undefined : PARSER_REFUSALS[error.code ?? '']) ?? MALFORMED
  socket.end(rawAnswer(refusedAs.status, refusedAs.text, JSON.stringify({error: refusedAs.message}), refusedAs.headers))
}

/** A CONNECT (server 'connect'): Okta never tunnels through a hook; 405, then close. Returns the outcome to record. */
export function refuseConnect(request: IncomingMessage, socket: Duplex): Outcome {
  const outcome = methodNotAllowed('CONNECT')
  if (socket.writable) socket.end(rawAnswer(405, 'Method Not Allowed', outcome.answer.body, ALLOW))
  else socket.destroy()
  request.resume()
  return outcome
}
