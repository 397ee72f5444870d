/**
 * The client side of the sandbox's admin API (/__sandbox/*), used by `sandbox emit`: plain HTTP,
 * no Okta SDK, errors turned into CliErrors with the exit codes okta-hooks promises.
 */
import {sendRequest, type Verdict, worstVerdict} from '../delivery/http-delivery.js'
import {CliError, usageError} from '../errors.js'
import {ExitCode} from '../exit-codes.js'
import type {DeliveryOutcome} from './delivery-engine.js'
import type {EmitRequest} from './sandbox-org.js'

export interface EmittedEvent {
  eventType: string
  published: string
  /** The hooks the event was routed to (active, verified, subscribed). */
  targetEventHookIds: string[]
  uuid: string
}

/** How the emitted events fared at one hook they were routed to (after --wait). */
export interface HookDeliveries {
  /** Each POST that carried some of the events: its verdict, status and attempts. */
  batches: Omit<DeliveryOutcome, 'hookId'>[]
  hookId: string
  /**
   * The worst verdict of the batches (accepted when every one was: 2xx within 3 s, after Okta's one
   * retry at most); failed when none was sent (the hook was deleted or deactivated meanwhile).
   */
  verdict: Verdict
}

export interface Emitted {
  /** Only when waiting for the deliveries: one entry per hook the events were routed to. */
  deliveries?: HookDeliveries[]
  events: EmittedEvent[]
}

export async function emitEvents(
  orgUrl: string,
  token: string,
  request: EmitRequest,
  options: {waitForDeliveries?: boolean} = {},
): Promise<Emitted> {
  const {events} = await call<{events: EmittedEvent[]}>(orgUrl, token, '/__sandbox/events', request)
  if (!options.waitForDeliveries) return {events}
  const idle = await call<{deliveries?: DeliveryOutcome[]}>(
    orgUrl,
    token,
    '/__sandbox/idle',
    {events: events.map((event) => event.uuid)},
    60_000,
  )
  return {deliveries: byHook(events, idle.deliveries ?? []), events}
}

/** The hooks any of the emitted events was routed to, each once. */
export function routedHookIds(events: EmittedEvent[]): string[] {
  return [...new Set(events.flatMap((event) => event.targetEventHookIds))]
}

/** The outcomes per routed hook; a hook with none (deleted or deactivated meanwhile) counts as failed. */
function byHook(events: EmittedEvent[], outcomes: DeliveryOutcome[]): HookDeliveries[] {
  return routedHookIds(events).map((hookId) => {
    const batches = outcomes.filter((outcome) => outcome.hookId === hookId).map(({hookId: _, ...batch}) => batch)
    return {
      batches,
      hookId,
      verdict: batches.length > 0 ? worstVerdict(batches.map((batch) => batch.verdict)) : 'failed',
    }
  })
}

/** The answer to an emit of 1,000 events is ~150 KB: far past the 64 KiB a delivery's answer is cut to. */
const MAX_ADMIN_RESPONSE_BYTES = 16 * 1024 * 1024

async function call<T>(orgUrl: string, token: string, path: string, body: unknown, timeoutMs = 30_000): Promise<T> {
  const result = await sendRequest({
    body: JSON.stringify(body),
    headers: {Accept: 'application/json', Authorization: `SSWS ${token}`, 'Content-Type': 'application/json'},
    maxResponseBytes: MAX_ADMIN_RESPONSE_BYTES,
    method: 'POST',
    timeoutMs,
    url: orgUrl + path,
  })
  if (result.error) {
    throw new CliError(`No sandbox answered at ${orgUrl} (${result.error}).`, {
      code: 'SANDBOX_UNREACHABLE',
      exitCode: ExitCode.Remote,
      suggestions: ['Start one with `okta-hooks sandbox start` and use the OKTA_CLIENT_ORGURL it prints'],
    })
  }

  let json: any
  try {
    json = JSON.parse(result.body)
  } catch {
    json = undefined
  }

  if (result.status === 200 && json) return json as T
  const causes: string[] = (json?.errorCauses ?? []).map((cause: {errorSummary?: string}) => String(cause.errorSummary))
  if (result.status === 401) {
    throw new CliError(`The sandbox at ${orgUrl} refused the token (401 ${json?.errorCode ?? ''}).`, {
      code: json?.errorCode ?? 'HTTP_401',
      exitCode: ExitCode.Auth,
      suggestions: ['Use the OKTA_CLIENT_TOKEN that `okta-hooks sandbox start` printed'],
    })
  }

  if (result.status === 404 && json?.errorCode !== 'E0000007') {
    throw usageError(`${orgUrl} is not an okta-hooks sandbox (no ${path} there).`, [
      '`sandbox emit` works only against `okta-hooks sandbox start`; a real org produces its own events',
    ])
  }

  if (result.status === 400) {
    throw new CliError(`The sandbox refused the request: ${json?.errorSummary ?? result.body}`, {
      causes,
      code: json?.errorCode ?? 'HTTP_400',
      exitCode: ExitCode.Usage,
    })
  }

  throw new CliError(`The sandbox answered ${result.status}: ${json?.errorSummary ?? result.body.slice(0, 200)}`, {
    causes,
    code: json?.errorCode ?? `HTTP_${result.status}`,
    exitCode: ExitCode.Remote,
  })
}
