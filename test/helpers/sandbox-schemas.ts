/**
 * Validates sandbox responses against Okta's official OpenAPI schemas
 * (data/eventhooks-systemlog-openapi-subset.json) with ajv.
 *
 * One rule is relaxed, for LogEvents only: real System Log events, and Okta's own samples
 * (data/samples/ListLogs*.json), carry null where the spec declares an object or string
 * (actor.detailEntry, client.id, outcome.reason, ...), so a null property counts as absent.
 * EventHook and Error bodies are validated strictly.
 */
import {Ajv, type ValidateFunction} from 'ajv'
import addFormatsModule from 'ajv-formats'
import {readFileSync} from 'node:fs'
import {fileURLToPath} from 'node:url'

const spec = JSON.parse(
  readFileSync(fileURLToPath(new URL('../../data/eventhooks-systemlog-openapi-subset.json', import.meta.url)), 'utf8'),
)
const addFormats = ((addFormatsModule as any).default ?? addFormatsModule) as (ajv: Ajv) => Ajv
const ajv = new Ajv({allErrors: true, strict: false})
addFormats(ajv)
ajv.addSchema({components: spec.components}, 'okta')

export type SchemaName = 'Error' | 'EventHook' | 'EventHook[]' | 'LogEvent' | 'LogEvent[]'

const ref = (name: string) => ({$ref: `okta#/components/schemas/${name}`})
const validators: Record<SchemaName, ValidateFunction> = {
  Error: ajv.compile(ref('Error')),
  EventHook: ajv.compile(ref('EventHook')),
  'EventHook[]': ajv.compile({items: ref('EventHook'), type: 'array'}),
  LogEvent: ajv.compile(ref('LogEvent')),
  'LogEvent[]': ajv.compile({items: ref('LogEvent'), type: 'array'}),
}

/** Throws with ajv's errors when `data` does not match the official schema. */
export function assertSchema(name: SchemaName, data: unknown): void {
  const value = name.startsWith('LogEvent') ? withoutNulls(data) : data
  const validate = validators[name]
  if (!validate(value)) {
    throw new Error(
      `Response does not match the official ${name} schema: ` +
        `${ajv.errorsText(validate.errors)}\n${JSON.stringify(data).slice(0, 500)}`,
    )
  }
}

/** Validation without the null relaxation (for showing which documents need it). */
export function matchesStrictly(name: SchemaName, data: unknown): boolean {
  return Boolean(validators[name](data))
}

function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((item) => withoutNulls(item))
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== null)
        .map(([k, v]) => [k, withoutNulls(v)]),
    )
  }

  return value
}

/** The official samples shipped in data/samples. */
export function officialSample(name: string): any {
  return JSON.parse(readFileSync(fileURLToPath(new URL(`../../data/samples/${name}`, import.meta.url)), 'utf8'))
}
