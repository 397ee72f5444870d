/**
 * Lifecycle operations on one or more hooks: verify, activate, deactivate, delete. Every hook is
 * resolved before anything changes (an unknown or ambiguous name changes nothing), then the
 * changes are made one hook at a time; a failure midway stops there and the error says exactly
 * which hooks were changed, which half-changed and which left untouched. Knows nothing of oclif.
 */
import {CliError} from '../errors.js'
import {ExitCode} from '../exit-codes.js'
import {displayUrl} from '../net/urls.js'
import {type EventHooksApi, pickHook} from './event-hooks-api.js'
import type {EventHook} from './types.js'
import {adviceFor, type VerificationFailure} from './verification-failure.js'

type HookStatus = EventHook['status']

export interface StatusResult {
  changed: boolean
  id: string
  name: string
  status: HookStatus
}

export interface DeleteResult {
  /** The hook was ACTIVE and was deactivated first (Okta deletes only INACTIVE hooks). */
  deactivatedFirst: boolean
  id: string
  name: string
  status: 'DELETED'
}

/** What a lifecycle step tells the caller as it goes (the command prints it). */
export interface LifecycleProgress {
  (event: {hook: EventHook; step: 'already' | 'changed' | 'deactivated-first' | 'deleted'}): void
}

export const label = (hook: Pick<EventHook, 'id' | 'name'>): string => `"${hook.name}" (${hook.id})`

/**
 * The hooks named by ids or exact names, in the order given, each once. One ref goes through
 * resolve() (a GET for an id); several are matched against one list call.
 */
export async function resolveHooks(api: EventHooksApi, refs: string[]): Promise<EventHook[]> {
  const hooks = refs.length === 1 ? [await api.resolve(refs[0])] : await resolveFromList(api, refs)
  const seen = new Set<string>()
  return hooks.filter((hook) => !seen.has(hook.id) && seen.add(hook.id))
}

async function resolveFromList(api: EventHooksApi, refs: string[]): Promise<EventHook[]> {
  const all = await api.list()
  return refs.map((ref) => pickHook(all, ref))
}

const ACTION: Record<HookStatus, {done: string; verb: string}> = {
  ACTIVE: {done: 'activated', verb: 'Activating'},
  INACTIVE: {done: 'deactivated', verb: 'Deactivating'},
}

/**
 * Brings each hook to `target` (ACTIVE or INACTIVE). A hook already there is not an error and no
 * call is made for it.
 */
export async function setStatus(
  api: EventHooksApi,
  hooks: EventHook[],
  target: HookStatus,
  progress: LifecycleProgress = () => {},
): Promise<StatusResult[]> {
  const results: StatusResult[] = []
  for (const [index, hook] of hooks.entries()) {
    if (hook.status === target) {
      results.push({changed: false, id: hook.id, name: hook.name, status: target})
      progress({hook, step: 'already'})
      continue
    }

    let updated: EventHook
    try {
      updated = target === 'ACTIVE' ? await api.activate(hook.id) : await api.deactivate(hook.id)
    } catch (error) {
      const cliError = asCliError(error)
      const changed = results.filter((r) => r.changed)
      const groups: [string, Listed[]][] =
        hooks.length === 1
          ? []
          : [
              [`Already ${target}, nothing to do`, results.filter((r) => !r.changed)],
              [capitalize(ACTION[target].done), changed],
              ['Not changed (this one failed)', [hook]],
              ['Not attempted', hooks.slice(index + 1)],
            ]
      throw partialFailure(cliError, `${ACTION[target].verb} ${label(hook)} failed: ${cliError.message}`, groups, {
        failed: {id: hook.id, name: hook.name},
        results,
        untouched: ids(hooks.slice(index + 1)),
      })
    }

    results.push({changed: true, id: hook.id, name: hook.name, status: updated?.status ?? target})
    progress({hook, step: 'changed'})
  }

  return results
}

/**
 * Deletes each hook, deactivating an ACTIVE one first (Okta answers DELETE on an ACTIVE hook with
 * an error). A failure stops there: the error lists the deleted, the deactivated-but-not-deleted
 * and the untouched hooks.
 */
export async function deleteHooks(
  api: EventHooksApi,
  hooks: EventHook[],
  progress: LifecycleProgress = () => {},
): Promise<DeleteResult[]> {
  const results: DeleteResult[] = []
  for (const [index, hook] of hooks.entries()) {
    let deactivated = false
    try {
      if (hook.status === 'ACTIVE') {
        await api.deactivate(hook.id)
        deactivated = true
        progress({hook, step: 'deactivated-first'})
      }

      await api.delete(hook.id)
    } catch (error) {
      const cliError = asCliError(error)
      const deleted = results.map((r) => ({id: r.id, name: r.name}))
      const untouched = [...(deactivated ? [] : [hook]), ...hooks.slice(index + 1)]
      throw partialFailure(
        cliError,
        `${deactivated ? 'Deleting' : hook.status === 'ACTIVE' ? 'Deactivating (before deleting)' : 'Deleting'} ` +
          `${label(hook)} failed: ${cliError.message}`,
        [
          ['Deleted', deleted],
          ['Deactivated but NOT deleted (now INACTIVE; run delete again or activate it)', deactivated ? [hook] : []],
          ['Untouched', untouched],
        ],
        {
          deactivatedNotDeleted: deactivated ? ids([hook]) : [],
          deleted,
          failed: {id: hook.id, name: hook.name},
          untouched: ids(untouched),
        },
      )
    }

    results.push({deactivatedFirst: deactivated, id: hook.id, name: hook.name, status: 'DELETED'})
    progress({hook, step: 'deleted'})
  }

  return results
}

/**
 * Okta's verification of one hook. Okta answers 200 with the hook once its endpoint answered the
 * challenge; a failure is exit 5 saying why (the endpoint's failure as the System Log recorded it:
 * connection refused, timeout, HTTP status, wrong body), Okta's causes and what the endpoint must do.
 */
export async function verifyHook(api: EventHooksApi, hook: EventHook): Promise<EventHook> {
  const uri = hook.channel?.config?.uri
  const where = uri ? ` at ${displayUrl(uri)}` : ''
  const suggestions = [
    `The endpoint${where} must answer Okta's one-time GET (header X-Okta-Verification-Challenge) within 3 seconds ` +
      `with 200, Content-Type: application/json and the body {"verification": "<the challenge value>"}`,
    "It must be reachable from the internet over https and accept the hook's auth header and custom headers",
    `Rehearse the challenge with \`okta-hooks check-endpoint ${uri ? displayUrl(uri) : '<url>'}\``,
  ]
  let verified: EventHook
  try {
    verified = await api.verify(hook.id)
  } catch (error) {
    if (error instanceof CliError && error.exitCode === ExitCode.CheckFailed) {
      const failure = error.details?.failure as undefined | VerificationFailure
      const advice = failure && adviceFor(failure.kind, where)
      throw new CliError(
        `Okta could not verify the event hook ${label(hook)}${where}${failure ? `: ${failure.reason}` : ''}.`,
        {
          causes: error.causes,
          code: error.code,
          details: error.details,
          exitCode: ExitCode.CheckFailed,
          suggestions: [...(advice ? [advice] : []), ...suggestions],
        },
      )
    }

    throw error
  }

  if (verified?.verificationStatus !== 'VERIFIED') {
    throw new CliError(
      `Okta answered, but the event hook ${label(hook)} is still ${verified?.verificationStatus ?? 'not verified'}.`,
      {
        code: 'VERIFICATION_FAILED',
        exitCode: ExitCode.CheckFailed,
        suggestions,
      },
    )
  }

  return verified
}

type Listed = Pick<EventHook, 'id' | 'name'>

/** The error for a run that stopped midway: what went wrong, then where every hook stands. */
function partialFailure(
  cause: CliError,
  headline: string,
  groups: [string, Listed[]][],
  details: Record<string, unknown>,
): CliError {
  const lines = [headline]
  for (const [title, hooks] of groups) {
    if (hooks.length > 0) lines.push(`  ${title}: ${hooks.map((h) => label(h)).join(', ')}`)
  }

  return new CliError(lines.join('\n'), {
    causes: cause.causes,
    code: cause.code,
    details: {...cause.details, ...details},
    exitCode: cause.exitCode,
    suggestions: cause.suggestions,
  })
}

/** Any error as a CliError (an unforeseen one is exit 1). */
export function asCliError(error: unknown): CliError {
  return error instanceof CliError
    ? error
    : new CliError(`Unexpected error: ${(error as Error)?.message ?? String(error)}`, {
        code: 'UNEXPECTED',
        exitCode: ExitCode.Unexpected,
      })
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1)
}

function ids(hooks: Listed[]): {id: string; name: string}[] {
  return hooks.map((hook) => ({id: hook.id, name: hook.name}))
}
