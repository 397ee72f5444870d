/**
 * The hooks file: one YAML (or JSON) document describing an org's event hooks by name. This module
 * holds its vocabulary (the keys, what each means, Okta's limits) and the typed form the rest of
 * hooks-as-code works with. The validator (validate.ts) and the JSON Schema (schema.ts) are both
 * built from these tables, so the two cannot disagree on which keys exist.
 */

/** Keys at the top of the file. */
export const FILE_KEYS = {
  $schema: "Where editors find this file's JSON Schema (`okta-hooks schema` prints it). Ignored by okta-hooks.",
  hooks: "The org's event hooks, each by its unique name.",
} as const

/** Keys of one hook. */
export const HOOK_KEYS = {
  name: 'Display name, 1-255 characters; how plan and apply match the file with the org (exactly, case-sensitive).',
  description: 'Description of the hook. Absent or null: none.',
  url: 'HTTPS endpoint Okta delivers events to (at most 1024 characters; plain http only for loopback hosts).',
  events: 'Event types the hook subscribes to (1-300, see `okta-hooks event-types`).',
  filters: 'Early Access: per event type, an Okta Expression Language condition; only matching events are delivered.',
  headers: 'Custom headers Okta sends with every delivery: a value, or {valueFrom: env:NAME | file:PATH} for a secret.',
  auth: 'The auth header: its name and where its secret comes from. Okta never returns the secret.',
  status: 'ACTIVE (the default) or INACTIVE.',
  verify:
    'Whether apply has Okta verify the endpoint (after create, after a ' +
    'channel change, or when UNVERIFIED). Default true.',
} as const

export const AUTH_KEYS = {
  header: 'Name of the auth header (default Authorization).',
  valueFrom:
    "Where the header's whole value comes from: env:NAME (an " +
    'environment variable) or file:PATH (relative to this file).',
} as const

export const SECRET_HEADER_KEYS = {
  valueFrom: AUTH_KEYS.valueFrom,
} as const

export const STATUSES = ['ACTIVE', 'INACTIVE'] as const
export type HookStatus = (typeof STATUSES)[number]

/** `${NAME}` in a string field; `$${` stands for a literal `${`. */
export const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/

/** Where a value is in the file (1-based line and column). */
export interface SourcePosition {
  column: number
  file: string
  line: number
}

/** A reference to a secret: the text as written (env:NAME, file:PATH) and what it points to. */
export interface SecretRef {
  at: SourcePosition
  /** env: the variable's name; file: the path, resolved against the hooks file's folder. */
  target: string
  kind: 'env' | 'file'
  /** As written in the file, after variables: "env:OKTA_HOOK_USER_SYNC_SECRET". */
  ref: string
  /** The secret, once resolved (never printed). */
  value?: string
}

export interface HeaderSpec {
  name: string
  /** The literal value (absent when the value comes from `valueFrom`). */
  value?: string
  valueFrom?: SecretRef
}

export interface AuthSpec {
  header: string
  valueFrom: SecretRef
}

export interface FilterSpec {
  event: string
  expression: string
}

/** One hook as the file wants it, validated and with its variables substituted. */
export interface HookSpec {
  at: SourcePosition
  auth?: AuthSpec
  description?: string
  events: string[]
  filters: FilterSpec[]
  headers: HeaderSpec[]
  name: string
  status: HookStatus
  url: string
  verify: boolean
}

export interface HooksFile {
  /** The path as given (or "-" for stdin). */
  file: string
  hooks: HookSpec[]
  /** Things the user should know that do not stop the command. */
  warnings: string[]
}

/** The file's own shape, as export writes it and the JSON Schema describes it. */
export interface HookDocument {
  auth?: {header?: string; valueFrom: string}
  description?: string
  events: string[]
  filters?: Record<string, string>
  headers?: Record<string, string | {valueFrom: string}>
  name: string
  status?: HookStatus
  url: string
  verify?: boolean
}

export interface HooksDocument {
  $schema?: string
  hooks: HookDocument[]
}

/** Every secret reference of a file, in file order. */
export function secretRefs(hooks: HookSpec[]): SecretRef[] {
  return hooks.flatMap((hook) => [
    ...(hook.auth ? [hook.auth.valueFrom] : []),
    ...hook.headers.flatMap((header) => (header.valueFrom ? [header.valueFrom] : [])),
  ])
}
