/**
 * The contract between okta-hooks and Okta's Management API: EventHook bodies checked against the
 * EventHook schema of the official OpenAPI spec (data/eventhooks-systemlog-openapi-subset.json).
 *
 * - `validateEventHook(value, 'response')`: what Okta returns (readOnly fields allowed, the
 *   write-only auth secret refused).
 * - `validateEventHook(value, 'request')`: what the CLI sends to create/replace (server-owned
 *   fields refused, the secret allowed).
 * - `sentBody()`: a nock body matcher that records every request body a test sends and refuses
 *   (so the test fails) one that breaks the contract. `contractReply(hook)` checks a fixture before
 *   nock replies with it. The contract test re-checks everything recorded during the run.
 */
import {readFileSync} from 'node:fs'
import {fileURLToPath} from 'node:url'

import {Ajv2019 as Ajv, type ValidateFunction} from 'ajv/dist/2019.js'
import addFormatsModule from 'ajv-formats'

export type ContractMode = 'request' | 'response'

export interface CapturedRequest {
  body: unknown
  errors: string[]
  method: string
  path: string
}

const SPEC_PATH = fileURLToPath(new URL('../../data/eventhooks-systemlog-openapi-subset.json', import.meta.url))

/** Schemas whose objects okta-hooks owns the shape of: no unknown properties in them. */
const CLOSED = new Set([
  'EventHook',
  'EventHookChannel',
  'EventHookChannelConfig',
  'EventHookChannelConfigAuthScheme',
  'EventHookChannelConfigHeader',
  'EventHookFilterMapObject',
  'EventHookFilterMapObjectCondition',
  'EventHookFilters',
  'EventSubscriptions',
])

/**
 * readOnly properties that Okta's own request examples send (CreateAnEventHookWithFilter sends
 * `filter.type`, and its docs send `condition.version: null`), so a request may carry them.
 */
const READ_ONLY_ALLOWED_IN_REQUESTS = new Set(['EventHookFilters.type', 'EventHookFilterMapObjectCondition.version'])

const validators = new Map<ContractMode, ValidateFunction>()

/** The list of problems (empty when the value keeps the contract). */
export function validateEventHook(value: unknown, mode: ContractMode): string[] {
  const validate = validatorFor(mode)
  if (validate(value)) return []
  return (validate.errors ?? []).map((e) =>
    e.keyword === 'false schema'
      ? `${e.instancePath} is not allowed in a ${mode} ` +
        `(${mode === 'request' ? 'server-owned, readOnly' : 'write-only'})`
      : `${e.instancePath || '(root)'} ${e.message}${e.params ? ` ${JSON.stringify(e.params)}` : ''}`,
  )
}

export function assertEventHookContract(value: unknown, mode: ContractMode, what = 'EventHook'): void {
  const errors = validateEventHook(value, mode)
  if (errors.length > 0)
    throw new Error(`${what} breaks the OpenAPI EventHook ${mode} contract:\n  ${errors.join('\n  ')}`)
}

const captured: CapturedRequest[] = []

/** Every request body recorded by `sentBody()` so far in this mocha run. */
export function capturedRequests(): readonly CapturedRequest[] {
  return captured
}

/**
 * A nock request-body matcher: records the body, checks it against the request contract, and
 * matches only when it keeps it and (if given) deep-equals `expected`. Use as
 * `nock(ORG).post('/api/v1/eventHooks', sentBody(expected))`.
 */
export function sentBody(expected?: unknown, method = 'POST', path = '/api/v1/eventHooks'): (body: any) => boolean {
  return (body: any) => {
    const errors = validateEventHook(body, 'request')
    captured.push({body, errors, method, path})
    if (errors.length > 0) {
      process.stderr.write(
        `contract: ${method} ${path} body breaks the EventHook request contract:\n  ${errors.join('\n  ')}\n`,
      )
      return false
    }

    return expected === undefined || isDeepStrictEqual(body, expected)
  }
}

/** A response fixture, checked against the response contract before nock replies with it. */
export function contractReply<T>(hook: T): T {
  const hooks = Array.isArray(hook) ? hook : [hook]
  for (const item of hooks) assertEventHookContract(item, 'response', 'response fixture')
  return hook
}

function isDeepStrictEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(sortKeys(a)) === JSON.stringify(sortKeys(b))
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((v) => sortKeys(v))
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
    )
  }

  return value
}

function validatorFor(mode: ContractMode): ValidateFunction {
  let validate = validators.get(mode)
  if (!validate) {
    const spec = JSON.parse(readFileSync(SPEC_PATH, 'utf8'))
    const schemas = transformSchemas(spec.components.schemas, mode)
    const ajv = new Ajv({allErrors: true, strict: false})
    const addFormats = ((addFormatsModule as any).default ?? addFormatsModule) as (ajv: Ajv) => void
    addFormats(ajv)
    ajv.addSchema({$id: 'okta', components: {schemas}})
    validate = ajv.compile({$ref: 'okta#/components/schemas/EventHook'})
    validators.set(mode, validate)
  }

  return validate
}

/**
 * OpenAPI 3.0 schemas → JSON Schema for one direction: `nullable` becomes a null type, readOnly
 * properties are refused in requests (bar the ones Okta's examples send), writeOnly ones in responses,
 * and the EventHook objects are closed to unknown properties.
 */
function transformSchemas(schemas: Record<string, any>, mode: ContractMode): Record<string, any> {
  const out: Record<string, any> = {}
  for (const [name, schema] of Object.entries(schemas))
    out[name] = transformNode(structuredClone(schema), name, mode, schemas)
  return out
}

function transformNode(node: any, name: string | undefined, mode: ContractMode, all: Record<string, any>): any {
  if (Array.isArray(node)) return node.map((n) => transformNode(n, undefined, mode, all))
  if (!node || typeof node !== 'object') return node
  for (const key of Object.keys(node)) {
    if (key === 'properties') continue
    node[key] = transformNode(node[key], undefined, mode, all)
  }

  if (node.properties) {
    for (const [prop, child] of Object.entries<any>(node.properties)) {
      const refs = [child, ...(child.allOf ?? [])].filter((c) => c.$ref).map((c) => all[c.$ref.split('/').pop()])
      const readOnly = Boolean(child.readOnly || refs.some((r) => r?.readOnly))
      const writeOnly = Boolean(child.writeOnly || refs.some((r) => r?.writeOnly))
      const forbidden =
        (mode === 'request' && readOnly && !READ_ONLY_ALLOWED_IN_REQUESTS.has(`${name}.${prop}`)) ||
        (mode === 'response' && writeOnly)
      node.properties[prop] = forbidden ? false : transformNode(child, undefined, mode, all)
    }

    if (name && CLOSED.has(name)) node.additionalProperties = false
  }

  if (node.nullable === true) {
    delete node.nullable
    return {anyOf: [{type: 'null'}, node]}
  }

  return node
}
