/**
 * The state and rules of the sandbox org, without HTTP: event hooks with Okta's semantics, the
 * System Log, the events that lifecycle operations write, events on demand, and routing new events
 * as Okta does: to every active, verified hook subscribed to their type whose filter for that type
 * (events.filter.eventFilterMap) passes, recorded in the event's
 * debugContext.debugData.targetEventHookIds (routing.ts).
 */
import {randomUUID} from 'node:crypto'

import {loadCatalog} from '../catalog/event-types.js'
import type {LogEvent} from '../delivery/envelope.js'
import {RECEIVER_TIMEOUT_MS} from '../delivery/http-delivery.js'
import {sampleEvent, type SampleOptions} from '../delivery/sample-events.js'
import {verificationEffect} from '../hooks/hook-update.js'
import type {EventHook} from '../hooks/types.js'
import {DeliveryEngine, type DeliveryFailure, type DeliveryOptions, type DeliveredBatch} from './delivery-engine.js'
import {apiValidation, hookNotFound, randomAlphanumeric} from './errors.js'
import {validateHookBody} from './hook-validation.js'
import {LogStore} from './log-store.js'
import {type HookChange, newAdminUserId, type SandboxState} from './persistence.js'
import {routeEvent, type RoutingProblem, unevaluableFilters} from './routing.js'
import {verifyEndpoint} from './verifier.js'
import {OKTA_LIMITS} from '../hooks/limits.js'

export const MAX_EMIT_COUNT = 1000
export const ADMIN_LOGIN = 'admin@sandbox.okta-hooks.local'

export interface SandboxOrgOptions {
  delivery?: DeliveryOptions
  onDelivered?: (batch: DeliveredBatch) => void
  /** Each System Log event as it is appended (to save it). */
  onEvent?: (event: LogEvent) => void
  /** Each hook change, before it is made: throws to refuse it (a change that cannot be saved is not made). */
  onHookChange?: (change: HookChange) => void
  state?: SandboxState
  /** Verification timeout (Okta: 3 s). */
  verifyTimeoutMs?: number
}

export interface EmitRequest {
  actor?: SampleOptions['actor']
  count?: number
  eventType: string
  target?: SampleOptions['target']
}

type HookEventType = 'activated' | 'created' | 'deactivated' | 'deleted' | 'delivery' | 'updated' | 'verified'

const HOOK_MESSAGES: Record<HookEventType, string> = {
  activated: 'Event hook activated',
  created: 'Event hook created',
  deactivated: 'Event hook deactivated',
  deleted: 'Event hook deleted',
  delivery: 'Event hook delivery',
  updated: 'Event hook updated',
  verified: 'Event hook verified',
}

export class SandboxOrg {
  readonly adminUserId: string
  readonly deliveries: DeliveryEngine
  readonly hooks = new Map<string, EventHook>()
  readonly log: LogStore
  orgUrl = 'http://127.0.0.1'
  private readonly onEvent: (event: LogEvent) => void
  private readonly onHookChange: (change: HookChange) => void
  /** How long verification waits for the endpoint's answer (Okta: 3 s). */
  readonly verifyTimeoutMs: number

  constructor(options: SandboxOrgOptions = {}) {
    this.adminUserId = options.state?.adminUserId ?? newAdminUserId()
    for (const hook of options.state?.hooks ?? []) this.hooks.set(hook.id, hook)
    this.log = new LogStore(options.state?.events ?? [])
    this.onEvent = options.onEvent ?? (() => {})
    this.onHookChange = options.onHookChange ?? (() => {})
    this.verifyTimeoutMs = options.verifyTimeoutMs ?? RECEIVER_TIMEOUT_MS
    this.deliveries = new DeliveryEngine(
      {
        getHook: (id) => this.hooks.get(id),
        onDelivered: options.onDelivered,
        onFailure: (failure) => this.recordDeliveryFailure(failure),
        orgUrl: () => this.orgUrl,
      },
      options.delivery,
    )
  }

  activate(id: string): EventHook {
    const current = this.find(id)
    if (current.status !== 'ACTIVE' && current.verificationStatus === 'VERIFIED')
      this.checkActiveVerifiedLimit(current.id)
    const hook = this.commit({...current, lastUpdated: new Date().toISOString(), status: 'ACTIVE'})
    this.hookEvent('activated', hook)
    return hook
  }

  create(body: unknown): EventHook {
    const valid = validateHookBody(body)
    const now = new Date().toISOString()
    const hook: EventHook = {
      channel: valid.channel,
      created: now,
      createdBy: this.adminUserId,
      description: valid.description ?? null,
      events: valid.events,
      id: newHookId(this.hooks),
      lastUpdated: now,
      name: valid.name,
      status: 'ACTIVE',
      verificationStatus: 'UNVERIFIED',
    }
    this.commit(hook)
    this.hookEvent('created', hook)
    return hook
  }

  deactivate(id: string): EventHook {
    const hook = this.commit({...this.find(id), lastUpdated: new Date().toISOString(), status: 'INACTIVE'})
    this.hookEvent('deactivated', hook)
    return hook
  }

  delete(id: string): void {
    const hook = this.find(id)
    if (hook.status !== 'INACTIVE') {
      throw apiValidation('eventHook', [
        `Event hook ${hook.name} (${hook.id}) is ACTIVE; deactivate it before deleting it`,
      ])
    }

    this.onHookChange({deleted: hook.id})
    this.hooks.delete(hook.id)
    this.hookEvent('deleted', hook)
  }

  /** Events on demand: realistic LogEvents of a known type, appended to the log and delivered. */
  emit(request: unknown): LogEvent[] {
    const {actor, count, eventType, target} = checkEmitRequest(request)
    const events: LogEvent[] = []
    for (let i = 0; i < count; i++) events.push(this.append(sampleEvent(eventType, {actor, target})))
    return events
  }

  find(id: string): EventHook {
    const hook = this.hooks.get(id)
    if (!hook) throw hookNotFound(id)
    return hook
  }

  list(): EventHook[] {
    return [...this.hooks.values()]
  }

  replace(id: string, body: unknown): EventHook {
    const current = this.find(id)
    const valid = validateHookBody(body, current.channel.config.authScheme)
    // Both secrets are known here, so the rule gives kept or required, as Okta would decide.
    const channelChanged = verificationEffect(current.channel.config, valid.channel.config) !== 'kept'
    const hook = this.commit({
      ...current,
      channel: valid.channel,
      description: valid.description ?? null,
      events: valid.events,
      lastUpdated: new Date().toISOString(),
      name: valid.name,
      verificationStatus: channelChanged ? 'UNVERIFIED' : current.verificationStatus,
    })
    this.hookEvent('updated', hook, {channelChanged: String(channelChanged)})
    return hook
  }

  async verify(id: string): Promise<EventHook> {
    const hook = this.find(id)
    if (hook.status === 'ACTIVE' && hook.verificationStatus !== 'VERIFIED') this.checkActiveVerifiedLimit(hook.id)
    const result = await verifyEndpoint(hook, this.verifyTimeoutMs)
    let current = this.hooks.get(id)
    if (!result.ok || !current) {
      if (current && current.verificationStatus !== 'UNVERIFIED')
        current = this.commit({...current, verificationStatus: 'UNVERIFIED'})
      this.hookEvent(
        'verified',
        current ?? hook,
        {attempts: String(result.attempts.length), reason: result.reason ?? 'deleted'},
        result.reason,
      )
      throw apiValidation('eventHook', [`Unable to verify event hook. Hook ${hook.name} execution failed`])
    }

    const verified = this.commit({...current, lastUpdated: new Date().toISOString(), verificationStatus: 'VERIFIED'})
    this.hookEvent('verified', verified, {attempts: String(result.attempts.length)})
    return verified
  }

  /**
   * Hooks whose stored filters the filter engine refuses (only from a state saved before the sandbox
   * validated filters): the sandbox routes none of their filtered events, and says so at start.
   */
  routingProblems(): RoutingProblem[] {
    return unevaluableFilters(this.list())
  }

  /** Appends an event to the System Log and hands it to every hook Okta would route it to. */
  private append(event: LogEvent): LogEvent {
    const targets = routeEvent(this.list(), event)
    this.log.append(event)
    for (const hook of targets) this.deliveries.enqueue(hook.id, event)
    this.onEvent(event)
    return event
  }

  /**
   * A hook as it now is: saved first (onHookChange throws when it cannot be), then made. Hooks are replaced, never
   * mutated.
   */
  private commit(hook: EventHook): EventHook {
    this.onHookChange({hook})
    this.hooks.set(hook.id, hook)
    return hook
  }

  private checkActiveVerifiedLimit(exceptId: string): void {
    const count = this.list().filter(
      (hook) => hook.id !== exceptId && hook.status === 'ACTIVE' && hook.verificationStatus === 'VERIFIED',
    ).length
    if (count >= OKTA_LIMITS.activeVerifiedHooks) {
      throw apiValidation('eventHook', [
        `The org already has the maximum of ${OKTA_LIMITS.activeVerifiedHooks} ` +
          `active and verified event hooks; deactivate one first`,
      ])
    }
  }

  private hookEvent(
    kind: HookEventType,
    hook: EventHook,
    debugData: Record<string, string> = {},
    failure?: string,
  ): void {
    const event = sampleEvent(`event_hook.${kind}`, {
      actor:
        kind === 'delivery'
          ? {
              alternateId: 'system@okta.com',
              displayName: 'Okta System',
              id: '0oa' + 'system'.padEnd(17, '0'),
              type: 'SystemPrincipal',
            }
          : {alternateId: ADMIN_LOGIN, displayName: 'Sandbox Admin', id: this.adminUserId, type: 'User'},
    })
    event.displayMessage = HOOK_MESSAGES[kind]
    event.legacyEventType = `event_hook.${kind}`
    event.target = [
      {alternateId: hook.channel.config.uri, detailEntry: null, displayName: hook.name, id: hook.id, type: 'EventHook'},
    ]
    event.outcome = failure ? {reason: failure, result: 'FAILURE'} : {reason: null, result: 'SUCCESS'}
    if (failure) event.severity = 'WARN'
    const path = `/api/v1/eventHooks/${hook.id}`
    event.debugContext = {
      debugData: {
        requestId: randomUUID(),
        requestUri: kind === 'created' ? '/api/v1/eventHooks' : path,
        url: kind === 'created' ? '/api/v1/eventHooks' : path,
        ...debugData,
      },
    }
    this.append(event)
  }

  private recordDeliveryFailure(failure: DeliveryFailure): void {
    this.hookEvent(
      'delivery',
      failure.hook,
      {
        attempts: String(failure.attempts),
        deliveredEventIds: failure.eventIds.join(','),
        reason: failure.reason,
        ...(failure.status === undefined ? {} : {status: String(failure.status)}),
      },
      failure.reason,
    )
  }
}

function newHookId(existing: Map<string, unknown>): string {
  let id: string
  do id = 'who' + randomAlphanumeric(17)
  while (existing.has(id))
  return id
}

function checkEmitRequest(request: unknown): Required<Pick<EmitRequest, 'count' | 'eventType'>> & EmitRequest {
  const body = (request ?? {}) as Record<string, unknown>
  const causes: string[] = []
  const eventType = body.eventType
  if (typeof eventType !== 'string' || eventType === '') causes.push('eventType: The field cannot be left blank')
  else if (!loadCatalog().byId.has(eventType)) causes.push(`eventType: ${eventType} is not in the event-type catalog`)
  const count = body.count ?? 1
  if (!Number.isInteger(count) || (count as number) < 1 || (count as number) > MAX_EMIT_COUNT)
    causes.push(`count: must be an integer from 1 to ${MAX_EMIT_COUNT}`)
  for (const name of ['actor', 'target'] as const) {
    const value = body[name]
    if (value === undefined || value === null) continue
    const ok =
      typeof value === 'object' &&
      !Array.isArray(value) &&
      Object.entries(value).every(
        ([key, v]) => ['alternateId', 'displayName', 'id', 'type'].includes(key) && typeof v === 'string',
      )
    if (!ok) causes.push(`${name}: must be an object with string fields among id, type, alternateId, displayName`)
  }

  if (causes.length > 0) throw apiValidation('event', causes)
  return {
    actor: (body.actor ?? undefined) as EmitRequest['actor'],
    count: count as number,
    eventType: eventType as string,
    target: (body.target ?? undefined) as EmitRequest['target'],
  }
}
