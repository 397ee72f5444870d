/**
 * The hooks file as a JSON Schema (draft-07, the draft editors support best), built from the same
 * tables the validator uses: its keys and descriptions (file-format.ts), the event-type catalog,
 * the reserved header names and Okta's limits. Shipped as schemas/hooks-file.schema.json (a test
 * keeps that file equal to this) and printed by `okta-hooks schema`. The validator stays the
 * judge: it also checks what a schema cannot (URLs and lengths after variables, the auth header
 * against the custom headers, filters naming the hook's own event types).
 */
import {eligibleEventTypes, loadCatalog} from '../catalog/event-types.js'
import {MAX_NAME_LENGTH} from '../hooks/hook-builder.js'
import {RESERVED_HEADER_NAMES, RESERVED_HEADER_PREFIX} from '../hooks/reserved-headers.js'
import {AUTH_KEYS, FILE_KEYS, HOOK_KEYS, SECRET_HEADER_KEYS, STATUSES} from './file-format.js'
import {OKTA_LIMITS} from '../hooks/limits.js'

type Schema = Record<string, unknown>

const ref = (name: string): Schema => ({$ref: `#/definitions/${name}`})

/** A name matched without regard to case, in a regex that has no case-insensitive flag. */
const anyCase = (text: string): string => text.replace(/[a-z]/g, (c) => `[${c}${c.toUpperCase()}]`)

/** RFC 9110 header names (as checkHeaderName), minus those Okta sets itself and X-Okta-*. */
const RESERVED_NAMES = RESERVED_HEADER_NAMES.map((name) => anyCase(name)).join('|')
const HEADER_NAME = `^(?!(?:${RESERVED_NAMES})$)(?!${anyCase(RESERVED_HEADER_PREFIX)})[!#$%&'*+.^_\`|~0-9A-Za-z-]+$`

/** https, plain http on loopback hosts, or a URL that starts with a variable. */
const URL_PATTERN =
  '^(https://|http://(localhost|127\\.[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}|\\[::1\\])(?=[:/]|$)|\\$\\{)\\S*$'

const SECRET_REF = '^(env:([A-Za-z0-9_]|\\$\\{[A-Za-z_][A-Za-z0-9_]*\\})+|file:.+)$'

const HOOK_SHAPES: Record<keyof typeof HOOK_KEYS, Schema> = {
  name: {maxLength: MAX_NAME_LENGTH, minLength: 1, type: 'string'},
  description: {type: ['string', 'null']},
  url: {maxLength: 1024, pattern: URL_PATTERN, type: 'string'},
  events: {
    items: ref('eventType'),
    maxItems: OKTA_LIMITS.eventTypesPerHook,
    minItems: 1,
    type: 'array',
    uniqueItems: true,
  },
  filters: {
    additionalProperties: {minLength: 1, pattern: '\\S', type: 'string'},
    propertyNames: ref('eventType'),
    type: 'object',
  },
  headers: {
    additionalProperties: {
      oneOf: [{minLength: 1, pattern: '^[^\\r\\n]*\\S[^\\r\\n]*$', type: 'string'}, ref('secretValue')],
    },
    propertyNames: ref('headerName'),
    type: 'object',
  },
  auth: ref('auth'),
  status: {enum: [...STATUSES]},
  verify: {type: 'boolean'},
}

const described = (shapes: Record<string, Schema>, descriptions: Record<string, string>): Record<string, Schema> =>
  Object.fromEntries(Object.entries(descriptions).map(([key, description]) => [key, {description, ...shapes[key]}]))

export function hooksFileSchema(): Schema {
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'okta-hooks hooks file',
    description:
      "An Okta org's event hooks, by name, for `okta-hooks plan` and `okta-hooks apply`. Strings may use ${NAME} " +
      '(from --var NAME=VALUE or the environment; $${ is a literal ${). ' +
      'Secrets are never values: valueFrom env:NAME or file:PATH.',
    type: 'object',
    additionalProperties: false,
    required: ['hooks'],
    properties: described({$schema: {type: 'string'}, hooks: {items: ref('hook'), type: 'array'}}, FILE_KEYS),
    definitions: {
      hook: {
        additionalProperties: false,
        properties: described(HOOK_SHAPES, HOOK_KEYS),
        required: ['name', 'url', 'events'],
        type: 'object',
      },
      auth: {
        additionalProperties: false,
        properties: described({header: ref('headerName'), valueFrom: ref('secretRef')}, AUTH_KEYS),
        required: ['valueFrom'],
        type: 'object',
      },
      secretValue: {
        additionalProperties: false,
        properties: described({valueFrom: ref('secretRef')}, SECRET_HEADER_KEYS),
        required: ['valueFrom'],
        type: 'object',
      },
      secretRef: {pattern: SECRET_REF, type: 'string'},
      headerName: {pattern: HEADER_NAME, type: 'string'},
      eventType: {
        description:
          `An event type Okta delivers to event hooks (catalog: ` +
          `${loadCatalog().source}; see \`okta-hooks event-types\`).`,
        enum: eligibleEventTypes()
          .map((type) => type.id)
          .sort(),
        type: 'string',
      },
    },
  }
}
