/**
 * Okta's Event Hooks Management API (/api/v1/eventHooks): the eight operations, and finding a
 * hook by id or exact name (case included: a name that differs only in case is a suggestion,
 * never a match). Knows nothing of oclif; talks to Okta only through OktaTransport.
 */
import {CliError, notFoundError, usageError} from '../errors.js'
import {ExitCode} from '../exit-codes.js'
import {clock} from '../clock.js'
import type {OktaTransport} from '../okta/okta-sdk.js'
import type {EventHook, EventHookBody} from './types.js'
import type {LookupOptions} from './verification-failure.js'

const BASE = '/api/v1/eventHooks'
const ID_PATTERN = /^who[A-Za-z0-9]{6,}$/

/** Whether `ref` has the form of an event hook id (who...), rather than a name. */
export function isHookId(ref: string): boolean {
  return ID_PATTERN.test(ref)
}

export type Lifecycle = 'activate' | 'deactivate' | 'verify'

export class EventHooksApi {
  constructor(private readonly okta: OktaTransport) {}

  async activate(id: string): Promise<EventHook> {
    return this.lifecycle(id, 'activate')
  }

  async create(body: EventHookBody): Promise<EventHook> {
    return (await this.okta.request<EventHook>('POST', BASE, {body})).body
  }

  async deactivate(id: string): Promise<EventHook> {
    return this.lifecycle(id, 'deactivate')
  }

  async delete(id: string): Promise<void> {
    await this.okta.request('DELETE', `${BASE}/${encodeURIComponent(id)}`)
  }

  async get(id: string): Promise<EventHook> {
    return (await this.okta.request<EventHook>('GET', `${BASE}/${encodeURIComponent(id)}`)).body
  }

  async list(): Promise<EventHook[]> {
    return (await this.okta.request<EventHook[]>('GET', BASE)).body ?? []
  }

  async replace(id: string, body: EventHookBody): Promise<EventHook> {
    return (await this.okta.request<EventHook>('PUT', `${BASE}/${encodeURIComponent(id)}`, {body})).body
  }

  /**
   * A hook by id, or by exact name. An ambiguous name is an error listing the ids; an unknown one
   * (a name that differs only in case included) suggests the closest names.
   */
  async resolve(ref: string): Promise<EventHook> {
    if (isHookId(ref)) {
      try {
        return await this.get(ref)
      } catch (error) {
        if (!(error instanceof CliError) || error.exitCode !== ExitCode.NotFound) throw error
      }
    }

    const hooks = await this.list()
    return pickHook(hooks, ref)
  }

  /**
   * Okta's verification: it sends the challenge GET to the hook's URI. A failure is Okta's 400
   * E0000001 ("Unable to verify event hook"), turned into exit code 5 with what the endpoint must do.
   */
  async verify(id: string, options: LookupOptions = {}): Promise<EventHook> {
    const started = new Date(clock().now())
    try {
      return await this.lifecycle(id, 'verify')
    } catch (error) {
      if (error instanceof CliError && error.exitCode === ExitCode.Usage)
        throw await this.verificationError(id, error, started, options)
      throw error
    }
  }

  /** Okta's refusal, with the endpoint's failure from the System Log (why it failed) when it can be read. */
  private async verificationError(
    id: string,
    refusal: CliError,
    started: Date,
    options: LookupOptions,
  ): Promise<CliError> {
    // (imported here: every command that talks to Okta loads this module, few of them verify)
    const {adviceFor, verificationFailure} = await import('./verification-failure.js')
    const failure = await verificationFailure(this.okta, id, started, options)
    const causes = refusal.causes.length > 0 ? refusal.causes : [refusal.message]
    const found = failure && 'reason' in failure ? failure : undefined
    if (found)
      causes.push(
        `The System Log's event_hook.verified${found.published ? ` (${found.published})` : ''}: ${found.reason}`,
      )
    else if (failure && 'unreadable' in failure)
      causes.push(
        `Why is not known: the System Log could not be read (${failure.unreadable.split('\n')[0].slice(0, 200)})`,
      )
    const advice = found && adviceFor(found.kind, '')
    return new CliError(`Okta could not verify the event hook ${id}${found ? `: ${found.reason}` : ''}.`, {
      causes,
      code: 'VERIFICATION_FAILED',
      details: {...refusal.details, ...(found ? {failure: found} : {})},
      exitCode: ExitCode.CheckFailed,
      suggestions: [...(advice ? [advice] : []), ...VERIFY_SUGGESTIONS],
    })
  }

  private async lifecycle(id: string, action: Lifecycle): Promise<EventHook> {
    return (await this.okta.request<EventHook>('POST', `${BASE}/${encodeURIComponent(id)}/lifecycle/${action}`)).body
  }
}

export const VERIFY_SUGGESTIONS = [
  "The endpoint must answer Okta's one-time GET, which carries the header X-Okta-Verification-Challenge, with " +
    '200, Content-Type: application/json and the body {"verification": "<the challenge value>"} within 3 seconds',
  "It must accept the hook's auth header and be reachable from the internet over https",
  'Rehearse it with `okta-hooks check-endpoint <url>`, or receive locally with `okta-hooks listen`',
]

/**
 * The hook whose id or name is exactly `ref`. A name that matches only when case is ignored is
 * not that hook: it is the first suggestion of the not-found error (exit 4).
 */
export function pickHook(hooks: EventHook[], ref: string): EventHook {
  const byId = hooks.find((hook) => hook.id === ref)
  if (byId) return byId
  const matches = hooks.filter((hook) => hook.name === ref)
  if (matches.length === 1) return matches[0]
  if (matches.length > 1) {
    throw usageError(
      `The name "${ref}" matches ${matches.length} event hooks: ${matches.map((hook) => hook.id).join(', ')}.`,
      ['Use the hook id instead'],
    )
  }

  const lower = ref.toLowerCase()
  const sameButCase = hooks.filter((hook) => hook.name.toLowerCase() === lower)
  const overlapping = hooks.filter((hook) => {
    const name = hook.name.toLowerCase()
    return !sameButCase.includes(hook) && (name.includes(lower) || lower.includes(name))
  })
  const close = [...sameButCase, ...overlapping].slice(0, 3)
  const exactly = sameButCase.length > 0 ? ' (names match exactly, case included)' : ''
  throw notFoundError(`No event hook has the id or name "${ref}"${exactly}.`, [
    ...(close.length > 0 ? [`Did you mean ${close.map((hook) => `"${hook.name}" (${hook.id})`).join(', ')}?`] : []),
    'List the hooks with `okta-hooks list`',
  ])
}
