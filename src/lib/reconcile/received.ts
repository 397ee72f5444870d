/**
 * What a receiver got, as event uuids: from a `listen` record (the deliveries it answered 2xx:
 * Okta counts any other answer as failed) or from a file of receipts a service logged itself,
 * one a line: a JSON object with the event's `uuid` (and, if it has them, `published`), a whole
 * delivery envelope (`data.events[]`), or a bare uuid. No oclif here.
 */
import {existsSync, statSync} from 'node:fs'

import {usageError} from '../errors.js'
import {linesFromStart} from '../io/line-file.js'
import {DeliveryStore} from '../receiver/delivery-store.js'

/** One event received once. */
export interface Receipt {
  /** When Okta published the event, when the receipt says. */
  published?: string
  uuid: string
}

/** A bare uuid line: one word of letters, digits and dashes (Okta's uuids, and whatever ids a service keeps). */
const BARE_ID = /^[\w-]+$/

/**
 * The events of the deliveries a `listen` record holds that it accepted (answered 2xx), one receipt per event. The
 * file is checked now (exit 2 when there is none), read as the receipts are.
 */
export function recordReceipts(path: string): Iterable<Receipt> {
  checkFile(path, '--record')
  return readRecord(path)
}

/** The receipts of a --received file (checked now, read as the receipts are). */
export function fileReceipts(path: string): Iterable<Receipt> {
  checkFile(path, '--received')
  return readReceiptsFile(path)
}

function* readRecord(path: string): Generator<Receipt> {
  for (const record of new DeliveryStore(path).newestFirst()) {
    if (record.kind !== 'delivery' || record.response.status < 200 || record.response.status > 299) continue
    const body = record.request.body
    if (body === undefined) continue
    let envelope: unknown
    try {
      envelope = JSON.parse(body)
    } catch {
      continue // a body the receiver could not read either
    }

    yield* envelopeReceipts(envelope)
  }
}

/** NDJSON objects with a uuid, envelopes, or one uuid a line; blank lines and # comments skipped. */
function* readReceiptsFile(path: string): Generator<Receipt> {
  let n = 0
  for (const buffer of linesFromStart(path)) {
    n++
    const line = buffer.toString('utf8').trim()
    if (!line || line.startsWith('#')) continue
    if (!line.startsWith('{')) {
      if (!BARE_ID.test(line)) throw badLine(path, n, 'is neither a uuid nor a JSON object')
      yield {uuid: line}
      continue
    }

    let value: unknown
    try {
      value = JSON.parse(line)
    } catch {
      throw badLine(path, n, 'is not valid JSON')
    }

    const receipts = [...lineReceipts(value)]
    if (receipts.length === 0) throw badLine(path, n, 'has no "uuid" (nor data.events[].uuid)')
    yield* receipts
  }
}

function* lineReceipts(value: unknown): Generator<Receipt> {
  const receipt = receiptOf(value)
  if (receipt) yield receipt
  else yield* envelopeReceipts(value)
}

function* envelopeReceipts(envelope: unknown): Generator<Receipt> {
  const events = (envelope as {data?: {events?: unknown}} | null)?.data?.events
  if (!Array.isArray(events)) return
  for (const event of events) {
    const receipt = receiptOf(event)
    if (receipt) yield receipt
  }
}

function receiptOf(value: unknown): Receipt | undefined {
  if (!value || typeof value !== 'object') return undefined
  const {published, uuid} = value as {published?: unknown; uuid?: unknown}
  if (typeof uuid !== 'string' || !uuid) return undefined
  return typeof published === 'string' ? {published, uuid} : {uuid}
}

function checkFile(path: string, flag: string): void {
  if (!existsSync(path) || !statSync(path).isFile()) {
    throw usageError(`${flag} ${path}: no such file.`, [
      flag === '--record'
        ? 'Give the file `okta-hooks listen --record FILE` wrote'
        : 'Give an NDJSON file of receipts ({"uuid": "..."} a line) or of uuids, one a line',
    ])
  }
}

function badLine(path: string, n: number, why: string) {
  return usageError(`--received ${path}: line ${n} ${why}.`, [
    'Each line: {"uuid": "<event uuid>"} (other fields ignored), a delivery envelope, or a bare uuid',
  ])
}
