/**
 * The plan: what it takes to make the org match the hooks file, hook by hook (matched by exact
 * name) and as one ordered list of steps. Field changes are computed by `update`'s own planner
 * (planUpdate), so they read exactly as `update` shows them. Secrets are never compared (Okta never
 * returns them): the plan says instead when an apply sends one, and why. Pure: no I/O, no oclif.
 *
 * Order of the steps, chosen so that Okta's limit of 25 active and verified hooks is never passed
 * midway: creates and updates; deactivations (hooks the file wants INACTIVE, and hooks --prune will
 * delete); verifications; activations; deletions last.
 */
import {CliError, usageError} from '../errors.js'
import {ExitCode} from '../exit-codes.js'
import type {AuthHeader} from '../hooks/auth-secret.js'
import {type FieldChange, type HookChanges, planUpdate} from '../hooks/hook-update.js'
import {buildHookBody} from '../hooks/hook-builder.js'
import type {EventHook, EventHookBody} from '../hooks/types.js'
import {isSecretHeaderName, MASK} from '../secrets/mask.js'
import {type HeaderSpec, type HookSpec} from './file-format.js'
import {OKTA_LIMITS} from '../hooks/limits.js'

export type StepKind = 'activate' | 'create' | 'deactivate' | 'delete' | 'update' | 'verify'
export type HookAction = 'unchanged' | StepKind

/** Execution phases, in order. */
export const PHASES: StepKind[][] = [['create', 'update'], ['deactivate'], ['verify'], ['activate'], ['delete']]
export const phaseOf = (kind: StepKind): number => PHASES.findIndex((kinds) => kinds.includes(kind))

export interface PlanStep {
  hook: string
  /** The hook's id in the org; absent for a hook this apply creates. */
  id?: string
  kind: StepKind
  reason: string
}

/** When an apply sends the hook's auth secret, and why (it is never compared). */
export interface SecretUse {
  header: string
  reason: string
  ref: string
  sent: boolean
}

export interface HookPlan {
  action: HookAction
  /** Where the hook stands once the apply has succeeded (absent for a hook --prune deletes). */
  after?: {status: EventHook['status']; verificationStatus: EventHook['verificationStatus']}
  changes: FieldChange[]
  id?: string
  name: string
  notes: string[]
  secret?: SecretUse
  steps: PlanStep[]
}

export interface Plan {
  changesPending: boolean
  file: string
  /** File order, then the hooks --prune deletes. */
  hooks: HookPlan[]
  org: string
  prune: boolean
  /** Every step, in the order apply takes them. */
  steps: PlanStep[]
  summary: Record<HookAction, number>
  /** Hooks in the org that the file does not name, left alone (no --prune). */
  unmanaged: {id: string; name: string}[]
  warnings: string[]
}

export interface PlanOptions {
  file: string
  org: string
  prune?: boolean
  /** PUT every hook that has an auth header, to send its secret again (rotation), even if nothing else changed. */
  resendSecrets?: boolean
}

const REASONS = {
  channel: 'the channel (URL, headers or auth) changes: Okta requires verifying again',
  create: 'not in the org',
  newHook: 'a new hook is UNVERIFIED until Okta verifies it (verify: true)',
  prune: 'not in the file (--prune)',
  resend: 'its secret is sent again (--resend-secrets): Okta requires verifying after an auth change',
  unverified: 'UNVERIFIED in the org; the file says verify: true',
}

const NO_AUTH_NOTE =
  'the file has no auth for this hook, so its auth header is removed: ' +
  'anyone who knows the URL can then post events to it'

export const SECRET_NEVER_COMPARED =
  'Secrets are never compared: Okta never returns them. A changed secret is sent ' +
  "with its hook's next change, or at once with --resend-secrets."

/** The whole plan. Throws (exit 2) when a name is ambiguous in the org or Okta's hook limit would be passed. */
export function planHooks(desired: HookSpec[], org: EventHook[], options: PlanOptions): Plan {
  const warnings: string[] = []
  const hooks = desired.map((spec) => {
    const current = matchInOrg(spec, org, options.file, warnings)
    return current ? planExisting(spec, current, options) : planNew(spec)
  })
  const named = new Set(desired.map((spec) => spec.name))
  const others = org.filter((hook) => !named.has(hook.name))
  if (options.prune) hooks.push(...others.map((hook) => planDelete(hook)))
  checkActiveLimit(hooks, options.prune ? [] : others)

  const steps = hooks.flatMap((hook) => hook.steps).sort((a, b) => phaseOf(a.kind) - phaseOf(b.kind))
  const summary = {activate: 0, create: 0, deactivate: 0, delete: 0, unchanged: 0, update: 0, verify: 0}
  for (const step of steps) summary[step.kind]++
  summary.unchanged = hooks.filter((hook) => hook.action === 'unchanged').length
  return {
    changesPending: steps.length > 0,
    file: options.file,
    hooks,
    org: options.org,
    prune: Boolean(options.prune),
    steps,
    summary,
    unmanaged: options.prune ? [] : others.map((hook) => ({id: hook.id, name: hook.name})),
    warnings,
  }
}

function matchInOrg(spec: HookSpec, org: EventHook[], file: string, warnings: string[]): EventHook | undefined {
  const matches = org.filter((hook) => hook.name === spec.name)
  if (matches.length > 1) {
    throw new CliError(
      `${file}:${spec.at.line}: "${spec.name}" is the name of ${matches.length} ` +
        `hooks in the org (${matches.map((h) => h.id).join(', ')}).`,
      {
        code: 'AMBIGUOUS_NAME',
        exitCode: ExitCode.Usage,
        suggestions: [
          'plan and apply match hooks by name: rename or delete the extra ' +
            'ones first (`okta-hooks update ID --name ...`)',
        ],
      },
    )
  }

  if (matches.length === 0) {
    const near = org.find((hook) => hook.name.toLowerCase() === spec.name.toLowerCase())
    if (near) {
      warnings.push(
        `"${spec.name}" is not in the org, but "${near.name}" (${near.id}) is: names ` +
          `match exactly, so "${spec.name}" is planned as a new hook.`,
      )
    }
  }

  return matches[0]
}

function planNew(spec: HookSpec): HookPlan {
  const step = (kind: StepKind, reason: string): PlanStep => ({hook: spec.name, kind, reason})
  const steps = [step('create', REASONS.create)]
  const notes: string[] = []
  if (spec.status === 'INACTIVE') steps.push(step('deactivate', 'status: INACTIVE (Okta creates hooks ACTIVE)'))
  if (spec.verify) steps.push(step('verify', REASONS.newHook))
  else notes.push('verify: false: the new hook stays UNVERIFIED, and Okta delivers nothing to it until it is verified')
  return {
    action: 'create',
    after: {status: spec.status, verificationStatus: spec.verify ? 'VERIFIED' : 'UNVERIFIED'},
    changes: creationChanges(spec),
    name: spec.name,
    notes,
    ...(spec.auth
      ? {secret: {header: spec.auth.header, reason: 'the hook is new', ref: spec.auth.valueFrom.ref, sent: true}}
      : {}),
    steps,
  }
}

function planExisting(spec: HookSpec, hook: EventHook, options: PlanOptions): HookPlan {
  const current = normalized(hook)
  const step = (kind: StepKind, reason: string): PlanStep => ({hook: spec.name, id: current.id, kind, reason})
  const {changes, channelChanged, notes} = fieldChanges(spec, current)
  const resend = Boolean(options.resendSecrets && spec.auth && changes.length === 0)
  const steps: PlanStep[] = []
  if (changes.length > 0)
    steps.push(
      step(
        'update',
        `${changes.length} field${changes.length === 1 ? '' : 's'} change${changes.length === 1 ? 's' : ''}`,
      ),
    )
  else if (resend) steps.push(step('update', 'only to send the secret again (--resend-secrets)'))
  if (spec.status !== current.status) {
    const kind = spec.status === 'ACTIVE' ? 'activate' : 'deactivate'
    steps.push(step(kind, `status: ${current.status} → ${spec.status}`))
  }

  const verifyReason = channelChanged
    ? REASONS.channel
    : resend
      ? REASONS.resend
      : current.verificationStatus === 'VERIFIED'
        ? undefined
        : REASONS.unverified
  if (spec.verify && verifyReason) steps.push(step('verify', verifyReason))
  if (!spec.verify && channelChanged && current.verificationStatus === 'VERIFIED') {
    notes.push(
      'verify: false: after this channel change Okta requires verifying ' +
        'again, so the hook receives nothing until it is verified',
    )
  }

  steps.sort((a, b) => phaseOf(a.kind) - phaseOf(b.kind))
  const put = steps.some((s) => s.kind === 'update')
  const verified = spec.verify || (current.verificationStatus === 'VERIFIED' && !channelChanged)
  return {
    action: steps.find((s) => s.kind === 'update')?.kind ?? steps[0]?.kind ?? 'unchanged',
    after: {status: spec.status, verificationStatus: verified ? 'VERIFIED' : 'UNVERIFIED'},
    changes,
    id: current.id,
    name: spec.name,
    notes,
    ...(spec.auth ? {secret: secretUse(spec, put, resend)} : {}),
    steps,
  }
}

function planDelete(hook: EventHook): HookPlan {
  const step = (kind: StepKind, reason: string): PlanStep => ({hook: hook.name, id: hook.id, kind, reason})
  const steps = [
    ...(hook.status === 'ACTIVE' ? [step('deactivate', 'Okta deletes only INACTIVE hooks')] : []),
    step('delete', REASONS.prune),
  ]
  return {action: 'delete', changes: [], id: hook.id, name: hook.name, notes: [], steps}
}

function secretUse(spec: HookSpec, put: boolean, resend: boolean): SecretUse {
  const {header, valueFrom} = spec.auth!
  const reason = resend
    ? '--resend-secrets asks for it'
    : put
      ? "Okta's update is a full replace (PUT) and Okta never returns the secret, so every update sends it again"
      : 'not compared (Okta never returns it) and not sent, since nothing in this hook changes'
  return {header, reason, ref: valueFrom.ref, sent: put}
}

/**
 * The changes `update` would show for making `current` look like `spec` (secrets aside), and
 * whether the channel changes. Header names are compared case-insensitively and event types as a
 * set, so that Okta's own spelling or order never shows as a change.
 */
function fieldChanges(
  spec: HookSpec,
  current: EventHook,
): {changes: FieldChange[]; channelChanged: boolean; notes: string[]} {
  const currentAuth = current.channel.config.authScheme
  const authChanged = Boolean(
    spec.auth && (!currentAuth || currentAuth.key.toLowerCase() !== spec.auth.header.toLowerCase()),
  )
  // A stand-in value: the plan never needs the secret, and the body built here is not sent.
  const auth = authChanged ? {key: spec.auth!.header, value: MASK} : undefined
  const planned = planUpdate(current, updateChanges(spec, current, auth), {requireSecret: false})
  const changes = planned.changes.map((change) =>
    change.field === 'channel.config.authScheme' && spec.auth
      ? {...change, after: `${spec.auth.header}: ${MASK} (from ${spec.auth.valueFrom.ref})`}
      : maskSecretHeaders(change, spec.headers),
  )
  const notes = planned.changes.some((change) => change.field === 'channel.config.authScheme' && change.after === null)
    ? [NO_AUTH_NOTE]
    : []
  return {changes, channelChanged: planned.channelChanged, notes}
}

/** The PUT body that makes the org's hook match the file, its secret (from the file's reference) included. */
export function updateBody(spec: HookSpec, hook: EventHook): EventHookBody {
  const current = normalized(hook)
  return planUpdate(current, updateChanges(spec, current, authHeader(spec))).body
}

/** The POST body of a hook the file adds. */
export function createBody(spec: HookSpec): EventHookBody {
  return buildHookBody({
    allowUnknownEvents: true,
    auth: authHeader(spec),
    ...(spec.description ? {description: spec.description} : {}),
    events: spec.events,
    filterCheck: false,
    filters: spec.filters.map((f) => `${f.event}=${f.expression}`),
    headers: spec.headers.map((h) => `${h.name}: ${headerValue(h)}`),
    name: spec.name,
    url: spec.url,
  }).body
}

function authHeader(spec: HookSpec): AuthHeader | undefined {
  if (!spec.auth) return undefined
  if (spec.auth.valueFrom.value === undefined)
    throw new CliError(`The secret ${spec.auth.valueFrom.ref} of "${spec.name}" was not read.`)
  return {key: spec.auth.header, value: spec.auth.valueFrom.value}
}

/** The HookChanges (update's vocabulary) that turn `current` into `spec`. */
function updateChanges(spec: HookSpec, current: EventHook, auth?: AuthHeader): HookChanges {
  const config = current.channel.config
  const headers = config.headers ?? []
  const spelled = (name: string) => headers.find((h) => h.key.toLowerCase() === name.toLowerCase())?.key ?? name
  const items = current.events.items ?? []
  const sameEvents = items.length === spec.events.length && spec.events.every((id) => items.includes(id))
  const wanted = new Set(spec.headers.map((h) => h.name.toLowerCase()))
  const filtered = new Set(spec.filters.map((f) => f.event))
  return {
    // Already checked against the catalog when the file was read.
    allowUnknownEvents: true,
    ...(auth ? {auth} : {}),
    description: spec.description ?? '',
    events: sameEvents ? items : spec.events,
    // Checked by the filter engine when the file was read (what Okta may accept was only a warning).
    filterCheck: false,
    filters: spec.filters.map((f) => `${f.event}=${f.expression}`),
    headers: spec.headers.map((h) => `${spelled(h.name)}: ${headerValue(h)}`),
    name: spec.name,
    removeAuth: !spec.auth && Boolean(config.authScheme),
    removeFilters: (current.events.filter?.eventFilterMap ?? [])
      .map((f) => f.event)
      .filter((event) => !filtered.has(event)),
    removeHeaders: headers.filter((h) => !wanted.has(h.key.toLowerCase())).map((h) => h.key),
    url: spec.url,
  }
}

/** A hook as Okta returned it, with only the fields a plan compares, in one shape. */
function normalized(hook: EventHook): EventHook {
  const config = hook.channel?.config ?? {uri: ''}
  return {
    ...hook,
    description: hook.description || null,
    channel: {
      ...hook.channel,
      config: {
        ...config,
        headers: (config.headers ?? []).map((h) => ({key: h.key, value: h.value})),
        authScheme: config.authScheme ?? undefined,
      },
    },
    events: {...hook.events, items: hook.events?.items ?? [], type: 'EVENT_TYPE'},
  }
}

/** A new hook's fields, as changes from nothing. */
function creationChanges(spec: HookSpec): FieldChange[] {
  const change = (field: string, after: unknown): FieldChange => ({after, before: null, field})
  return [
    change('name', spec.name),
    ...(spec.description ? [change('description', spec.description)] : []),
    change('events.items', spec.events),
    ...(spec.filters.length > 0
      ? [change('events.filter', Object.fromEntries(spec.filters.map((f) => [f.event, f.expression])))]
      : []),
    change('channel.config.uri', spec.url),
    ...(spec.headers.length > 0
      ? [change('channel.config.headers', Object.fromEntries(spec.headers.map((h) => [h.name, shownValue(h)])))]
      : []),
    ...(spec.auth
      ? [change('channel.config.authScheme', `${spec.auth.header}: ${MASK} (from ${spec.auth.valueFrom.ref})`)]
      : []),
  ]
}

function shownValue(header: HeaderSpec): string {
  return header.valueFrom || isSecretHeaderName(header.name) ? MASK : headerValue(header)
}

/** A literal value, or the secret its reference was resolved to. */
function headerValue(header: HeaderSpec): string {
  const value = header.value ?? header.valueFrom?.value
  if (value === undefined)
    throw new CliError(`The secret ${header.valueFrom?.ref} of the header ${header.name} was not read.`)
  return value
}

/** Header values that come from a secret reference are masked on both sides of a change. */
function maskSecretHeaders(change: FieldChange, headers: HeaderSpec[]): FieldChange {
  const secret = new Set(headers.filter((h) => h.valueFrom).map((h) => h.name.toLowerCase()))
  if (change.field !== 'channel.config.headers' || secret.size === 0) return change
  const before = (change.before ?? {}) as Record<string, string>
  const mask = (view: Record<string, string>, marker: boolean) =>
    Object.fromEntries(
      Object.entries(view).map(([key, value]) => {
        if (!secret.has(key.toLowerCase())) return [key, value]
        const changed = marker && before[key] !== undefined && before[key] !== value
        return [key, `${MASK}${changed || (marker && before[key] === undefined) ? ' (new value)' : ''}`]
      }),
    )
  return {...change, after: mask((change.after ?? {}) as Record<string, string>, true), before: mask(before, false)}
}

/** Okta refuses a 26th active and verified hook: say so before anything is sent. */
function checkActiveLimit(plans: HookPlan[], kept: EventHook[]): void {
  const fromFile = plans.filter(
    (plan) => plan.after?.status === 'ACTIVE' && plan.after.verificationStatus === 'VERIFIED',
  ).length
  const others = kept.filter((hook) => hook.status === 'ACTIVE' && hook.verificationStatus === 'VERIFIED').length
  const total = fromFile + others
  if (total > OKTA_LIMITS.activeVerifiedHooks) {
    throw usageError(
      `After this apply the org would have ${total} active and verified event hooks (${fromFile} from the ` +
        `file, ${others} not in it); Okta allows at most ${OKTA_LIMITS.activeVerifiedHooks}.`,
      [
        'Set status: INACTIVE (or verify: false) on hooks that need not deliver',
        'Or delete hooks the file no longer has with --prune',
      ],
    )
  }
}
