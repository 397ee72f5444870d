/**
 * Why Okta's verification of a hook failed. Okta's answer says only "Hook <name> execution failed";
 * the why is in the event_hook.verified event it writes to the System Log, on failure too: its
 * outcome.reason (else its debugData, less the request's bookkeeping). Read right after the
 * failure, waiting briefly for the event to reach the System Log. Knows nothing of oclif.
 */
import {clock} from '../clock.js'
import type {LogEvent} from '../delivery/envelope.js'
import {CliError} from '../errors.js'
import {ExitCode} from '../exit-codes.js'
import type {OktaTransport} from '../okta/okta-sdk.js'
import {hookStoryFilter} from '../syslog/hook-story.js'
import {readLogEvents} from '../syslog/pager.js'

export type FailureKind = 'body' | 'content-type' | 'dns' | 'http-status' | 'other' | 'refused' | 'timeout' | 'tls'

export interface VerificationFailure {
  kind: FailureKind
  /** When Okta wrote the event. */
  published?: string
  /** The endpoint's failure, as Okta recorded it. */
  reason: string
  /** The event_hook.verified event's uuid. */
  uuid?: string
}

/** The System Log refused the query (no okta.logs.read, say): the reason stays unknown. */
export interface UnreadableLog {
  unreadable: string
}

/** debugData keys that describe the request, not the failure. */
const BOOKKEEPING = new Set(['attempts', 'requestId', 'requestUri', 'targetEventHookIds', 'url'])
/** A clock skew allowance: an event up to this long before the verify call still counts as its own. */
const SKEW_MS = 60_000

export interface LookupOptions {
  /** How many times to look (the event may reach the System Log a moment after Okta answers). */
  attempts?: number
  /** The wait between looks. */
  waitMs?: number
}

/**
 * The failure recorded for the hook's latest failed verification since `since`, undefined when no
 * such event shows up, or why the System Log could not be read.
 */
export async function verificationFailure(
  okta: OktaTransport,
  hookId: string,
  since: Date,
  options: LookupOptions = {},
): Promise<UnreadableLog | VerificationFailure | undefined> {
  const attempts = options.attempts ?? 3
  const from = new Date(since.getTime() - SKEW_MS)
  for (let attempt = 0; attempt < attempts; attempt++) {
    if (attempt > 0) await clock().sleep(options.waitMs ?? 1000)
    const query = {
      filter: hookStoryFilter(hookId, ['verified']),
      limit: 5,
      since: from.toISOString(),
      sortOrder: 'DESCENDING' as const,
      until: new Date(clock().now()).toISOString(),
    }
    try {
      for await (const event of readLogEvents(okta, query, {max: 5})) {
        if ((event.outcome as undefined | {result?: string})?.result === 'FAILURE') return failureOf(event)
      }
    } catch (error) {
      // Refused (no okta.logs.read, say): worth saying. Anything else (the org unreachable): say nothing more.
      if (error instanceof CliError && error.exitCode === ExitCode.Auth) return {unreadable: error.message}
      return undefined
    }
  }

  return undefined
}

function failureOf(event: LogEvent): VerificationFailure {
  const reason =
    (event.outcome as undefined | {reason?: null | string})?.reason || debugReason(event) || 'no reason recorded'
  return {
    kind: kindOf(reason),
    published: event.published as string | undefined,
    reason,
    uuid: event.uuid as string | undefined,
  }
}

function debugReason(event: LogEvent): string | undefined {
  const debugData = (event.debugContext as undefined | {debugData?: Record<string, unknown>})?.debugData ?? {}
  const rest = Object.entries(debugData).filter(
    ([key, value]) => !BOOKKEEPING.has(key) && value !== null && value !== '',
  )
  return rest.length > 0
    ? rest.map(([key, value]) => `${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`).join('; ')
    : undefined
}

/** What kind of failure a recorded reason describes (Okta's wording, and the sandbox's, which follows it). */
export function kindOf(reason: string): FailureKind {
  const text = reason.toLowerCase()
  if (/econnrefused|connection refused/.test(text)) return 'refused'
  if (/timed? ?out|timeout|no response within|etimedout/.test(text)) return 'timeout'
  if (/enotfound|eai_again|unknown host|dns/.test(text)) return 'dns'
  if (/cert|ssl|tls|self[- ]signed/.test(text)) return 'tls'
  if (/content-type/.test(text)) return 'content-type'
  if (/\bhttp \d{3}\b|status/.test(text)) return 'http-status'
  if (/body|json|challenge|verification/.test(text)) return 'body'
  return 'other'
}

/** What to do about each kind of failure, in a sentence (`where`: " at https://…", or ""). */
export function adviceFor(kind: FailureKind, where: string): string | undefined {
  const advice: Record<FailureKind, string | undefined> = {
    body: 'The body must be the JSON {"verification": "<the X-Okta-Verification-Challenge value>"}, echoing the challenge exactly',
    'content-type': 'Answer with Content-Type: application/json',
    dns: `Okta could not resolve the host${where}: check the URL's host name and its public DNS record`,
    'http-status':
      "Answer the verification GET with 200 (check the path, the auth header the hook sends, and the app's logs)",
    other: undefined,
    refused: `Nothing accepted Okta's connection${where}: is the endpoint running, and is its port open to the internet?`,
    timeout: 'Answer within 3 seconds: reply to the challenge at once, before any slow work',
    tls: 'Serve a certificate that a public CA signed, valid for the host name, with its full chain',
  }
  return advice[kind]
}
