/**
 * Builds and validates the EventHook request body that `create` sends (and whose pieces `update`
 * reuses): name, URI, event types, custom headers, the auth header, Early Access filters.
 * Knows nothing of oclif: every problem is a usage error (exit 2) naming the flag and the fix.
 */
import {parseEventTypes} from '../catalog/event-types.js'
import {identityEngineWarnings} from '../catalog/identity-engine.js'
import {CliError, usageError} from '../errors.js'
import {ExitCode} from '../exit-codes.js'
import {
  describeFilterProblem,
  type FilterProblem,
  oktaMayAccept,
  pointAtProblem,
  validateFilter,
} from '../filters/index.js'
import {checkHookUri, displayUrl, refuseCredentials} from '../net/urls.js'
import {isSecretHeaderName, maskSecret} from '../secrets/mask.js'
import {type AuthHeader, checkHeaderName} from './auth-secret.js'
import {isReservedHeader, RESERVED_HEADER_PREFIX} from './reserved-headers.js'
import type {EventHookBody, EventHookEvents, EventHookFilterEntry, EventHookHeader} from './types.js'

export const CHANNEL_VERSION = '1.0.0'
export const MAX_NAME_LENGTH = 255

export interface HookInputs {
  allowUnknownEvents?: boolean
  auth?: AuthHeader
  description?: string
  /** --event values: repeatable, comma lists allowed. */
  events: string[]
  /** --filter values: "EVENT_TYPE=EXPRESSION". */
  filters?: string[]
  /** false (--no-filter-check): a filter the engine refuses is a warning, sent to Okta as written. */
  filterCheck?: boolean
  /** --header values: "Name: value". */
  headers?: string[]
  name: string
  url: string
}

export interface BuiltHook {
  body: EventHookBody
  /** Things the user should know that do not stop the command (plain http on loopback, ...). */
  warnings: string[]
}

export interface ParsedFilter {
  event: string
  expression: string
}

/** The whole create body, validated. */
export function buildHookBody(inputs: HookInputs): BuiltHook {
  const warnings: string[] = []
  const name = checkName(inputs.name)
  const url = checkUrl(inputs.url)
  warnings.push(...url.warnings)
  const items = parseEventTypes(inputs.events, {allowUnknown: inputs.allowUnknownEvents})
  if (items.length === 0)
    throw usageError('Give at least one event type with --event.', ['Find types with `okta-hooks event-types <word>`'])
  const headers = checkCustomHeaders(
    (inputs.headers ?? []).map((value) => parseHeaderFlag(value)),
    inputs.auth?.key,
  )
  warnings.push(...secretLookingHeaderWarnings(headers))
  warnings.push(...identityEngineWarnings(items))
  const filters = (inputs.filters ?? []).map((value) => parseFilterFlag(value))
  const events = eventsObject(items, checkFilters(filters, items))
  warnings.push(...checkFilterExpressions(filters, {filterCheck: inputs.filterCheck}))
  const body: EventHookBody = {
    name,
    ...(inputs.description === undefined ? {} : {description: inputs.description}),
    events,
    channel: channelObject(url.uri, headers, inputs.auth),
  }
  return {body, warnings}
}

export function channelObject(uri: string, headers: EventHookHeader[], auth?: AuthHeader): EventHookBody['channel'] {
  return {
    type: 'HTTP',
    version: CHANNEL_VERSION,
    config: {
      uri,
      ...(headers.length > 0 ? {headers} : {}),
      ...(auth ? {authScheme: {type: 'HEADER', key: auth.key, value: auth.value}} : {}),
    },
  }
}

export function eventsObject(items: string[], filters: EventHookFilterEntry[]): EventHookEvents {
  return {
    type: 'EVENT_TYPE',
    items,
    ...(filters.length > 0 ? {filter: {type: 'EXPRESSION_LANGUAGE', eventFilterMap: filters}} : {}),
  }
}

export function checkName(value: string, flag = '--name'): string {
  const name = value.trim()
  if (!name) throw usageError(`${flag} must not be empty.`)
  if (name.length > MAX_NAME_LENGTH)
    throw usageError(`${flag} is ${name.length} characters long; Okta allows at most ${MAX_NAME_LENGTH}.`)
  return name
}

/** Okta's URI rules; plain http only for loopback hosts, with a warning. */
export function checkUrl(value: string, flag = '--url'): {uri: string; warnings: string[]} {
  refuseCredentials(value, flag)
  const checked = checkHookUri(value.trim())
  if ('problem' in checked) {
    throw usageError(
      `${flag} ${displayUrl(value.trim()) || '""'} ${checked.problem}.`,
      checked.suggestion ? [checked.suggestion] : [],
    )
  }

  const warnings = checked.plainHttpLoopback
    ? [
        `${flag} uses plain http on a loopback host: fine for a local ` +
          `stand-in, but a real Okta org refuses anything but https.`,
      ]
    : []
  return {uri: value.trim(), warnings}
}

/** "Name: value" → {key, value}. */
export function parseHeaderFlag(value: string, flag = '--header'): EventHookHeader {
  const colon = value.indexOf(':')
  if (colon <= 0) {
    throw usageError(`${flag} "${value}" is not in the form "Name: value".`, [`For example ${flag} "X-Team: identity"`])
  }

  const key = checkHeaderName(value.slice(0, colon).trim(), flag)
  const headerValue = value.slice(colon + 1).trim()
  if (!headerValue) throw usageError(`${flag} ${key} has an empty value.`, [`Give a value: ${flag} "${key}: value"`])
  if (/[\r\n\0]/.test(headerValue)) throw usageError(`${flag} ${key}: the value must not contain line breaks.`)
  return {key, value: headerValue}
}

/** Why a custom header name is refused, or undefined when it is allowed. */
export function reservedHeaderReason(name: string, authKey?: string): string | undefined {
  const lower = name.toLowerCase()
  if (lower.startsWith(RESERVED_HEADER_PREFIX)) return `X-Okta-* headers are reserved for Okta`
  if (isReservedHeader(lower)) return `${name} is set by Okta itself (or by HTTP) and cannot be a custom header`
  if (authKey && lower === authKey.toLowerCase())
    return (
      `${name} is the auth header; its value comes from the auth flags ` +
      `(--auth-secret-env, --auth-secret-stdin), not --header`
    )
  return undefined
}

/** Refuses reserved names (the auth header's too) and duplicates, both case-insensitively. */
export function checkCustomHeaders(headers: EventHookHeader[], authKey?: string, flag = '--header'): EventHookHeader[] {
  if (authKey && isReservedHeader(authKey)) {
    throw usageError(`--auth-header "${authKey}" is refused: it is a header Okta sets itself (or HTTP owns).`, [
      'Use Authorization (the default) or a name of your own, e.g. X-Hook-Secret',
    ])
  }

  const seen = new Set<string>()
  for (const header of headers) {
    const reason = reservedHeaderReason(header.key, authKey)
    if (reason)
      throw usageError(`${flag} "${header.key}" is refused: ${reason}.`, ['Use a header name of your own, e.g. X-Team'])
    const lower = header.key.toLowerCase()
    if (seen.has(lower))
      throw usageError(`${flag} ${header.key} is given more than once (header names are case-insensitive).`, [
        'Give each header once',
      ])
    seen.add(lower)
  }

  return headers
}

/** Custom header values are not write-only: Okta shows them to anyone who can read the hook. */
export function secretLookingHeaderWarnings(headers: EventHookHeader[]): string[] {
  return headers
    .filter((header) => isSecretHeaderName(header.key))
    .map(
      (header) =>
        `--header ${header.key} looks like a secret, but custom header values are returned ` +
        `in clear by Okta's API; put a secret in the auth header instead (--auth-header ` +
        `${header.key} --auth-secret-env VAR), which is write-only.`,
    )
}

/** "EVENT_TYPE=EXPRESSION" → {event, expression}. */
export function parseFilterFlag(value: string, flag = '--filter'): ParsedFilter {
  const equals = value.indexOf('=')
  const event = equals > 0 ? value.slice(0, equals).trim() : ''
  const expression = equals > 0 ? value.slice(equals + 1).trim() : ''
  if (!event || !expression) {
    throw usageError(`${flag} "${value}" is not in the form "EVENT_TYPE=EXPRESSION".`, [
      `For example ${flag} "group.user_membership.add=event.target.?[type ` +
        `eq 'UserGroup' && displayName eq 'Sales'].size()>0"`,
    ])
  }

  return {event, expression}
}

/** Each filter names one of the hook's events, at most once. */
export function checkFilters(filters: ParsedFilter[], items: string[], flag = '--filter'): EventHookFilterEntry[] {
  const seen = new Set<string>()
  for (const filter of filters) {
    if (!items.includes(filter.event)) {
      throw usageError(
        `${flag} ${filter.event}: a filter must name one of the hook's event types (${items.join(', ')}).`,
        [`Add the event with --event ${filter.event}, or fix the event type before "="`],
      )
    }

    if (seen.has(filter.event))
      throw usageError(`${flag} ${filter.event} is given more than once; one filter per event type.`)
    seen.add(filter.event)
  }

  return filters.map((filter) => filterEntry(filter.event, filter.expression))
}

/**
 * The filter engine's verdict on each expression, before anything is sent to Okta: a usage error
 * (exit 2) naming the event type, the problem and where it is (a caret line under it), or, with
 * `filterCheck: false` (--no-filter-check), one warning per refused expression, which then goes to
 * Okta as written: the engine alone never blocks a filter Okta may accept.
 */
export function checkFilterExpressions(
  filters: ParsedFilter[],
  options: {filterCheck?: boolean; flag?: string} = {},
): string[] {
  const flag = options.flag ?? '--filter'
  const warnings: string[] = []
  for (const {event, expression} of filters) {
    const checked = validateFilter(expression)
    if (checked.ok) continue
    const {problem} = checked
    if (options.filterCheck === false) {
      warnings.push(
        `${flag} ${event} is sent as written (--no-filter-check), though okta-hooks refuses it: ` +
          `${describeFilterProblem(problem)}. Okta decides; the sandbox, replay and \`filter test\` cannot evaluate it.`,
      )
      continue
    }

    throw filterProblemError(`${flag} ${event}`, expression, problem)
  }

  return warnings
}

/**
 * Exit 2 for a refused expression: what and where (a caret under it), how to fix it, the escape
 * hatch (or `suggestions` instead, where the caller has its own).
 */
export function filterProblemError(
  label: string,
  expression: string,
  problem: FilterProblem,
  suggestions?: string[],
): CliError {
  const caret = pointAtProblem(expression, problem)
    .split('\n')
    .map((line) => `    ${line}`)
    .join('\n')
  return new CliError(`${label}: ${describeFilterProblem(problem)}\n${caret}`, {
    code: 'INVALID_FILTER',
    details: {filter: {expression, problem}},
    exitCode: ExitCode.Usage,
    suggestions: suggestions ?? filterFixSuggestions(problem),
  })
}

function filterFixSuggestions(problem: FilterProblem): string[] {
  if (oktaMayAccept(problem)) {
    return [
      "okta-hooks is stricter than Okta here (Okta's filter docs never use this, yet its Expression " +
        'Language may accept it): pass --no-filter-check to send the filter to Okta as written',
    ]
  }

  return [
    'Fix the expression; try it on events first with `okta-hooks filter test --expression EXPR ' +
      '--event-type TYPE --sample` (or --from-file, or the System Log)',
    '--no-filter-check sends it to Okta as written anyway (Okta then decides)',
  ]
}

export function filterEntry(event: string, expression: string): EventHookFilterEntry {
  return {event, condition: {expression, version: null}}
}

/**
 * The body as shown to people (--dry-run, diffs): the auth secret masked always, custom header
 * values masked when their name looks like a secret.
 */
export function maskBody(body: EventHookBody): EventHookBody {
  const config = body.channel.config
  return {
    ...body,
    channel: {
      ...body.channel,
      config: {
        ...config,
        ...(config.headers
          ? {
              headers: config.headers.map((h) => ({
                key: h.key,
                value: isSecretHeaderName(h.key) ? maskSecret(h.value) : h.value,
              })),
            }
          : {}),
        ...(config.authScheme
          ? {
              authScheme: {
                ...config.authScheme,
                ...(config.authScheme.value ? {value: maskSecret(config.authScheme.value)} : {}),
              },
            }
          : {}),
      },
    },
  }
}
