/** Turning a received envelope into what a person (or a script) wants to see of each event. */
import type {DeliveryEnvelope, LogEvent} from '../delivery/envelope.js'

export interface Party {
  alternateId?: string
  displayName?: string
  id?: string
  type?: string
}

export interface EventSummary {
  actor?: Party
  displayMessage?: string
  eventType?: string
  outcome?: string
  published?: string
  targets: Party[]
  uuid?: string
}

function party(value: unknown): Party | undefined {
  if (!value || typeof value !== 'object') return undefined
  const v = value as Record<string, unknown>
  const pick = (key: string) => (typeof v[key] === 'string' ? (v[key] as string) : undefined)
  return {alternateId: pick('alternateId'), displayName: pick('displayName'), id: pick('id'), type: pick('type')}
}

export function summarizeEvent(event: LogEvent): EventSummary {
  const e = event as Record<string, any>
  return {
    actor: party(e.actor),
    displayMessage: typeof e.displayMessage === 'string' ? e.displayMessage : undefined,
    eventType: typeof e.eventType === 'string' ? e.eventType : undefined,
    outcome: typeof e.outcome?.result === 'string' ? e.outcome.result : undefined,
    published: typeof e.published === 'string' ? e.published : undefined,
    targets: Array.isArray(e.target) ? (e.target.map((t: unknown) => party(t)).filter(Boolean) as Party[]) : [],
    uuid: typeof e.uuid === 'string' ? e.uuid : undefined,
  }
}

export function summarizeEnvelope(envelope: DeliveryEnvelope): EventSummary[] {
  return envelope.data.events.map((event) => summarizeEvent(event))
}

/** "Jane Doe <jane.doe@example.com>", or whichever of the two exists. */
export function partyText(p: Party | undefined): string {
  if (!p) return '?'
  if (p.displayName && p.alternateId && p.displayName !== p.alternateId) return `${p.displayName} <${p.alternateId}>`
  return p.alternateId ?? p.displayName ?? p.id ?? '?'
}

/** What happened to whom, in a few words: for user.lifecycle.create "created Jane Doe <jane@…>". */
export function targetsText(summary: EventSummary): string {
  if (summary.targets.length === 0) return 'no target'
  if (summary.eventType === 'user.lifecycle.create') {
    const user = summary.targets.find((t) => t.type === 'User') ?? summary.targets[0]
    return `created ${partyText(user)}`
  }

  return summary.targets.map((t) => `${t.type ? `${t.type} ` : ''}${partyText(t)}`).join(', ')
}

/** The delivery's eventId as text ("?" when it is missing or not a string: a body can nest anything). */
export function deliveryId(envelope: DeliveryEnvelope): string {
  return typeof envelope.eventId === 'string' ? envelope.eventId : '?'
}

/**
 * One line per event: time, event type, actor, targets, and the delivery's eventId with the
 * event's place in the batch.
 */
export function eventLines(envelope: DeliveryEnvelope): string[] {
  const summaries = summarizeEnvelope(envelope)
  const size = summaries.length
  const eventId = deliveryId(envelope)
  return summaries.map((s, i) => {
    const time = s.published ? s.published.replace(/\.\d+Z$/, 'Z') : '(no time)'
    return (
      `${time}  ${s.eventType ?? '(no eventType)'}  by ${partyText(s.actor)}  ` +
      `${targetsText(s)}  [delivery ${eventId} ${i + 1}/${size}]`
    )
  })
}
