/**
 * Plans an update: the current hook (as GET returned it) and the requested changes give the full
 * PUT body (Okta's replace is a full replace) and the list of what changes, before → after.
 * Pure: no I/O, no oclif. The auth secret is write-only in Okta, so a hook with an auth header
 * can only be replaced when the secret is resupplied or the auth header removed on purpose.
 */
import {parseEventTypes} from '../catalog/event-types.js'
import {identityEngineWarnings} from '../catalog/identity-engine.js'
import {CliError, usageError} from '../errors.js'
import {ExitCode} from '../exit-codes.js'
import {isSecretHeaderName, maskSecret} from '../secrets/mask.js'
import {displayUrl} from '../net/urls.js'
import type {AuthHeader} from './auth-secret.js'
import {
  channelObject,
  checkCustomHeaders,
  checkFilterExpressions,
  checkFilters,
  checkName,
  checkUrl,
  eventsObject,
  parseFilterFlag,
  parseHeaderFlag,
  secretLookingHeaderWarnings,
} from './hook-builder.js'
import type {EventHook, EventHookBody, EventHookFilterEntry, EventHookHeader} from './types.js'
import {OKTA_LIMITS} from './limits.js'

export interface HookChanges {
  /** --add-event values. */
  addEvents?: string[]
  allowUnknownEvents?: boolean
  /** The resupplied (or new) auth header. */
  auth?: AuthHeader
  /** A new description; "" clears it. */
  description?: string
  /** --event values: replace the whole list. */
  events?: string[]
  /** --filter values, "EVENT_TYPE=EXPRESSION": set per event. */
  filters?: string[]
  /** false (--no-filter-check): a --filter the engine refuses is a warning, sent to Okta as written. */
  filterCheck?: boolean
  /** --header values, "Name: value": set or replace by name. */
  headers?: string[]
  name?: string
  removeAuth?: boolean
  removeEvents?: string[]
  removeFilters?: string[]
  removeHeaders?: string[]
  url?: string
}

export interface FieldChange {
  after: unknown
  before: unknown
  field: string
}

export interface PlannedUpdate {
  body: EventHookBody
  changes: FieldChange[]
  /** URL, custom headers or the auth header's name changed: Okta requires verifying the hook again. */
  channelChanged: boolean
  /** What the update does to the hook's verification (see verificationEffect). */
  verification: VerificationEffect
  warnings: string[]
}

/**
 * What Okta does to a hook's verification on an update, stated once. Okta's API reference
 * (replaceEventHook): "Updating the channel property requires you to verify the hook again";
 * the hook is then UNVERIFIED, and Okta delivers nothing to it until it is verified.
 */
export const VERIFICATION_RULE =
  'Changing the channel (the URL, a custom header, the auth header or its secret) makes Okta require verifying ' +
  'the hook again: it is UNVERIFIED, and receives no events, until verified. ' +
  'Name, description, events and filters keep its verification.'

/**
 * `required`: the channel changes. `required-if-secret-differs`: only the auth secret is sent
 * again, and the one Okta holds is unknown (Okta never returns it). `kept`: the channel is the same.
 */
export type VerificationEffect = 'kept' | 'required' | 'required-if-secret-differs'

type ChannelConfig = EventHook['channel']['config']

/**
 * The verification rule applied to a channel before and after an update: the URL, the custom
 * headers (names compared case-insensitively, order ignored), the auth header's name, and its
 * secret where both values are known. `update` and the sandbox's replace both follow it.
 */
export function verificationEffect(before: ChannelConfig, after: ChannelConfig): VerificationEffect {
  const headers = (config: ChannelConfig) =>
    JSON.stringify((config.headers ?? []).map((h) => [h.key.toLowerCase(), h.value]).sort())
  const [was, now] = [before.authScheme ?? undefined, after.authScheme ?? undefined]
  if (before.uri !== after.uri || headers(before) !== headers(after)) return 'required'
  if (Boolean(was) !== Boolean(now) || (was && now && was.key.toLowerCase() !== now.key.toLowerCase()))
    return 'required'
  if (!now?.value) return 'kept' // no auth header, or the secret not sent (a preview)
  if (!was?.value) return 'required-if-secret-differs'
  return was.value === now.value ? 'kept' : 'required'
}

/** Shown for the write-only secret wherever a before/after value would be. */
export const WRITE_ONLY = '(write-only, not returned by Okta)'

/** Whether any change was asked for at all (before anything is fetched or prompted). */
export function hasRequestedChanges(changes: HookChanges): boolean {
  return Boolean(
    changes.name !== undefined ||
    changes.url !== undefined ||
    changes.description !== undefined ||
    changes.auth ||
    changes.removeAuth ||
    [
      changes.events,
      changes.addEvents,
      changes.removeEvents,
      changes.headers,
      changes.removeHeaders,
      changes.filters,
      changes.removeFilters,
    ].some((list) => list && list.length > 0),
  )
}

/** The error for a hook whose auth secret would be lost by a PUT. */
export function secretRequiredError(hook: EventHook): CliError {
  const key = hook.channel.config.authScheme?.key ?? 'Authorization'
  return new CliError(
    `The hook "${hook.name}" (${hook.id}) has an auth header (${key}) whose secret Okta never returns.`,
    {
      causes: [
        "Okta's update is a full replace (PUT): a body without the secret would drop " +
          'or break the auth header, and okta-hooks never invents one',
      ],
      code: 'AUTH_SECRET_REQUIRED',
      exitCode: ExitCode.Usage,
      suggestions: [
        `Resupply it: --auth-secret-env VAR or --auth-secret-stdin (or ` +
          `--basic-auth-user USER with the password the same way)`,
        'Or remove the auth header on purpose with --remove-auth',
      ],
    },
  )
}

/**
 * The full PUT body and the changes. With `requireSecret` (the default), a hook that has an auth
 * header needs `auth` or `removeAuth`; pass false only to preview what would change.
 */
export function planUpdate(
  current: EventHook,
  changes: HookChanges,
  options: {requireSecret?: boolean} = {},
): PlannedUpdate {
  if (changes.auth && changes.removeAuth) throw usageError('Give the auth header or --remove-auth, not both.')
  const currentConfig = current.channel?.config ?? {uri: ''}
  const currentAuth = currentConfig.authScheme ?? undefined
  if (currentAuth && !changes.auth && !changes.removeAuth && options.requireSecret !== false)
    throw secretRequiredError(current)

  const out: FieldChange[] = []
  const warnings: string[] = []
  const record = (field: string, before: unknown, after: unknown) => {
    if (JSON.stringify(before) !== JSON.stringify(after)) out.push({after, before, field})
  }

  // name, description
  const name = changes.name === undefined ? current.name : checkName(changes.name)
  record('name', current.name, name)
  const currentDescription = current.description ?? null
  const description = changes.description === undefined ? currentDescription : changes.description.trim() || null
  record('description', currentDescription, description)

  // events
  const currentItems = current.events?.items ?? []
  let items =
    changes.events && changes.events.length > 0
      ? parseEventTypes(changes.events, {allowUnknown: changes.allowUnknownEvents})
      : [...currentItems]
  if (changes.addEvents && changes.addEvents.length > 0) {
    const added = parseEventTypes(changes.addEvents, {allowUnknown: changes.allowUnknownEvents, flag: '--add-event'})
    items = [...items, ...added.filter((id) => !items.includes(id))]
  }

  if (changes.removeEvents && changes.removeEvents.length > 0) {
    const removed = splitList(changes.removeEvents)
    for (const id of removed) {
      if (!items.includes(id)) {
        throw usageError(`--remove-event ${id} is not one of the hook's event types (${items.join(', ')}).`)
      }
    }

    items = items.filter((id) => !removed.includes(id))
  }

  if (items.length === 0)
    throw usageError('The hook would have no event types left; Okta requires at least one.', [
      'Keep one, or add one with --add-event',
    ])
  if (items.length > OKTA_LIMITS.eventTypesPerHook) {
    throw usageError(
      `The hook would have ${items.length} event types; Okta allows at most ${OKTA_LIMITS.eventTypesPerHook}.`,
    )
  }
  record('events.items', currentItems, items)
  warnings.push(...identityEngineWarnings(items.filter((id) => !currentItems.includes(id))))

  // filters: kept per event, set by --filter, removed by --remove-filter or with their event
  const currentFilters = (current.events?.filter?.eventFilterMap ?? []).map((entry) => ({
    event: entry.event,
    expression: entry.condition?.expression ?? '',
  }))
  const filters = new Map(currentFilters.map((f) => [f.event, f.expression]))
  for (const event of splitList(changes.removeFilters ?? [])) {
    if (!filters.has(event)) {
      throw usageError(`--remove-filter ${event}: the hook has no filter on that event type.`, [
        currentFilters.length > 0
          ? `Filters exist on: ${currentFilters.map((f) => f.event).join(', ')}`
          : 'The hook has no filters',
      ])
    }

    filters.delete(event)
  }

  const requested = (changes.filters ?? []).map((value) => parseFilterFlag(value))
  checkFilters(requested, items)
  warnings.push(...checkFilterExpressions(requested, {filterCheck: changes.filterCheck}))
  for (const filter of requested) filters.set(filter.event, filter.expression)
  for (const event of [...filters.keys()]) {
    if (!items.includes(event)) {
      filters.delete(event)
      warnings.push(`The filter on ${event} is dropped with its event type.`)
    }
  }

  const filterEntries: EventHookFilterEntry[] = checkFilters(
    [...filters].map(([event, expression]) => ({event, expression})),
    items,
  )
  record(
    'events.filter',
    Object.fromEntries(currentFilters.map((f) => [f.event, f.expression])),
    Object.fromEntries(filterEntries.map((f) => [f.event, f.condition.expression])),
  )

  // channel: url, headers, auth
  const uri = changes.url === undefined ? currentConfig.uri : checkUrl(changes.url).uri
  if (changes.url !== undefined) warnings.push(...checkUrl(changes.url).warnings)
  record('channel.config.uri', displayUrl(currentConfig.uri), displayUrl(uri))

  const authKey = changes.removeAuth ? undefined : (changes.auth?.key ?? currentAuth?.key)
  const currentHeaders: EventHookHeader[] = currentConfig.headers ?? []
  const headers = applyHeaderChanges(currentHeaders, changes.headers ?? [], changes.removeHeaders ?? [])
  checkCustomHeaders(headers, authKey)
  const newHeaders = (changes.headers ?? []).map((value) => parseHeaderFlag(value))
  warnings.push(...secretLookingHeaderWarnings(newHeaders))
  if (JSON.stringify(currentHeaders) !== JSON.stringify(headers)) {
    out.push({
      after: headerView(headers, currentHeaders),
      before: headerView(currentHeaders),
      field: 'channel.config.headers',
    })
  }

  if (changes.removeAuth) {
    if (!currentAuth) throw usageError('--remove-auth: the hook has no auth header to remove.')
    out.push({after: null, before: `${currentAuth.key}: ${WRITE_ONLY}`, field: 'channel.config.authScheme'})
    warnings.push(
      'Without an auth header, anyone who knows the URL can post events to it: ' +
        'make sure the endpoint authenticates Okta another way.',
    )
  } else if (changes.auth) {
    out.push({
      after: `${changes.auth.key}: ${maskSecret(changes.auth.value)}`,
      before: currentAuth ? `${currentAuth.key}: ${WRITE_ONLY}` : null,
      field: 'channel.config.authScheme',
    })
  }

  const auth = changes.removeAuth
    ? undefined
    : (changes.auth ?? (currentAuth ? {key: currentAuth.key, value: ''} : undefined))
  const channel = channelObject(uri, headers, auth)
  if (auth && !auth.value) delete channel.config.authScheme!.value // preview only (requireSecret: false)

  const body: EventHookBody = {
    name,
    ...(description === null && current.description === undefined ? {} : {description}),
    events: eventsObject(items, filterEntries),
    channel,
  }
  const verification = verificationEffect(currentConfig, channel.config)
  return {body, changes: out, channelChanged: verification === 'required', verification, warnings}
}

/**
 * --header sets or replaces by name (case-insensitive, keeping the position); --remove-header must name an existing
 * one.
 */
export function applyHeaderChanges(current: EventHookHeader[], set: string[], remove: string[]): EventHookHeader[] {
  let headers = current.map((h) => ({key: h.key, value: h.value}))
  for (const name of splitList(remove)) {
    if (!headers.some((h) => h.key.toLowerCase() === name.toLowerCase())) {
      throw usageError(`--remove-header ${name}: the hook has no such header.`, [
        headers.length > 0 ? `Its headers: ${headers.map((h) => h.key).join(', ')}` : 'The hook has no custom headers',
      ])
    }

    headers = headers.filter((h) => h.key.toLowerCase() !== name.toLowerCase())
  }

  const seen = new Set<string>()
  for (const value of set) {
    const header = parseHeaderFlag(value)
    const lower = header.key.toLowerCase()
    if (seen.has(lower))
      throw usageError(`--header ${header.key} is given more than once (header names are case-insensitive).`)
    seen.add(lower)
    const index = headers.findIndex((h) => h.key.toLowerCase() === lower)
    if (index === -1) headers.push(header)
    else headers[index] = header
  }

  return headers
}

/** Headers for a diff: values of secret-looking names masked (and marked when they changed). */
function headerView(headers: EventHookHeader[], before?: EventHookHeader[]): Record<string, string> {
  return Object.fromEntries(
    headers.map((h) => {
      if (!isSecretHeaderName(h.key)) return [h.key, h.value]
      const old = before?.find((b) => b.key.toLowerCase() === h.key.toLowerCase())
      return [h.key, `${maskSecret(h.value)}${before && old?.value !== h.value ? ' (new value)' : ''}`]
    }),
  )
}

function splitList(values: string[]): string[] {
  return [
    ...new Set(
      values
        .flatMap((v) => v.split(','))
        .map((v) => v.trim())
        .filter(Boolean),
    ),
  ]
}

/** One line per change, for people: "name: "A" → "B"". */
export function renderChanges(changes: FieldChange[]): string {
  return changes.map((change) => `  ${change.field}: ${show(change.before)} → ${show(change.after)}`).join('\n')
}

function show(value: unknown): string {
  if (value === null || value === undefined) return '(none)'
  if (Array.isArray(value)) return value.length === 0 ? '(none)' : value.join(', ')
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
    return entries.length === 0 ? '(none)' : entries.map(([k, v]) => `${k}: ${v}`).join('; ')
  }

  return typeof value === 'string' && value === '' ? '""' : String(value)
}
