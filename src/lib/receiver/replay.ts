/**
 * Resending a recorded request to the developer's app, optionally modified with --set edits:
 * what `deliveries replay` does. Masked headers (the auth header among them) were never stored,
 * so they are dropped and the auth header comes from the auth flags instead.
 */
import {applyAssignments, type Assignment} from '../delivery/modify.js'
import {type HttpResult, judgeDelivery, sendRequest} from '../delivery/http-delivery.js'
import {CHALLENGE_HEADER, type Judgement, judgeVerification} from '../endpoint-check/verification.js'
import {usageError} from '../errors.js'
import type {AuthHeader} from '../hooks/auth-secret.js'
import {MASK} from '../secrets/mask.js'
import type {DeliveryRecord} from './delivery-store.js'

const NOT_REPLAYED = new Set(['connection', 'content-length', 'host', 'keep-alive', 'transfer-encoding', 'x-forwarded-by', 'x-request-id'])

export interface ReplayResult {
  /** Headers that were masked in the store and so not resent. */
  droppedHeaders: string[]
  id: string
  judgement: Judgement
  method: string
  modified: string[]
  response: Pick<HttpResult, 'body' | 'error' | 'headers' | 'latencyMs' | 'status'>
  to: string
}

/** The request to resend: the recorded method, headers that were stored in clear, the (edited) body, and the auth header. */
export function replayRequest(record: DeliveryRecord, options: {assignments?: Assignment[]; auth?: AuthHeader}): {body?: string; droppedHeaders: string[]; headers: Record<string, string>} {
  const headers: Record<string, string> = {}
  const droppedHeaders: string[] = []
  for (const [name, value] of Object.entries(record.request.headers)) {
    if (NOT_REPLAYED.has(name.toLowerCase())) continue
    if (value === MASK || value.endsWith(` ${MASK}`)) {
      if (!options.auth || options.auth.key.toLowerCase() !== name.toLowerCase()) droppedHeaders.push(name)
      continue
    }

    headers[name] = value
  }

  if (options.auth) {
    for (const name of Object.keys(headers)) if (name.toLowerCase() === options.auth.key.toLowerCase()) delete headers[name]
    headers[options.auth.key] = options.auth.value
  }

  let body = record.request.body
  const assignments = options.assignments ?? []
  if (record.request.method === 'POST' && body === undefined) {
    throw usageError(`Delivery ${record.id} has no recorded body (it was refused as too large), so it cannot be replayed.`)
  }

  if (assignments.length > 0) {
    if (body === undefined || body === '' || record.request.method === 'GET') {
      throw usageError(`Delivery ${record.id} is a ${record.request.method} without a body; --set has nothing to change.`)
    }

    let parsed: unknown
    try {
      parsed = JSON.parse(body)
    } catch {
      throw usageError(`Delivery ${record.id} has a body that is not JSON; --set needs JSON to change.`)
    }

    try {
      body = JSON.stringify(applyAssignments(parsed, assignments))
    } catch (error) {
      if (!(error instanceof RangeError)) throw error
      throw usageError(`Delivery ${record.id} has a body nested too deeply to edit with --set; replay it without --set.`)
    }
  }

  return {body: record.request.method === 'GET' ? undefined : body, droppedHeaders, headers}
}

export async function replayDelivery(record: DeliveryRecord, options: {assignments?: Assignment[]; auth?: AuthHeader; timeoutMs?: number; to: string}): Promise<ReplayResult> {
  const {body, droppedHeaders, headers} = replayRequest(record, options)
  const result = await sendRequest({body, headers, method: record.request.method, timeoutMs: options.timeoutMs, url: options.to})
  const challengeName = Object.keys(headers).find((name) => name.toLowerCase() === CHALLENGE_HEADER.toLowerCase())
  let judgement: Judgement
  if (record.request.method === 'GET' && challengeName) {
    judgement = judgeVerification(result, headers[challengeName], options.timeoutMs)
  } else {
    const judged = judgeDelivery(result, options.timeoutMs)
    judgement = {detail: judged.explanation, status: judged.verdict === 'accepted' ? 'pass' : 'fail'}
  }

  return {
    droppedHeaders,
    id: record.id,
    judgement,
    method: record.request.method,
    modified: (options.assignments ?? []).map((a) => a.path),
    response: {body: result.body, error: result.error, headers: result.headers, latencyMs: result.latencyMs, status: result.status},
    to: options.to,
  }
}
