/**
 * The org's hooks as a hooks file: what plan and apply read back as "no changes". Okta never
 * returns auth secrets, and custom headers whose names look secret are not written either: both
 * become `valueFrom: env:NAME` references, NAME derived from the hook's name
 * (OKTA_HOOK_USER_SYNC_SECRET), listed so the user knows what to set. With variables, each value
 * found in a string is written as `${NAME}`, so the file can serve other orgs.
 */
import {Document, isSeq} from 'yaml'

import {usageError} from '../errors.js'
import {DEFAULT_AUTH_HEADER} from '../hooks/auth-secret.js'
import type {EventHook} from '../hooks/types.js'
import {isSecretHeaderName} from '../secrets/mask.js'
import type {HookDocument, HooksDocument} from './file-format.js'
import {templateFor} from './variables.js'
import type {FileFormat} from './validate.js'

export interface ExportedSecret {
  /** The environment variable the file refers to. */
  env: string
  header: string
  hook: string
  kind: 'auth' | 'header'
}

export interface Exported {
  document: HooksDocument
  secrets: ExportedSecret[]
}

/** The hooks, sorted by name (stable diffs in git). Names must be unique: plan and apply match by name. */
export function exportHooks(hooks: EventHook[], vars: [string, string][] = []): Exported {
  const sorted = [...hooks].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  checkUniqueNames(sorted)
  const secrets: ExportedSecret[] = []
  const taken = new Set<string>()
  const secretEnv = (hook: EventHook, header: string, kind: ExportedSecret['kind']): string => {
    const env = uniqueName(
      `OKTA_HOOK_${slug(hook.name) || 'UNNAMED'}_${kind === 'auth' ? 'SECRET' : slug(header)}`,
      taken,
    )
    secrets.push({env, header, hook: hook.name, kind})
    return `env:${env}`
  }

  const document: HooksDocument = {hooks: sorted.map((hook) => hookDocument(hook, vars, secretEnv))}
  return {document, secrets}
}

function hookDocument(
  hook: EventHook,
  vars: [string, string][],
  secretEnv: (hook: EventHook, header: string, kind: ExportedSecret['kind']) => string,
): HookDocument {
  const config = hook.channel?.config ?? {uri: ''}
  const template = (text: string) => templateFor(text, vars)
  const filters = hook.events?.filter?.eventFilterMap ?? []
  const headers = config.headers ?? []
  const auth = config.authScheme
  return {
    name: templateFor(hook.name, []),
    ...(hook.description ? {description: template(hook.description)} : {}),
    url: template(config.uri),
    events: [...(hook.events?.items ?? [])],
    ...(filters.length > 0
      ? {filters: Object.fromEntries(filters.map((f) => [f.event, template(f.condition?.expression ?? '')]))}
      : {}),
    ...(headers.length > 0
      ? {
          headers: Object.fromEntries(
            headers.map((h) => [
              h.key,
              isSecretHeaderName(h.key) ? {valueFrom: secretEnv(hook, h.key, 'header')} : template(h.value),
            ]),
          ),
        }
      : {}),
    ...(auth ? {auth: {header: auth.key || DEFAULT_AUTH_HEADER, valueFrom: secretEnv(hook, auth.key, 'auth')}} : {}),
    status: hook.status,
    verify: hook.verificationStatus === 'VERIFIED',
  }
}

/** The file's text: YAML (comment lines on top, a blank line between hooks) or JSON. */
export function serializeHooks(document: HooksDocument, format: FileFormat, comment: string[] = []): string {
  if (format === 'json') return JSON.stringify(document, null, 2) + '\n'
  const doc = new Document(document)
  if (comment.length > 0) doc.commentBefore = comment.map((line) => ` ${line}`).join('\n')
  const list = doc.get('hooks', true)
  if (isSeq(list)) for (const item of list.items.slice(1)) (item as {spaceBefore?: boolean}).spaceBefore = true
  return doc.toString({lineWidth: 0})
}

/** "User sync" → USER_SYNC. */
function slug(text: string): string {
  return text
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
}

function uniqueName(name: string, taken: Set<string>): string {
  let candidate = name
  for (let n = 2; taken.has(candidate); n++) candidate = `${name}_${n}`
  taken.add(candidate)
  return candidate
}

/** Names must be unique, even ignoring case, as the file requires. */
function checkUniqueNames(hooks: EventHook[]): void {
  for (const [index, hook] of hooks.entries()) {
    const twin = hooks.slice(index + 1).find((other) => other.name.toLowerCase() === hook.name.toLowerCase())
    if (twin) {
      const names =
        twin.name === hook.name
          ? `are both named "${hook.name}"`
          : `are named "${hook.name}" and "${twin.name}" (the same name but for case)`
      throw usageError(`Two hooks in the org ${names}: ${hook.id}, ${twin.id}; a hooks file names each hook once.`, [
        `Rename one first (\`okta-hooks update ${twin.id} --name ...\`), or export only one of them by id`,
      ])
    }
  }
}
