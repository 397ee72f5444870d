/**
 * Where okta-hooks finds the org URL and credentials: the only reader of okta.yaml and of the
 * OKTA_CLIENT_* variables (the Okta SDK gets everything as constructor arguments and reads neither).
 * One precedence rule, the Okta SDKs' own (last wins): ~/.okta/okta.yaml, ./okta.yaml,
 * OKTA_CLIENT_* environment variables, then flags and stdin. Knows nothing of oclif or of the SDK.
 */
import {existsSync, readFileSync} from 'node:fs'
import {homedir} from 'node:os'
import {join, resolve} from 'node:path'

import {CliError, usageError} from '../errors.js'
import {ExitCode} from '../exit-codes.js'
import {displayUrl, isLoopbackHost, refuseCredentials, tryParseUrl} from '../net/urls.js'

export const DEFAULT_SCOPES = ['okta.eventHooks.read', 'okta.eventHooks.manage', 'okta.logs.read']

/** The time allowed for each call to Okta unless --timeout says otherwise. */
export const OKTA_CALL_TIMEOUT_MS = 30_000

export type AuthorizationMode = 'PrivateKey' | 'SSWS'

export interface ConnectionSettings {
  authorizationMode: AuthorizationMode
  clientId?: string
  keyId?: string
  orgUrl: string
  privateKey?: string
  requestTimeoutMs: number
  scopes: string[]
  token?: string
  /** okta.client.userAgent: put before okta-hooks' own User-Agent, as the Okta SDK does. */
  userAgent?: string
  /** Where each setting came from (flag, env var, file path): for messages, never secrets. */
  sources: Record<string, string>
}

export interface ConnectionInputs {
  authMode?: string
  clientId?: string
  cwd?: string
  env?: NodeJS.ProcessEnv
  home?: string
  keyId?: string
  orgUrl?: string
  privateKeyFile?: string
  requestTimeoutMs?: number
  scopes?: string
  /** A token read from stdin (--token-stdin): never from argv. */
  token?: string
}

/**
 * Every okta.client key the Okta Node SDK honours (its config-loader.js and client.js), with the
 * environment variable the SDK reads for it.
 */
const ENV_NAMES = {
  authorizationMode: 'OKTA_CLIENT_AUTHORIZATIONMODE',
  clientId: 'OKTA_CLIENT_CLIENTID',
  keyId: 'OKTA_CLIENT_KEYID',
  orgUrl: 'OKTA_CLIENT_ORGURL',
  privateKey: 'OKTA_CLIENT_PRIVATEKEY',
  scopes: 'OKTA_CLIENT_SCOPES',
  token: 'OKTA_CLIENT_TOKEN',
  userAgent: 'OKTA_CLIENT_USERAGENT',
} as const

type SettingKey = keyof typeof ENV_NAMES
type RawSettings = Partial<Record<SettingKey, string>>

const SETTING_KEYS = Object.keys(ENV_NAMES) as SettingKey[]

export async function resolveConnection(inputs: ConnectionInputs): Promise<ConnectionSettings> {
  const env = inputs.env ?? process.env
  const cwd = inputs.cwd ?? process.cwd()
  const home = inputs.home ?? homedir()
  const merged: RawSettings = {}
  const sources: Record<string, string> = {}
  const apply = (layer: RawSettings, source: string): void => {
    for (const key of SETTING_KEYS) {
      const value = layer[key]
      if (value !== undefined && value !== '') {
        merged[key] = value
        sources[key] = source
      }
    }
  }

  for (const file of [join(home, '.okta', 'okta.yaml'), resolve(cwd, 'okta.yaml')]) {
    if (existsSync(file)) apply(await readOktaYaml(file), file)
  }

  for (const key of SETTING_KEYS) apply({[key]: env[ENV_NAMES[key]]}, ENV_NAMES[key])

  apply(
    {
      authorizationMode: inputs.authMode,
      clientId: inputs.clientId,
      keyId: inputs.keyId,
      orgUrl: inputs.orgUrl,
      privateKey: inputs.privateKeyFile ? readPrivateKeyFile(inputs.privateKeyFile) : undefined,
      scopes: inputs.scopes,
    },
    'flag',
  )
  if (inputs.privateKeyFile) sources.privateKey = '--private-key-file'
  if (inputs.orgUrl) sources.orgUrl = '--org-url'
  if (inputs.token) {
    merged.token = inputs.token
    sources.token = '--token-stdin'
  }

  const orgUrl = checkOrgUrl(merged.orgUrl)
  const mode = pickAuthorizationMode(merged)
  const scopes = merged.scopes ? merged.scopes.split(/[\s,]+/).filter(Boolean) : DEFAULT_SCOPES

  if (mode === 'SSWS' && !merged.token) {
    throw new CliError('No Okta API token found.', {
      code: 'CREDENTIALS_MISSING',
      exitCode: ExitCode.Auth,
      suggestions: [
        'Set OKTA_CLIENT_TOKEN, pipe the token into --token-stdin, or put ' +
          'okta.client.token in ./okta.yaml or ~/.okta/okta.yaml',
        'Or use an OAuth service app: OKTA_CLIENT_AUTHORIZATIONMODE=PrivateKey with ' +
          'OKTA_CLIENT_CLIENTID and OKTA_CLIENT_PRIVATEKEY (or --client-id and --private-key-file)',
        'Create a token in the Admin Console: Security > API > Tokens (see the README quick start)',
      ],
    })
  }

  if (mode === 'PrivateKey') {
    const missing: string[] = []
    if (!merged.clientId) missing.push('the client id (--client-id or OKTA_CLIENT_CLIENTID)')
    if (!merged.privateKey) missing.push('the private key (--private-key-file or OKTA_CLIENT_PRIVATEKEY, PEM or JWK)')
    if (missing.length > 0) {
      throw new CliError(`OAuth (PrivateKey) mode needs ${missing.join(' and ')}.`, {
        code: 'CREDENTIALS_MISSING',
        exitCode: ExitCode.Auth,
        suggestions: ['Or use an API token instead: set OKTA_CLIENT_TOKEN or pipe it into --token-stdin'],
      })
    }
  }

  return {
    authorizationMode: mode,
    clientId: merged.clientId,
    keyId: merged.keyId,
    orgUrl,
    privateKey: mode === 'PrivateKey' ? merged.privateKey : undefined,
    requestTimeoutMs: inputs.requestTimeoutMs ?? OKTA_CALL_TIMEOUT_MS,
    scopes,
    sources,
    token: mode === 'SSWS' ? merged.token : undefined,
    userAgent: merged.userAgent,
  }
}

function pickAuthorizationMode(settings: RawSettings): AuthorizationMode {
  const declared = settings.authorizationMode
  if (declared) {
    if (/^ssws$/i.test(declared)) return 'SSWS'
    if (/^privatekey$/i.test(declared)) return 'PrivateKey'
    throw usageError(`Unknown authorization mode "${declared}".`, [
      'Use SSWS (API token) or PrivateKey (OAuth service app)',
    ])
  }

  if (!settings.token && settings.clientId && settings.privateKey) return 'PrivateKey'
  return 'SSWS'
}

export function checkOrgUrl(value: string | undefined): string {
  if (!value) {
    throw usageError('No Okta org URL given.', [
      'Pass --org-url https://your-org.okta.com, or set OKTA_CLIENT_ORGURL, or ' +
        'put okta.client.orgUrl in ./okta.yaml or ~/.okta/okta.yaml',
      'No org? Run `okta-hooks sandbox start` for a local one',
    ])
  }

  refuseCredentials(value, 'The org URL')
  const url = tryParseUrl(value)
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
    throw usageError(`The org URL "${displayUrl(value)}" is not a valid https URL.`, [
      'Use the form https://your-org.okta.com',
    ])
  }

  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    throw usageError(`Refusing the plain-http org URL ${value}: credentials would cross the network unencrypted.`, [
      'Use https://; plain http is accepted only for loopback hosts (a local sandbox on 127.0.0.1)',
    ])
  }

  if (url.pathname !== '/' && url.pathname !== '') {
    throw usageError(`The org URL must not have a path (got ${url.pathname}).`, [`Use ${url.origin}`])
  }

  return url.origin
}

function readPrivateKeyFile(path: string): string {
  try {
    return readFileSync(path, 'utf8')
  } catch (error) {
    throw usageError(`Cannot read the private key file ${path}: ${(error as Error).message}`)
  }
}

/**
 * One okta.yaml, read as the Okta SDK reads it: the okta.client mapping, lists joined with spaces
 * (scopes), objects as JSON (a JWK private key), other values as text. Parsed with the `yaml`
 * library (as any hooks file that is not plain block YAML is: hooks-as-code/yaml-reader.ts). A file
 * that is not YAML, or not that shape, is a usage error naming the file and the line.
 */
async function readOktaYaml(file: string): Promise<RawSettings> {
  const fix = ['Fix or remove that file: okta.yaml holds okta: client: {orgUrl, token, ...} (see the README)']
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (error) {
    throw usageError(`Cannot read ${file}: ${(error as Error).message}`, fix)
  }

  const {LineCounter, parseDocument} = await import('../io/yaml.js')
  const lines = new LineCounter()
  const document = parseDocument(text, {lineCounter: lines, prettyErrors: false})
  const [problem] = document.errors
  if (problem) {
    const at = lines.linePos(problem.pos[0])
    const reason = problem.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')
    throw usageError(`${file} is not valid YAML: line ${at.line}, column ${at.col}: ${reason}`, fix)
  }

  const client = mappingAt(document.toJS(), ['okta', 'client'])
  if (client === undefined)
    throw usageError(`${file} is not an okta.yaml: okta.client must be a mapping of settings.`, fix)
  const settings: RawSettings = {}
  for (const key of SETTING_KEYS) settings[key] = settingText(client[key])
  return settings
}

/**
 * The mapping at that path of the document ({} where the path is absent), undefined when something there is not a
 * mapping.
 */
function mappingAt(doc: unknown, path: string[]): Record<string, unknown> | undefined {
  let node: unknown = doc ?? {}
  for (const key of path) {
    if (typeof node !== 'object' || Array.isArray(node)) return undefined
    node = (node as Record<string, unknown>)[key] ?? {}
  }

  return typeof node === 'object' && !Array.isArray(node) ? (node as Record<string, unknown>) : undefined
}

function settingText(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined
  if (Array.isArray(value)) return value.join(' ')
  return typeof value === 'object' ? JSON.stringify(value) : String(value)
}
