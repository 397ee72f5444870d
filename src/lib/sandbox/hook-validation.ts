/**
 * Okta's rules for an event hook body (create and replace), as errorCauses of a 400 E0000001
 * "Api validation failed: eventHook". Returns the normalized body, with server-owned fields dropped.
 * Filter expressions are checked with the filter engine (src/lib/filters), as `create --filter`
 * checks them: Okta documents no error for an invalid filter, so the sandbox answers it in the form
 * of every other hook validation failure, naming the event type, the problem and where it is.
 */
import {isEligible} from '../catalog/event-types.js'
import {describeFilterProblem, validateFilter} from '../filters/index.js'
import {checkHookUri} from '../net/urls.js'
import {isReservedHeader} from '../hooks/reserved-headers.js'
import type {EventHookAuthScheme, EventHookBody, EventHookHeader} from '../hooks/types.js'
import {apiValidation} from './errors.js'
import {OKTA_LIMITS} from '../hooks/limits.js'

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/

type Json = Record<string, unknown>
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value)

/**
 * Checks a create/replace body. `previousAuth` is the stored auth scheme on replace: an authScheme
 * sent with the same key and no value keeps the stored secret (see the README's sandbox section).
 */
export function validateHookBody(body: unknown, previousAuth?: EventHookAuthScheme | null): EventHookBody {
  if (!isObject(body))
    throw apiValidation('eventHook', ['The request body must be a JSON object describing an event hook'])
  const causes: string[] = []
  const name = body.name
  if (typeof name !== 'string' || name.trim() === '') causes.push('name: The field cannot be left blank')
  else if (name.length > 255) causes.push('name: The field must be between 1 and 255 characters')

  const description = body.description
  if (description !== undefined && description !== null && typeof description !== 'string')
    causes.push('description: must be a string')

  const events = checkEvents(body.events, causes)
  const channel = checkChannel(body.channel, causes, previousAuth)
  if (causes.length > 0) throw apiValidation('eventHook', causes)
  return {
    channel: channel!,
    ...(description === undefined ? {} : {description: description as null | string}),
    events: events!,
    name: name as string,
  }
}

function checkEvents(value: unknown, causes: string[]): EventHookBody['events'] | undefined {
  if (!isObject(value)) {
    causes.push('events: The field cannot be left blank')
    return undefined
  }

  if (value.type !== 'EVENT_TYPE') causes.push('events.type: The only supported type is EVENT_TYPE')
  const items = value.items
  let types: string[] = []
  if (!Array.isArray(items) || items.length === 0) causes.push('events.items: At least one event type is required')
  else if (items.length > OKTA_LIMITS.eventTypesPerHook)
    causes.push(`events.items: An event hook can subscribe to at most ${OKTA_LIMITS.eventTypesPerHook} event types`)
  else {
    for (const item of items) {
      if (typeof item !== 'string' || item === '')
        causes.push('events.items: Each event type must be a non-empty string')
      else if (!isEligible(item)) causes.push(`events.items: Invalid event type for event hooks: ${item}`)
    }

    types = [...new Set(items.filter((item): item is string => typeof item === 'string'))]
  }

  const filter = checkFilter(value.filter, types, causes)
  return {
    ...(filter === undefined ? {} : {filter}),
    items: types,
    type: 'EVENT_TYPE',
  }
}

function checkFilter(value: unknown, types: string[], causes: string[]): EventHookBody['events']['filter'] {
  if (value === undefined) return undefined
  if (value === null) return null
  if (!isObject(value)) {
    causes.push('events.filter: must be an object with type EXPRESSION_LANGUAGE and an eventFilterMap')
    return undefined
  }

  if (value.type !== undefined && value.type !== 'EXPRESSION_LANGUAGE')
    causes.push('events.filter.type: The only supported type is EXPRESSION_LANGUAGE')
  const map = value.eventFilterMap
  if (!Array.isArray(map)) {
    causes.push('events.filter.eventFilterMap: must be a list of {event, condition: {expression}}')
    return undefined
  }

  const entries = []
  for (const entry of map) {
    const event = isObject(entry) ? entry.event : undefined
    const condition = isObject(entry) && isObject(entry.condition) ? entry.condition : undefined
    if (typeof event !== 'string' || !types.includes(event)) {
      causes.push(
        `events.filter.eventFilterMap: the filtered event ` +
          `${JSON.stringify(event)} must be one of the hook's event types`,
      )
      continue
    }

    if (typeof condition?.expression !== 'string' || condition.expression.trim() === '') {
      causes.push(`events.filter.eventFilterMap: the condition for ${event} needs a non-empty expression`)
      continue
    }

    const checked = validateFilter(condition.expression)
    if (!checked.ok) {
      causes.push(
        `events.filter.eventFilterMap: the condition for ${event} is not a valid event hook filter: ` +
          describeFilterProblem(checked.problem),
      )
      continue
    }

    entries.push({condition: {expression: condition.expression, version: null}, event})
  }

  return {eventFilterMap: entries, type: 'EXPRESSION_LANGUAGE'}
}

function checkChannel(
  value: unknown,
  causes: string[],
  previousAuth?: EventHookAuthScheme | null,
): EventHookBody['channel'] | undefined {
  if (!isObject(value)) {
    causes.push('channel: The field cannot be left blank')
    return undefined
  }

  if (value.type !== 'HTTP') causes.push('channel.type: The only supported type is HTTP')
  if (value.version !== '1.0.0') causes.push('channel.version: The only supported version is 1.0.0')
  const config = value.config
  if (!isObject(config)) {
    causes.push('channel.config: The field cannot be left blank')
    return undefined
  }

  const uri = config.uri
  if (typeof uri !== 'string' || uri === '') causes.push('channel.config.uri: The field cannot be left blank')
  else {
    const checked = checkHookUri(uri)
    if ('problem' in checked) causes.push(`channel.config.uri: The URI ${checked.problem}`)
  }

  const headers = checkHeaders(config.headers, causes)
  const authScheme = checkAuthScheme(config.authScheme, causes, previousAuth)
  if (authScheme && headers?.some((header) => header.key.toLowerCase() === authScheme.key.toLowerCase())) {
    causes.push(
      `channel.config.headers: ${authScheme.key} is the auth header ` +
        `(authScheme.key); it cannot also be a custom header`,
    )
  }

  return {
    config: {
      ...(authScheme === undefined ? {} : {authScheme}),
      headers: headers ?? [],
      method: 'POST',
      uri: uri as string,
    },
    type: 'HTTP',
    version: '1.0.0',
  }
}

function checkHeaders(value: unknown, causes: string[]): EventHookHeader[] | undefined {
  if (value === undefined || value === null) return []
  if (!Array.isArray(value)) {
    causes.push('channel.config.headers: must be a list of {key, value}')
    return undefined
  }

  const out: EventHookHeader[] = []
  const seen = new Set<string>()
  for (const header of value) {
    const key = isObject(header) ? header.key : undefined
    const headerValue = isObject(header) ? header.value : undefined
    if (typeof key !== 'string' || !HEADER_NAME.test(key)) {
      causes.push(`channel.config.headers: ${JSON.stringify(key)} is not a valid header name`)
      continue
    }

    if (isReservedHeader(key)) {
      causes.push(`channel.config.headers: ${key} is a reserved header and cannot be set`)
      continue
    }

    if (seen.has(key.toLowerCase())) causes.push(`channel.config.headers: ${key} is given more than once`)
    seen.add(key.toLowerCase())
    if (typeof headerValue !== 'string' || /[\r\n]/.test(headerValue)) {
      causes.push(`channel.config.headers: the value of ${key} must be a single-line string`)
      continue
    }

    out.push({key, value: headerValue})
  }

  return out
}

/** The auth scheme; undefined when there is none (or it is invalid: then a cause says why). */
function checkAuthScheme(
  value: unknown,
  causes: string[],
  previousAuth?: EventHookAuthScheme | null,
): EventHookAuthScheme | undefined {
  if (value === undefined || value === null) return undefined
  if (!isObject(value)) {
    causes.push('channel.config.authScheme: must be an object {type: HEADER, key, value}')
    return undefined
  }

  if (value.type !== 'HEADER') causes.push('channel.config.authScheme.type: The only supported type is HEADER')
  const key = value.key
  if (typeof key !== 'string' || !HEADER_NAME.test(key)) {
    causes.push('channel.config.authScheme.key: must be a valid header name, such as Authorization')
    return undefined
  }

  if (isReservedHeader(key)) {
    causes.push(`channel.config.authScheme.key: ${key} is a reserved header and cannot be set`)
    return undefined
  }

  let secret = value.value
  if (secret === undefined || secret === null || secret === '') {
    // Write-only secret: a replace that resends what GET returned keeps the stored one for the same header.
    if (previousAuth?.value && previousAuth.key.toLowerCase() === key.toLowerCase()) secret = previousAuth.value
    else {
      causes.push('channel.config.authScheme.value: The field cannot be left blank')
      return undefined
    }
  }

  if (typeof secret !== 'string' || /[\r\n]/.test(secret)) {
    causes.push('channel.config.authScheme.value: must be a single-line string')
    return undefined
  }

  return {key, type: 'HEADER', value: secret}
}
