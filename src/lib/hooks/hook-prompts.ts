/**
 * The questions `create` asks a person at a terminal for the values they did not give as flags.
 * Every question goes through `prompter` (tests replace its methods); answers are validated with
 * the same rules as the flags, so a prompt never accepts what the flag would refuse.
 */
import {searchEventTypes} from '../catalog/event-types.js'
import {CliError} from '../errors.js'
import {type Choice, prompter} from '../io/prompter.js'
import {type AuthHeader, DEFAULT_AUTH_HEADER, checkHeaderName, resolveAuthHeader} from './auth-secret.js'
import {checkCustomHeaders, checkName, checkUrl, parseHeaderFlag} from './hook-builder.js'
import type {EventHookHeader} from './types.js'

const DONE = '\u0000done'
const MAX_CHOICES = 50

export async function askName(): Promise<string> {
  return prompter.input('Name of the event hook', {validate: (value) => validation(() => checkName(value))})
}

export async function askUrl(): Promise<string> {
  return prompter.input('URL Okta delivers events to (https://...)', {
    validate: (value) => validation(() => checkUrl(value)),
  })
}

/** Event types, one search at a time, until the person picks "done". */
export async function askEvents(): Promise<string[]> {
  const chosen: string[] = []
  for (;;) {
    const picked = await prompter.search<string>(
      chosen.length === 0
        ? 'Event type to subscribe to (type to search)'
        : `Another event type (${chosen.length} chosen), or done`,
      (term) => eventChoices(term, chosen),
    )
    if (picked === DONE) return chosen
    if (!chosen.includes(picked)) chosen.push(picked)
  }
}

export function eventChoices(term: string | undefined, chosen: string[]): Choice<string>[] {
  const matches = searchEventTypes(term)
    .filter((type) => !chosen.includes(type.id))
    .slice(0, MAX_CHOICES)
    .map((type) => ({description: `${type.category}${type.beta ? ', beta' : ''}`, name: type.id, value: type.id}))
  return chosen.length > 0 ? [{name: `Done (${chosen.join(', ')})`, value: DONE}, ...matches] : matches
}

/** Whether to add an auth header, its name, and its hidden value. */
export async function askAuth(): Promise<AuthHeader | undefined> {
  const wanted = await prompter.confirm('Add an auth header that Okta sends with every delivery (recommended)?', true)
  if (!wanted) return undefined
  const header = await prompter.input('Auth header name', {
    default: DEFAULT_AUTH_HEADER,
    validate: (value) => validation(() => checkHeaderName(value.trim())),
  })
  return resolveAuthHeader({header: header.trim()}, {ask: (message) => prompter.password(message), required: true})
}

/** Custom headers, "Name: value", until an empty answer. */
export async function askHeaders(authKey?: string): Promise<EventHookHeader[]> {
  const headers: EventHookHeader[] = []
  for (;;) {
    const answer = (
      await prompter.input('Custom header "Name: value" (empty to finish)', {
        validate: (value) =>
          value.trim() ? validation(() => checkCustomHeaders([...headers, parseHeaderFlag(value)], authKey)) : true,
      })
    ).trim()
    if (!answer) return headers
    headers.push(parseHeaderFlag(answer))
  }
}

function validation(check: () => unknown): string | true {
  try {
    check()
    return true
  } catch (error) {
    if (error instanceof CliError) return error.message
    throw error
  }
}
