/** How recorded deliveries look in `deliveries list` and `deliveries show`. */
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

/** Past this many rows, the table is plain aligned columns: cli-table3 cannot lay out hundreds of thousands. */
export const BOXED_TABLE_MAX_ROWS = 1000
const HEAD = ['ID', 'TIME', 'METHOD', 'PATH', 'STATUS', 'EVENTS', 'LATENCY']

function cells(row: DeliveryRow): string[] {
  return [
    row.id,
    row.receivedAt.replace('T', ' ').replace(/\.\d+Z$/, 'Z'),
    row.method,
    row.path,
    row.problem ? `${row.status} ${row.problem}` : String(row.status),
    row.events === undefined ? (row.kind === 'verification' ? 'verify' : '-') : String(row.events),
    `${row.latencyMs} ms`,
  ]
}

export async function renderDeliveryTable(rows: DeliveryRow[]): Promise<string> {
  if (rows.length > BOXED_TABLE_MAX_ROWS) return alignedColumns([HEAD, ...rows.map((row) => cells(row))])
  const {default: Table} = await import('cli-table3')
  const table = new Table({head: HEAD, style: {border: [], head: []}})
  for (const row of rows) table.push(cells(row))
  return table.toString()
}

function alignedColumns(lines: string[][]): string {
  const widths = HEAD.map((_, i) => lines.reduce((width, line) => Math.max(width, line[i].length), 0))
  return lines.map((line) => line.map((cell, i) => (i === line.length - 1 ? cell : cell.padEnd(widths[i]))).join('  ')).join('\n')
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
    ...(record.delivery ? [`Envelope: eventId ${record.delivery.eventId ?? '?'}, ${record.delivery.events} event(s): ` + `${record.delivery.eventTypes.join(', ') || '-'}`] : []),
    '',
    `> ${record.request.method} ` + `${record.request.path}${record.request.remoteAddress ? `  from ${record.request.remoteAddress}` : ''}`,
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
    const budget = f.withinBudget ? ' (within Okta\'s 3 s)' : ' (Okta would not have waited: over 3 s or failed)'
    lines.push('', `Forwarded to ${f.url}: ${f.error ? f.error : `${f.status} in ${f.latencyMs} ms`}${budget}`)
  }

  return lines.join('\n')
}
