/**
 * The dev hook of `listen --register`: a temporary event hook that lives as long as the listen
 * session (like `gh webhook forward`). It is marked in its description, so that the next session
 * (after a crash) reuses it instead of adding another, and `dev cleanup` removes only such hooks.
 * Knows nothing of oclif; talks to Okta only through EventHooksApi.
 */
import {hostname, userInfo} from 'node:os'

import {CliError} from '../errors.js'
import {ExitCode} from '../exit-codes.js'
import type {AuthHeader} from '../hooks/auth-secret.js'
import type {EventHooksApi} from '../hooks/event-hooks-api.js'
import {buildHookBody, checkUrl, MAX_NAME_LENGTH} from '../hooks/hook-builder.js'
import {asCliError, deleteHooks, label, verifyHook} from '../hooks/lifecycle.js'
import type {EventHook, EventHookBody} from '../hooks/types.js'
import {OKTA_LIMITS} from '../hooks/limits.js'

/** What marks a dev hook, at the start of its description. */
export const DEV_HOOK_MARKER = '[okta-hooks dev]'
/** Okta's limit of active and verified event hooks per org (OKTA-FACTS.md §1). */

export const DEV_HOOK_DESCRIPTION = `${DEV_HOOK_MARKER} Temporary hook of \`okta-hooks listen --register\`, removed when it stops; remove leftovers with \`okta-hooks dev cleanup\`.`

/** "okta-hooks dev <user>@<host>": one dev hook per person and machine. */
export function defaultDevHookName(): string {
  let user = 'user'
  try {
    user = userInfo().username || user
  } catch {
    // no user database entry (some containers): keep the placeholder
  }

  return `okta-hooks dev ${user}@${hostname()}`.slice(0, MAX_NAME_LENGTH)
}

export function isDevHook(hook: Pick<EventHook, 'description'>): boolean {
  return typeof hook.description === 'string' && hook.description.startsWith(DEV_HOOK_MARKER)
}

/** The hook's URI: the public URL as given when it has a path, else its origin plus listen's --path. */
export function devHookUri(publicUrl: string, listenPath: string): string {
  const url = new URL(publicUrl)
  if (url.pathname !== '/' || url.search) return publicUrl
  return url.origin + listenPath
}

export interface DevHookInputs {
  auth: AuthHeader
  events: string[]
  name: string
  uri: string
  /** --flag that gave the URI, for errors (--public-url, or the tunnel's). */
  uriFlag: string
}

/** The create/replace body, validated offline (name, https URI, event types); plus what the user should know. */
export function devHookBody(inputs: DevHookInputs): {body: EventHookBody; warnings: string[]} {
  // The URI is checked here, under the name the user knows it by: buildHookBody would call it --url.
  const {warnings} = checkUrl(inputs.uri, inputs.uriFlag)
  const {body} = buildHookBody({
    auth: inputs.auth,
    description: DEV_HOOK_DESCRIPTION,
    events: inputs.events,
    name: inputs.name,
    url: inputs.uri,
  })
  return {body, warnings}
}

export interface Registration {
  hook: EventHook
  /** Leftover duplicates (same marker and name) that were removed. */
  removedDuplicates: EventHook[]
  /** Whether a dev hook left behind by an earlier session was reused (replaced) rather than a new one created. */
  reused: boolean
}

export interface RegisterProgress {
  (step: 'created' | 'removed-duplicate' | 'replaced' | 'verifying', hook: EventHook): void
}

/**
 * Creates the dev hook (or replaces the one an earlier session left behind), active, and has Okta
 * verify it (listen must be answering at its URI by then). Refuses (exit 2) before changing
 * anything when the org is at Okta's limit of active and verified hooks. When verification fails
 * the hook is removed again, and the error says so.
 */
export async function registerDevHook(
  api: EventHooksApi,
  body: EventHookBody,
  progress: RegisterProgress = () => {},
): Promise<Registration> {
  const hooks = await api.list()
  const [previous, ...duplicates] = hooks.filter((hook) => isDevHook(hook) && hook.name === body.name)
  refuseAtLimit(hooks, previous?.id)
  const removedDuplicates = duplicates.length > 0 ? await removeDuplicates(api, duplicates, progress) : []

  let hook = previous ? await api.replace(previous.id, body) : await api.create(body)
  progress(previous ? 'replaced' : 'created', hook)
  try {
    if (hook.status !== 'ACTIVE') hook = await api.activate(hook.id)
    progress('verifying', hook)
    hook = await verifyHook(api, hook)
  } catch (error) {
    throw await withHookRemoved(api, hook, asCliError(error))
  }

  return {hook, removedDuplicates, reused: Boolean(previous)}
}

/** Deactivates and deletes the dev hook (Okta deletes only inactive hooks). */
export async function removeDevHook(api: EventHooksApi, hook: EventHook): Promise<void> {
  await deleteHooks(api, [{...hook, status: 'ACTIVE'}])
}

function refuseAtLimit(hooks: EventHook[], reusedId?: string): void {
  const counted = hooks.filter(
    (hook) => hook.id !== reusedId && hook.status === 'ACTIVE' && hook.verificationStatus === 'VERIFIED',
  )
  if (counted.length < OKTA_LIMITS.activeVerifiedHooks) return
  throw new CliError(
    `The org already has ${counted.length} active and verified event hooks, Okta's maximum of ${OKTA_LIMITS.activeVerifiedHooks}: a dev hook could not be verified. Nothing was changed.`,
    {
      code: 'HOOK_LIMIT',
      details: {activeVerified: counted.length, limit: OKTA_LIMITS.activeVerifiedHooks},
      exitCode: ExitCode.Usage,
      suggestions: [
        'See them with `okta-hooks list`, and deactivate one you do not need with `okta-hooks deactivate <hook>`',
        'Dev hooks left behind by earlier sessions: `okta-hooks dev cleanup --all`',
      ],
    },
  )
}

async function removeDuplicates(
  api: EventHooksApi,
  duplicates: EventHook[],
  progress: RegisterProgress,
): Promise<EventHook[]> {
  for (const hook of duplicates) {
    await removeDevHook(api, hook)
    progress('removed-duplicate', hook)
  }

  return duplicates
}

/** The registration's error, after removing the hook it made: saying so, or saying how to remove it. */
async function withHookRemoved(api: EventHooksApi, hook: EventHook, error: CliError): Promise<CliError> {
  let after: string
  try {
    await removeDevHook(api, hook)
    after = `The dev hook ${label(hook)} was removed again.`
  } catch (removal) {
    after = `Removing the dev hook ${label(hook)} failed too (${asCliError(removal).message}): remove it with \`okta-hooks dev cleanup\`.`
  }

  return new CliError(`${error.message} ${after}`, {
    causes: error.causes,
    code: error.code,
    details: {...error.details, hook: {id: hook.id, name: hook.name}},
    exitCode: error.exitCode,
    suggestions: error.suggestions,
  })
}
