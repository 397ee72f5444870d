/** How recorded deliveries look in `deliveries list` and `deliveries show`. */
import {type Column, type Output, renderTable} from '../io/table.js'
import type {DeliveryRecord} from './delivery-store.js'

export interface DeliveryRow {
  events?: number
  id: string
  kind: DeliveryRecord['kind']
  latencyMs: number
  method: string
  /** Its number in the record (what `deliveries replay 3..7` selects); absent for records written before numbering. */
  n?: number
  path: string
  problem?: string
  receivedAt: string
  status: number
}

export function deliveryRow(record: DeliveryRecord): DeliveryRow {
  return {
    ...(record.delivery ? {events: record.delivery.events} : {}),
    id: record.id,
    kind: record.kind,
    latencyMs: record.latencyMs,
    method: record.request.method,
    ...(record.n === undefined ? {} : {n: record.n}),
    path: record.request.path,
    ...(record.problem ? {problem: record.problem.code} : {}),
    receivedAt: record.receivedAt,
    status: record.response.status,
  }
}

const DELIVERY_COLUMNS: Column<DeliveryRow>[] = [
  {cell: (row) => row.id, header: 'ID'},
  {cell: (row) => row.receivedAt.replace('T', ' ').replace(/\.\d+Z$/, 'Z'), header: 'TIME'},
  {cell: (row) => row.method, header: 'METHOD'},
  {cell: (row) => row.path, flexible: true, header: 'PATH'},
  {cell: (row) => (row.problem ? `${row.status} ${row.problem}` : String(row.status)), header: 'STATUS'},
  {
    cell: (row) => (row.events === undefined ? (row.kind === 'verification' ? 'verify' : '-') : String(row.events)),
    header: 'EVENTS',
  },
  {cell: (row) => `${row.latencyMs} ms`, header: 'LATENCY'},
]

/** `deliveries list`: one line per recorded request (linear in the rows, so hundreds of thousands render). */
export function renderDeliveryTable(rows: DeliveryRow[], output: Output): string {
  return renderTable(DELIVERY_COLUMNS, rows, output)
}

function prettyBody(body: string | undefined, bytes?: number): string[] {
  if (body === undefined) return [bytes ? `(body of ${bytes} bytes not kept: over the size limit)` : '(no body)']
  if (body === '') return ['(empty body)']
  try {
    return JSON.stringify(JSON.parse(body), null, 2).split('\n')
  } catch {
    return body.split('\n')
  }
}

/** The full exchange, for a person: request line, headers (masked), body, then the answer. */
export function renderDelivery(record: DeliveryRecord): string {
  const lines: string[] = [
    `Delivery ${record.id}  (${record.kind}, received ${record.receivedAt}, auth ${record.auth})`,
    ...(record.problem ? [`Problem: ${record.problem.code}: ${record.problem.message}`] : []),
    ...(record.delivery
      ? [
          `Envelope: eventId ${record.delivery.eventId ?? '?'}, ${record.delivery.events} event(s): ` +
            `${record.delivery.eventTypes.join(', ') || '-'}`,
        ]
      : []),
    '',
    `> ${record.request.method} ` +
      `${record.request.path}${record.request.remoteAddress ? `  from ${record.request.remoteAddress}` : ''}`,
    ...Object.entries(record.request.headers).map(([name, value]) => `> ${name}: ${value}`),
    '',
    ...prettyBody(record.request.body, record.request.bodyBytes),
    '',
    `< ${record.response.status}  in ${record.latencyMs} ms`,
    ...Object.entries(record.response.headers).map(([name, value]) => `< ${name}: ${value}`),
    '',
    ...prettyBody(record.response.body),
  ]
  if (record.forward) {
    const f = record.forward
    const budget = f.withinBudget ? " (within Okta's 3 s)" : ' (Okta would not have waited: over 3 s or failed)'
    lines.push('', `Forwarded to ${f.url}: ${f.error ? f.error : `${f.status} in ${f.latencyMs} ms`}${budget}`)
  }

  return lines.join('\n')
}
