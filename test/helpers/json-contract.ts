/**
 * The contract between okta-hooks and scripts: what every command prints under --json, checked
 * against the JSON Schemas shipped in schemas/ (one per command, `schemas/<topic>-<command>.json`,
 * plus `error.json` for the error document every failure carries).
 *
 * `checkJsonOutput(id, stdout, exitCode)` returns the problems with one run's output (empty when it
 * keeps the contract):
 * - stdout is one JSON document, or for a stream (a schema with `"x-ndjson": true`) one per line;
 * - each validates against the command's schema;
 * - an exit of 0 has no `error` anywhere; any other exit ends with a document whose `error.exitCode`
 *   is that exit code;
 * - for a command with a verdict (a schema with `$defs.verdict`, whose leaf carries `x-pass`, the
 *   passing value), a failing verdict never comes with exit 0.
 *
 * runCommand (in-process) and runCli (the built CLI) call it for every --json run, so every test of
 * the suite that runs a command with --json checks the schemas against real output.
 */
import {readdirSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {Ajv2019 as Ajv, type ValidateFunction} from 'ajv/dist/2019.js'
import addFormatsModule from 'ajv-formats'

export const SCHEMAS_DIR = fileURLToPath(new URL('../../schemas', import.meta.url))

/** A command id (`deliveries replay`, `deliveries:replay`) as its schema's file name: `deliveries-replay.json`. */
export function schemaFileFor(id: string): string {
  return `${id.split(/[ :]/).join('-')}.json`
}

let ajv: Ajv | undefined
const validators = new Map<string, ValidateFunction>()

function loadAjv(): Ajv {
  if (ajv) return ajv
  ajv = new Ajv({allErrors: true, strict: true, strictRequired: false, strictTypes: false})
  ajv.addKeyword({keyword: 'x-pass'})
  ajv.addKeyword({keyword: 'x-ndjson'})
  const addFormats = ((addFormatsModule as any).default ?? addFormatsModule) as (ajv: Ajv) => void
  addFormats(ajv)
  for (const file of outputSchemaFiles()) ajv.addSchema(readSchema(file))
  return ajv
}

/** The hooks file's own schema (an input format, draft-07) sits beside the --json output schemas. */
export const INPUT_SCHEMAS = new Set(['hooks-file.schema.json'])

export function outputSchemaFiles(): string[] {
  return readdirSync(SCHEMAS_DIR).filter((name) => name.endsWith('.json') && !INPUT_SCHEMAS.has(name))
}

export function readSchema(file: string): any {
  return JSON.parse(readFileSync(join(SCHEMAS_DIR, file), 'utf8'))
}

function validatorFor(file: string): ValidateFunction | undefined {
  let validate = validators.get(file)
  if (!validate) {
    const schema = readSchema(file)
    validate = loadAjv().getSchema(schema.$id)
    if (!validate) return undefined
    validators.set(file, validate)
  }

  return validate
}

/**
 * A verdict command's verdict: where in its document it is (the property whose schema is
 * `{"$ref": "#/$defs/verdict"}`) and its passing value (`x-pass` of `$defs.verdict`). Renaming the
 * field is one edit of the schema (the property's name); changing its type or passing value is one
 * edit of `$defs.verdict`.
 */
export function verdictOf(schema: any): {pass: unknown; path: string[]} | undefined {
  const verdict = schema.$defs?.verdict
  if (!verdict) return undefined
  const find = (node: any, path: string[]): string[] | undefined => {
    for (const [name, child] of Object.entries<any>(node?.properties ?? {})) {
      if (child?.$ref === '#/$defs/verdict') return [...path, name]
      const found = find(child, [...path, name])
      if (found) return found
    }

    return undefined
  }

  const path = find(schema.$defs.document, [])
  if (!path) throw new Error(`${schema.$id}: no property of $defs.document refers to #/$defs/verdict`)
  return {pass: verdict['x-pass'], path}
}

function valueAt(document: any, path: string[]): unknown {
  let value = document
  for (const key of path) value = value?.[key]
  return value
}

/** Every JSON value that was printed: one document, or (for streams) one per line. */
function documentsOf(stdout: string, ndjson: boolean): {documents: unknown[]; problem?: string} {
  try {
    return {documents: [JSON.parse(stdout)]}
  } catch (error) {
    if (!ndjson) return {documents: [], problem: `stdout is not one JSON document (${(error as Error).message})`}
  }

  const documents: unknown[] = []
  for (const [index, line] of stdout.split('\n').entries()) {
    if (!line.trim()) continue
    try {
      documents.push(JSON.parse(line))
    } catch (error) {
      return {documents, problem: `line ${index + 1} of the NDJSON stream is not JSON (${(error as Error).message})`}
    }
  }

  return {documents}
}

export interface ContractRun {
  exitCode: number
  id: string
  stdout: string
}

/** The problems with one --json run's output (empty when it keeps the contract). */
export function checkJsonOutput(run: ContractRun): string[] {
  const file = schemaFileFor(run.id)
  const schema = readSchema(file)
  const validate = validatorFor(file)
  if (!validate) return [`no schema ${file}`]
  const {documents, problem} = documentsOf(run.stdout, schema['x-ndjson'] === true)
  const problems = problem ? [problem] : []
  if (documents.length === 0) return [...problems, 'nothing on stdout']
  for (const [index, document] of documents.entries()) {
    if (!validate(document)) {
      const where = documents.length > 1 ? `line ${index + 1}: ` : ''
      for (const error of validate.errors ?? [])
        problems.push(`${where}${error.instancePath || '(root)'} ${error.message} ${JSON.stringify(error.params)}`)
    }
  }

  const last = documents.at(-1) as any
  const withError = documents.filter((document: any) => document && typeof document === 'object' && 'error' in document)
  if (run.exitCode === 0 && withError.length > 0) problems.push('exit 0, yet a document has `error`')
  if (run.exitCode !== 0 && last?.error?.exitCode !== run.exitCode) {
    problems.push(
      `exit ${run.exitCode}, but the last document's error.exitCode is ${JSON.stringify(last?.error?.exitCode)}`,
    )
  }

  const verdict = verdictOf(schema)
  if (verdict && run.exitCode === 0) {
    for (const document of documents) {
      const value = valueAt(document, verdict.path)
      if (value !== undefined && value !== verdict.pass)
        problems.push(`exit 0 with a failing verdict: ${verdict.path.join('.')} is ${JSON.stringify(value)}`)
    }
  }

  return problems
}

/** Throws (failing the test) when a --json run breaks the contract. */
export function assertJsonContract(run: ContractRun, argv: string[]): void {
  const problems = checkJsonOutput(run)
  if (problems.length > 0) {
    throw new Error(
      `okta-hooks ${run.id} ${argv.join(' ')} (exit ${run.exitCode}) breaks its --json contract ` +
        `(schemas/${schemaFileFor(run.id)}):\n  ${problems.join('\n  ')}\n--- stdout\n${run.stdout.slice(0, 3000)}`,
    )
  }
}

const COMMANDS_DIR = fileURLToPath(new URL('../../src/commands', import.meta.url))

/** Commands without --json (and so without a schema): help prints help text. */
const WITHOUT_JSON = new Set(['help'])

/** Every command id with a --json output (`deliveries replay`), from the files under src/commands. */
export function commandIds(dir = COMMANDS_DIR, prefix: string[] = []): string[] {
  return readdirSync(dir, {withFileTypes: true}).flatMap((entry) => {
    if (entry.isDirectory()) return commandIds(join(dir, entry.name), [...prefix, entry.name])
    const id = [...prefix, entry.name.replace(/\.ts$/, '')].join(' ')
    return entry.name.endsWith('.ts') && !WITHOUT_JSON.has(id) ? [id] : []
  })
}

/** The class name a command's file exports by convention: `deliveries replay` → DeliveriesReplay. */
export function className(id: string): string {
  return id
    .split(/[ -]/)
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('')
}

let idsByClassName: Map<string, string> | undefined

/** The id of a command class of src/commands (undefined for a test's own command). */
export function commandIdOf(CommandClass: {name?: string}): string | undefined {
  idsByClassName ??= new Map(commandIds().map((id) => [className(id), id]))
  return CommandClass.name ? idsByClassName.get(CommandClass.name) : undefined
}

/** The command an argv runs (`['deliveries', 'replay', 'last']` → `deliveries replay`), if any. */
export function commandIdOfArgs(args: string[]): string | undefined {
  const ids = new Set(commandIds())
  for (let words = Math.min(args.length, 2); words > 0; words--) {
    const id = args.slice(0, words).join(' ')
    if (ids.has(id)) return id
  }

  return undefined
}

/** The problems with one document against one schema file (for documents that are not a command's: version.json). */
export function schemaProblems(file: string, document: unknown): string[] {
  const validate = validatorFor(file)
  if (!validate) return [`no schema ${file}`]
  if (validate(document)) return []
  return (validate.errors ?? []).map(
    (error) => `${error.instancePath || '(root)'} ${error.message} ${JSON.stringify(error.params)}`,
  )
}
