/**
 * Reads a hooks file (YAML, or JSON by extension) into HookSpecs, checking everything that can be
 * checked without Okta: unknown keys, types, event types against the catalog, URLs, names, headers
 * (reserved, duplicate, the auth header), filters, secret references and variables. The rules are
 * those `create` applies to its flags (hook-builder, catalog); every problem is reported with its
 * file, line and column, all at once, as one usage error (exit 2). Knows nothing of oclif.
 */
import {dirname, resolve as resolvePath} from 'node:path'

import {editDistance, loadCatalog, parseEventTypes} from '../catalog/event-types.js'
import {identityEngineWarnings} from '../catalog/identity-engine.js'
import {CliError} from '../errors.js'
import {checkHeaderName, DEFAULT_AUTH_HEADER} from '../hooks/auth-secret.js'
import {checkName, checkUrl, reservedHeaderReason} from '../hooks/hook-builder.js'
import {isSecretHeaderName} from '../secrets/mask.js'
import {
  AUTH_KEYS,
  type AuthSpec,
  FILE_KEYS,
  type FilterSpec,
  HOOK_KEYS,
  type HeaderSpec,
  type HooksFile,
  type HookSpec,
  type HookStatus,
  SECRET_HEADER_KEYS,
  type SecretRef,
  type SourcePosition,
  STATUSES,
  VARIABLE_NAME,
} from './file-format.js'
import {type FileProblem, invalidFileError} from './problems.js'
import {readPlainYaml} from './plain-yaml.js'
import {isMapNode, isScalarNode, isSeqNode, type ParsedTree, resolved, type ScalarNode, type TreeNode} from './tree.js'
import {filterRefusal} from './validate-filter.js'
import {readYaml} from './yaml-reader.js'
import {substitute, type VariableLookup} from './variables.js'
import {OKTA_LIMITS} from '../hooks/limits.js'

export type FileFormat = 'json' | 'yaml'

export interface ReadOptions {
  allowUnknownEvents?: boolean
  /** The folder `file:` references are relative to (the hooks file's own). */
  baseDir: string
  /** The name used in messages: the path as the user gave it. */
  file: string
  format: FileFormat
  lookup: VariableLookup
}

/** The format a path implies: .json is JSON, everything else (.yaml, .yml, stdin) YAML. */
export function formatOf(path: string): FileFormat {
  return /\.json$/i.test(path) ? 'json' : 'yaml'
}

/** The folder of a hooks file, against which its `file:` references resolve. */
export function baseDirOf(path: string, cwd = process.cwd()): string {
  return path === '-' ? cwd : dirname(resolvePath(cwd, path))
}

/**
 * The whole file, validated; throws the usage error listing every problem. Plain block YAML is read
 * by plain-yaml.ts; anything else (JSON too) by the `yaml` library (which the bundle loads only then).
 */
export function readHooksFile(text: string, options: ReadOptions): HooksFile {
  const syntax = options.format === 'json' ? jsonSyntaxProblem(text, options.file) : undefined
  if (syntax) throw invalidFileError(options.file, [syntax])
  const tree = readPlainYaml(text) ?? readYaml(text)
  const walker = new FileWalker(tree, options, text)
  for (const problem of tree.problems) walker.reportAt(problem.offset, '', problem.message)
  if (tree.problems.length > 0) throw invalidFileError(options.file, walker.problems)
  const hooks = walker.file()
  const inOrder = [...walker.problems].sort((a, b) => a.line - b.line || a.column - b.column)
  if (inOrder.length > 0) throw invalidFileError(options.file, inOrder)
  return {file: options.file, hooks, warnings: walker.warnings}
}

/** JSON.parse's verdict, placed on a line: YAML would accept what JSON does not (comments, trailing commas). */
function jsonSyntaxProblem(text: string, file: string): FileProblem | undefined {
  try {
    JSON.parse(text)
    return undefined
  } catch (error) {
    const message = (error as Error).message
    const at = /position (\d+)/.exec(message)
    const before = text.slice(0, at ? Number(at[1]) : text.length).split('\n')
    return {
      column: before.at(-1)!.length + 1,
      file,
      line: before.length,
      message: `not valid JSON: ${message.replace(/ in JSON at position \d+.*$/, '')}`,
      path: '',
    }
  }
}

type Entry = {key: ScalarNode; value: null | TreeNode}

class FileWalker {
  readonly problems: FileProblem[] = []
  readonly warnings: string[] = []

  constructor(
    private readonly tree: ParsedTree,
    private readonly options: ReadOptions,
    private readonly source: string,
  ) {}

  file(): HookSpec[] {
    const root = this.tree.root
    if (!root || (isScalarNode(root) && root.value === null)) {
      this.report(undefined, '', 'the file is empty; it needs a list of hooks under "hooks:"')
      return []
    }

    const entries = this.entries(root, '', FILE_KEYS, 'The file')
    if (!entries) return []
    const schema = entries.get('$schema')
    if (schema) this.text(schema, '$schema', {variables: false})
    const list = this.required(entries, 'hooks', root, '')
    if (!list) return []
    const items = resolved(list.value)
    if (!isSeqNode(items)) {
      this.report(items ?? list.key, 'hooks', 'must be a list of hooks (each starting with "- name: ...")')
      return []
    }

    const hooks = items.items.flatMap((item, index) => this.hook(item, `hooks[${index}]`) ?? [])
    this.checkUniqueNames(hooks)
    this.warnPlainHttp(hooks)
    return hooks
  }

  private hook(node: null | TreeNode, path: string): HookSpec | undefined {
    const before = this.problems.length
    const entries = this.entries(node, path, HOOK_KEYS, 'A hook')
    if (!entries || !node) return undefined
    const name = this.field(entries, 'name', node, path, (entry, at) =>
      this.checked(entry, at, (text) => checkName(text, 'the name')),
    )
    const url = this.field(entries, 'url', node, path, (entry, at) =>
      this.checked(entry, at, (text) => checkUrl(text, 'the URL').uri),
    )
    const events = this.field(entries, 'events', node, path, (entry, at) => this.events(entry, at))
    const auth = this.optional(entries, 'auth', path, (entry, at) => this.auth(entry, at))
    const hook: HookSpec = {
      at: this.position(node),
      ...(auth ? {auth} : {}),
      ...this.description(entries.get('description'), `${path}.description`),
      events: events ?? [],
      filters: this.optional(entries, 'filters', path, (entry, at) => this.filters(entry, at, events ?? [])) ?? [],
      headers: this.optional(entries, 'headers', path, (entry, at) => this.headers(entry, at, auth?.header)) ?? [],
      name: name ?? '',
      status: this.optional(entries, 'status', path, (entry, at) => this.status(entry, at)) ?? 'ACTIVE',
      url: url ?? '',
      verify: this.optional(entries, 'verify', path, (entry, at) => this.boolean(entry, at)) ?? true,
    }
    return this.problems.length === before ? hook : undefined
  }

  private description(entry: Entry | undefined, path: string): {description?: string} {
    if (!entry || this.isNull(entry.value)) return {}
    const text = this.text(entry, path)
    return text === undefined || text.trim() === '' ? {} : {description: text}
  }

  private events(entry: Entry, path: string): string[] | undefined {
    const list = resolved(entry.value)
    if (!isSeqNode(list) || list.items.length === 0) {
      this.report(list ?? entry.key, path, 'must be a list of at least one event type (see `okta-hooks event-types`)')
      return undefined
    }

    if (list.items.length > OKTA_LIMITS.eventTypesPerHook) {
      this.report(
        list,
        path,
        `${list.items.length} event types; Okta allows at most ${OKTA_LIMITS.eventTypesPerHook} per hook`,
      )
      return undefined
    }

    const seen = new Map<string, number>()
    const out: string[] = []
    for (const [index, item] of list.items.entries()) {
      const itemPath = `${path}[${index}]`
      const id = this.text({key: entry.key, value: item}, itemPath, {variables: false})
      if (id === undefined) continue
      if (seen.has(id)) {
        this.report(item, itemPath, `${id} is listed twice (also ${path}[${seen.get(id)}])`)
        continue
      }

      seen.set(id, index)
      if (/[,\s]/.test(id)) this.report(item, itemPath, `"${id}": one event type per list item`)
      else if (
        this.attempt(item, itemPath, () =>
          parseEventTypes([id], {allowUnknown: this.options.allowUnknownEvents, flag: 'the event type'}),
        )
      ) {
        out.push(id)
        this.warnings.push(...identityEngineWarnings([id], `${this.where(item)} ${itemPath}: `))
      }
    }

    return out
  }

  private filters(entry: Entry, path: string, events: string[]): FilterSpec[] | undefined {
    const pairs = this.pairs(entry, path, 'event type: expression')
    if (!pairs) return undefined
    const out: FilterSpec[] = []
    for (const {key, value} of pairs) {
      const event = String(key.value)
      const at = `${path}.${event}`
      if (!events.includes(event)) {
        const known = loadCatalog().byId.has(event) ? '' : ' (and is not in the event-type catalog)'
        this.report(
          key,
          at,
          `a filter must name one of the hook's event types${known}; this hook has ${events.join(', ') || 'none'}`,
        )
        continue
      }

      const expression = this.text({key, value}, at)
      if (expression === undefined) continue
      const refusal = filterRefusal(expression)
      if (refusal?.okta === 'refuses') {
        this.problems.push({
          ...this.expressionPosition(value, expression, refusal.offset),
          message: refusal.message,
          path: at,
        })
        continue
      }

      if (refusal) {
        const {column, file, line} = this.expressionPosition(value, expression, refusal.offset)
        this.warnings.push(
          `${file}:${line}:${column}: ${at}: okta-hooks cannot check this filter (${refusal.message}); Okta's ` +
            'Expression Language may accept it, so it is kept. The sandbox, replay and `filter test` cannot evaluate it.',
        )
      }

      out.push({event, expression: expression.trim()})
    }

    return out
  }

  private headers(entry: Entry, path: string, authHeader: string | undefined): HeaderSpec[] | undefined {
    const pairs = this.pairs(entry, path, 'header name: value')
    if (!pairs) return undefined
    const seen = new Map<string, string>()
    const out: HeaderSpec[] = []
    for (const {key, value} of pairs) {
      const name = String(key.value)
      const at = `${path}.${name}`
      const lower = name.toLowerCase()
      const refusal =
        authHeader && lower === authHeader.toLowerCase()
          ? `${name} is the auth header (auth.header); its value comes from auth.valueFrom`
          : reservedHeaderReason(name)
      if (!this.attempt(key, at, () => checkHeaderName(name, 'the header name'))) continue
      if (refusal) {
        this.report(key, at, `refused: ${refusal}`)
        continue
      }

      if (seen.has(lower)) {
        this.report(
          key,
          at,
          `given twice: ${seen.get(lower)} and ${name} are the same header (names are case-insensitive)`,
        )
        continue
      }

      seen.set(lower, name)
      const header = this.headerValue({key, value}, at, name)
      if (header) out.push(header)
    }

    return out
  }

  private headerValue(entry: Entry, path: string, name: string): HeaderSpec | undefined {
    const node = resolved(entry.value)
    if (isMapNode(node)) {
      const fields = this.entries(node, path, SECRET_HEADER_KEYS, 'A secret header value')
      const valueFrom = fields && this.required(fields, 'valueFrom', node, path)
      const ref = valueFrom && this.secretRef(valueFrom, `${path}.valueFrom`)
      return ref ? {name, valueFrom: ref} : undefined
    }

    const value = this.text(entry, path)
    if (value === undefined) return undefined
    if (value.trim() === '') return this.skip(node ?? entry.key, path, 'the value is empty')
    if (/[\r\n\0]/.test(value)) return this.skip(node ?? entry.key, path, 'the value must be one line')
    if (isSecretHeaderName(name) && !String((node as ScalarNode).value).includes('${')) {
      this.warnings.push(
        `${this.where(node)} ${path} looks like a secret written in the file; use ` +
          `{valueFrom: env:NAME} so it stays out of files and git.`,
      )
    }

    return {name, value: value.trim()}
  }

  private auth(entry: Entry, path: string): AuthSpec | undefined {
    const fields = this.entries(entry.value ?? entry.key, path, AUTH_KEYS, 'auth')
    if (!fields) return undefined
    const headerEntry = fields.get('header')
    const header = headerEntry ? this.text(headerEntry, `${path}.header`) : DEFAULT_AUTH_HEADER
    const valueFrom = this.required(fields, 'valueFrom', entry.value ?? entry.key, path)
    const ref = valueFrom && this.secretRef(valueFrom, `${path}.valueFrom`)
    if (header === undefined || !ref) return undefined
    const at = headerEntry?.value ?? entry.key
    if (!this.attempt(at, `${path}.header`, () => checkHeaderName(header, 'the header name'))) return undefined
    const reserved = reservedHeaderReason(header)
    if (reserved) return this.skip(at, `${path}.header`, `refused: ${reserved}`)
    return {header, valueFrom: ref}
  }

  private secretRef(entry: Entry, path: string): SecretRef | undefined {
    const ref = this.text(entry, path)
    if (ref === undefined) return undefined
    const at = this.position(entry.value ?? entry.key)
    const node = entry.value ?? entry.key
    const match = /^(env|file):(.*)$/.exec(ref.trim())
    if (!match)
      return this.skip(
        node,
        path,
        `"${ref}" must be env:NAME (an environment variable) or file:PATH (a file holding the secret)`,
      )
    const [, kind, target] = match
    if (kind === 'env' && !VARIABLE_NAME.test(target)) {
      return this.skip(
        node,
        path,
        `"${target}" is not an environment variable name (letters, digits and _, not starting with a digit)`,
      )
    }

    if (kind === 'file' && target.trim() === '') return this.skip(node, path, 'file: needs a path')
    return {
      at,
      kind: kind as SecretRef['kind'],
      ref: ref.trim(),
      target: kind === 'file' ? resolvePath(this.options.baseDir, target.trim()) : target,
    }
  }

  private status(entry: Entry, path: string): HookStatus | undefined {
    const status = this.text(entry, path, {variables: false})
    if (status === undefined) return undefined
    if ((STATUSES as readonly string[]).includes(status)) return status as HookStatus
    return this.skip(entry.value ?? entry.key, path, `"${status}" must be ${STATUSES.join(' or ')}`)
  }

  private boolean(entry: Entry, path: string): boolean | undefined {
    const node = resolved(entry.value)
    if (isScalarNode(node) && typeof node.value === 'boolean') return node.value
    return this.skip(node ?? entry.key, path, 'must be true or false')
  }

  private checkUniqueNames(hooks: HookSpec[]): void {
    const seen = new Map<string, HookSpec>()
    for (const hook of hooks) {
      const first = seen.get(hook.name.toLowerCase())
      if (first) {
        const same =
          first.name === hook.name
            ? `"${hook.name}" is`
            : `"${first.name}" and "${hook.name}" differ only in case and are`
        this.problems.push({
          ...hook.at,
          message:
            `${same} already the name of the hook at line ${first.at.line}; names ` +
            `must be unique (plan and apply match hooks by name)`,
          path: 'name',
        })
      } else seen.set(hook.name.toLowerCase(), hook)
    }
  }

  private warnPlainHttp(hooks: HookSpec[]): void {
    const plain = hooks.filter((hook) => hook.url.startsWith('http:'))
    if (plain.length === 0) return
    this.warnings.push(
      `${plain.map((hook) => `"${hook.name}"`).join(', ')} ${plain.length === 1 ? 'uses' : 'use'} plain http on a ` +
        `loopback host: fine for a local stand-in, but a real Okta org refuses anything but https.`,
    )
  }

  // -- generic readers ------------------------------------------------------------------------

  /** A mapping with only the allowed keys; unknown keys are reported (with the closest known one). */
  private entries(
    node: null | TreeNode | undefined,
    path: string,
    keys: Record<string, string>,
    what: string,
  ): Map<string, Entry> | undefined {
    const map = resolved(node)
    const allowed = Object.keys(keys)
    if (!isMapNode(map)) {
      this.report(map, path, `${what} must be a mapping with the keys ${allowed.join(', ')}`)
      return undefined
    }

    const out = new Map<string, Entry>()
    for (const pair of map.pairs) {
      const key = pair.key
      if (!isScalarNode(key) || typeof key.value !== 'string') {
        this.report(key, path, 'keys must be plain strings')
        continue
      }

      if (allowed.includes(key.value)) out.set(key.value, {key, value: pair.value})
      else
        this.report(
          key,
          path ? `${path}.${key.value}` : key.value,
          `unknown key "${key.value}"${closest(key.value, allowed)}; allowed here: ${allowed.join(', ')}`,
        )
    }

    return out
  }

  /** A mapping with keys of one's own choosing (headers, filters). */
  private pairs(entry: Entry, path: string, form: string): Entry[] | undefined {
    const map = resolved(entry.value)
    if (!isMapNode(map)) {
      this.report(map ?? entry.key, path, `must be a mapping of "${form}"`)
      return undefined
    }

    const out: Entry[] = []
    for (const pair of map.pairs) {
      const key = pair.key
      if (isScalarNode(key) && typeof key.value === 'string') out.push({key, value: pair.value})
      else this.report(key, path, 'keys must be plain strings')
    }

    return out
  }

  private required(entries: Map<string, Entry>, key: string, parent: TreeNode, path: string): Entry | undefined {
    const entry = entries.get(key)
    if (!entry) this.report(parent, path, `the key "${key}" is required`)
    return entry
  }

  private field<T>(
    entries: Map<string, Entry>,
    key: string,
    parent: TreeNode,
    path: string,
    read: (entry: Entry, at: string) => T | undefined,
  ): T | undefined {
    const entry = this.required(entries, key, parent, path)
    return entry ? read(entry, `${path}.${key}`) : undefined
  }

  private optional<T>(
    entries: Map<string, Entry>,
    key: string,
    path: string,
    read: (entry: Entry, at: string) => T | undefined,
  ): T | undefined {
    const entry = entries.get(key)
    return entry && !this.isNull(entry.value) ? read(entry, `${path}.${key}`) : undefined
  }

  /** A string scalar, its `${NAME}` variables substituted (unless `variables: false`). */
  private text(entry: Entry, path: string, options: {variables?: boolean} = {}): string | undefined {
    const node = resolved(entry.value)
    if (!isScalarNode(node) || typeof node.value !== 'string') {
      const hint =
        isScalarNode(node) && node.value !== null ? ` (got ${JSON.stringify(node.value)}: put it in quotes)` : ''
      return this.skip(node ?? entry.key, path, `must be a string${hint}`)
    }

    if (options.variables === false) return node.value
    const result = substitute(node.value, this.options.lookup)
    if ('value' in result) return result.value
    if ('problem' in result) return this.skip(node, path, result.problem)
    for (const name of result.missing) {
      this.report(
        node,
        path,
        `the variable ${name} is not set: pass --var ${name}=VALUE (or --var-file), or set it in the environment`,
      )
    }

    return undefined
  }

  /** A text field checked by one of create's rules (a CliError from it becomes a problem here). */
  private checked(entry: Entry, path: string, check: (text: string) => string): string | undefined {
    const text = this.text(entry, path)
    return text === undefined ? undefined : this.attempt(entry.value ?? entry.key, path, () => check(text))
  }

  /** Runs one of create's checks; its usage error becomes a problem at `node` (and undefined). */
  private attempt<T>(node: null | TreeNode | undefined, path: string, check: () => T): T | undefined {
    try {
      return check()
    } catch (error) {
      if (!(error instanceof CliError)) throw error
      const hint = error.suggestions[0] ? ` ${error.suggestions[0]}` : ''
      return this.skip(node, path, `${error.message}${hint}`)
    }
  }

  private isNull(node: null | TreeNode | undefined): boolean {
    const target = resolved(node)
    return !target || (isScalarNode(target) && target.value === null)
  }

  private skip(node: null | TreeNode | undefined, path: string, message: string): undefined {
    this.report(node, path, message)
    return undefined
  }

  private report(node: null | TreeNode | undefined, path: string, message: string): void {
    this.problems.push({...this.position(node), message, path})
  }

  reportAt(offset: number, path: string, message: string): void {
    const {col, line} = this.tree.linePos(offset)
    this.problems.push({column: col, file: this.options.file, line, message, path})
  }

  private position(node: null | TreeNode | undefined): SourcePosition {
    const {col, line} = this.tree.linePos(node?.start ?? 0)
    return {column: col, file: this.options.file, line}
  }

  /**
   * Where `offset` of an expression is in the file: exact when the scalar's text holds the
   * expression as written up to there (plain or quoted with no escapes or variables before it, or
   * a literal block `|`), otherwise the scalar's start.
   */
  private expressionPosition(node: null | TreeNode, expression: string, offset: number): SourcePosition {
    const scalar = resolved(node)
    const start = scalar?.start
    if (start === undefined) return this.position(scalar)
    const at =
      isScalarNode(scalar) && scalar.literalBlock
        ? blockLiteralOffset(this.source, start, expression, offset)
        : inlineOffset(this.source, start, expression, offset)
    if (at === undefined) return this.position(scalar)
    const {col, line} = this.tree.linePos(at)
    return {column: col, file: this.options.file, line}
  }

  private where(node: null | TreeNode | undefined): string {
    const {column, file, line} = this.position(node)
    return `${file}:${line}:${column}:`
  }
}

/** ' (did you mean "url"?)' for a near miss among the allowed keys. */
function closest(key: string, allowed: string[]): string {
  const lower = key.toLowerCase()
  const near = allowed.find((candidate) => {
    const other = candidate.toLowerCase()
    return (
      editDistance(other, lower) <= 2 || (lower.length >= 3 && (other.startsWith(lower) || lower.startsWith(other)))
    )
  })
  return near ? ` (did you mean "${near}"?)` : ''
}

/** The file offset of `offset` in a plain or quoted scalar starting at `start`, if its text is the expression's. */
function inlineOffset(source: string, start: number, expression: string, offset: number): number | undefined {
  const from = start + (source[start] === "'" || source[start] === '"' ? 1 : 0)
  return source.slice(from, from + offset) === expression.slice(0, offset) ? from + offset : undefined
}

/**
 * The file offset of `offset` in a literal block scalar (`|`, `|-`) whose indicator is at `start`:
 * the content starts on the next line, each line indented as the first; undefined when the file's
 * lines are not the expression's (a variable, an indentation indicator).
 */
function blockLiteralOffset(source: string, start: number, expression: string, offset: number): number | undefined {
  const contentStart = source.indexOf('\n', start) + 1
  if (contentStart === 0) return undefined
  const indent = /^ */.exec(source.slice(contentStart))?.[0].length ?? 0
  const lines = expression.slice(0, offset).split('\n')
  let at = contentStart
  for (const [index, line] of lines.entries()) {
    const last = index === lines.length - 1
    const written = source.slice(at + indent, at + indent + line.length)
    if (written !== line || (!last && source[at + indent + line.length] !== '\n')) return undefined
    if (last) return at + indent + line.length
    at += indent + line.length + 1
  }

  return undefined
}
