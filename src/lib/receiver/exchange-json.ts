/**
 * One request as JSON, for `listen --json` (one NDJSON line each) and anything else that shows
 * exchanges to scripts: the record's essentials, and for a delivery every event summarized plus
 * the envelope. A delivery too deeply nested for JSON.stringify still gets its line: the envelope
 * is then written from the body as received.
 */
import type {Exchange} from './recording.js'
import {summarizeEnvelope} from './describe.js'

export function exchangeJson({envelope, record, verificationAnswer}: Exchange): Record<string, unknown> {
  return {
    type: record.kind,
    id: record.id,
    receivedAt: record.receivedAt,
    method: record.request.method,
    path: record.request.path,
    status: record.response.status,
    latencyMs: record.latencyMs,
    auth: record.auth,
    ...(record.problem ? {problem: record.problem} : {}),
    ...(record.forward ? {forward: record.forward} : {}),
    ...(verificationAnswer ? {verificationAnswer} : {}),
    ...(envelope
      ? {
          batchSize: envelope.data.events.length,
          envelope,
          eventId: record.delivery?.eventId,
          events: summarizeEnvelope(envelope),
        }
      : {}),
  }
}

/**
 * exchangeJson as one line of JSON. When the envelope nests too deep to serialize (JSON.parse
 * takes any depth, JSON.stringify does not), the envelope is spliced in from the recorded body,
 * which is JSON already: a JSON text has no raw newline inside a string, so dropping its
 * newlines keeps it valid and on one line.
 */
export function exchangeLine(exchange: Exchange): string {
  const value = exchangeJson(exchange)
  try {
    return JSON.stringify(value)
  } catch (error) {
    const body = exchange.record.request.body
    if (!(error instanceof RangeError) || !exchange.envelope || body === undefined) throw error
    const {envelope: _deep, ...rest} = value
    return JSON.stringify(rest).slice(0, -1) + ',"envelope":' + body.replaceAll(/[\r\n]/g, '') + '}'
  }
}
