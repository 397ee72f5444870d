/**
 * The one module that talks to the Okta SDK (@okta/okta-sdk-nodejs). It is loaded lazily, only by
 * commands that call Okta, so that --help, --version and local commands never pay for the SDK.
 *
 * Every call goes through the SDK's client (its auth: SSWS or OAuth private key with DPoP) but as
 * raw JSON (client.http.http): the SDK's models drop fields they do not declare, and a replayed
 * System Log event or a hook's filter must survive byte for byte. The request executor here adds
 * what the SDK lacks: a timeout on every call, waits on 429 that are shown, bounded retries with
 * backoff on transient 5xx and network errors, and --debug traces with every secret masked.
 */
import {createRequire} from 'node:module'
import {join} from 'node:path'
import {pathToFileURL} from 'node:url'

import {clock} from '../clock.js'
import {CliError} from '../errors.js'
import {ExitCode} from '../exit-codes.js'
import {isSecretHeaderName, maskHeaders, maskJson} from '../secrets/mask.js'
import {redactKnownSecrets, registerAuthSecret, registerSecret} from '../secrets/registry.js'
import {isLoopbackHost} from '../net/urls.js'
import {packageRoot} from '../package-root.js'
import type {ConnectionSettings} from './connection.js'
import {
  backoffMs,
  defaultRetryPolicy,
  isRetryableNetworkError,
  isRetryableStatus,
  rateLimitWaitMs,
  type RetryPolicy,
} from './retry-policy.js'

export interface OktaResponse<T = unknown> {
  body: T
  headers: Record<string, string>
  status: number
}

export interface OktaRequestOptions {
  body?: unknown
  query?: Record<string, number | string | undefined>
  /** Return the response body as its text, unparsed (System Log events replayed byte for byte). */
  raw?: boolean
}

/** What the rest of okta-hooks sees of Okta: raw JSON over the SDK's authenticated HTTP. */
export interface OktaTransport {
  readonly orgUrl: string
  request<T = unknown>(method: string, pathOrUrl: string, options?: OktaRequestOptions): Promise<OktaResponse<T>>
}

export interface TransportObserver {
  /** --debug lines (already masked). */
  debug?: (line: string) => void
  /** Waits and retries the user should see (stderr). */
  notice: (line: string) => void
}

export interface TransportOptions extends TransportObserver {
  policy?: Partial<RetryPolicy>
  userAgent: string
}

/**
 * The SDK (CommonJS), loaded on first use only, always as the slim bundle of scripts/bundle-sdk.mjs
 * (generated API classes stubbed, no okta.yaml or environment reading of its own): the package's
 * dist/vendor/okta-sdk.cjs, or, running from src/ (tests, bin/dev.js), the same bundle built on
 * demand into node_modules/.cache, so that tests run the SDK code users run.
 */
async function loadSdk(): Promise<any> {
  const root = packageRoot()
  let bundle = join(root, 'dist', 'vendor', 'okta-sdk.cjs')
  if (import.meta.url.endsWith('.ts')) {
    const script: string = pathToFileURL(join(root, 'scripts', 'bundle-sdk.mjs')).href
    bundle = await (await import(script)).sdkBundleForSources()
  }

  return createRequire(join(root, 'package.json'))(bundle)
}

export async function connectOkta(settings: ConnectionSettings, options: TransportOptions): Promise<OktaTransport> {
  if (settings.token !== undefined) registerAuthSecret(settings.token, 'The Okta API token')
  registerSecret(settings.privateKey)
  const sdk = await loadSdk()
  const policy: RetryPolicy = {...defaultRetryPolicy(), ...options.policy}
  const executor = createExecutor(sdk, settings.requestTimeoutMs, policy, options)
  const orgHost = new URL(settings.orgUrl).hostname

  let client: any
  try {
    client = new sdk.Client({
      authorizationMode: settings.authorizationMode,
      cacheMiddleware: null,
      orgUrl: settings.orgUrl,
      requestExecutor: executor,
      userAgent: settings.userAgent ? `${settings.userAgent} ${options.userAgent}` : options.userAgent,
      ...(settings.authorizationMode === 'SSWS'
        ? {token: settings.token}
        : {
            clientId: settings.clientId,
            keyId: settings.keyId,
            privateKey: settings.privateKey,
            scopes: settings.scopes,
          }),
      ...(isLoopbackHost(orgHost) ? {testing: {disableHttpsCheck: true}} : {}),
    })
  } catch (error) {
    throw new CliError(`The Okta SDK refused the configuration: ${redactKnownSecrets((error as Error).message)}`, {
      code: 'CONFIG_INVALID',
      exitCode: ExitCode.Usage,
    })
  }

  if (settings.authorizationMode === 'PrivateKey') await fetchAccessTokenFirst(client, executor)

  return {
    orgUrl: settings.orgUrl,
    async request<T>(method: string, pathOrUrl: string, requestOptions: OktaRequestOptions = {}) {
      const url = buildUrl(settings.orgUrl, pathOrUrl, requestOptions.query)
      const hasBody = requestOptions.body !== undefined
      try {
        const response = await client.http.http(url, {
          body: hasBody ? JSON.stringify(requestOptions.body) : undefined,
          headers: {Accept: 'application/json', ...(hasBody ? {'Content-Type': 'application/json'} : {})},
          method: method.toUpperCase(),
        })
        const text: string = await response.text()
        return {
          body: (requestOptions.raw ? text : parseJson(text, `${method.toUpperCase()} ${pathOf(url)}`, response)) as T,
          headers: headersToObject(response.headers),
          status: response.status,
        }
      } catch (error) {
        throw oktaCallError(error, method, url)
      }
    },
  }
}

function buildUrl(orgUrl: string, pathOrUrl: string, query?: Record<string, number | string | undefined>): string {
  const url = new URL(/^https?:\/\//.test(pathOrUrl) ? pathOrUrl : orgUrl + pathOrUrl)
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== '') url.searchParams.set(key, String(value))
  }

  return url.toString()
}

function headersToObject(headers: any): Record<string, string> {
  const out: Record<string, string> = {}
  headers?.forEach?.((value: string, name: string) => {
    out[name.toLowerCase()] = value
  })
  return out
}

/**
 * The SDK swallows token-endpoint errors and then sends `Bearer undefined`, which Okta answers
 * with a misleading 401. Asking for the token first surfaces the real OAuth error.
 */
async function fetchAccessTokenFirst(client: any, executor: any): Promise<void> {
  try {
    const token = await client.oauth.getAccessToken()
    registerSecret(token?.access_token)
    if (!token?.access_token) throw new Error('the token endpoint returned no access_token')
  } catch (error) {
    const oauth = executor.lastOAuthError as undefined | {error?: string; error_description?: string; status: number}
    const what = oauth
      ? `${oauth.error ?? `HTTP ${oauth.status}`}${oauth.error_description ? `: ${oauth.error_description}` : ''}`
      : redactKnownSecrets((error as Error).message)
    if (!oauth && isNetworkFailure(error)) throw oktaCallError(error, 'POST', '/oauth2/v1/token')
    throw new CliError(`Okta's OAuth token endpoint refused the service app: ${what}`, {
      code: oauth?.error ?? 'OAUTH_FAILED',
      exitCode: ExitCode.Auth,
      suggestions: [
        'Check the client id, the private key and its key id (kid) against the service app in the Admin Console',
        'Grant the app the scopes okta.eventHooks.read okta.eventHooks.manage ' +
          'okta.logs.read (Okta API Scopes tab) and an admin role',
      ],
    })
  }
}

/** A JSON body as its value; anything else (an HTML page, JSON cut short) is the org URL's fault, exit 6. */
function parseJson(text: string, where: string, response: any): unknown {
  if (!text) return undefined
  try {
    return JSON.parse(text)
  } catch {
    throw notJsonError(where, response)
  }
}

/** JSON by its Content-Type, or (without one) by its first character. */
function looksLikeJson(contentType: null | string | undefined, text: string): boolean {
  if (contentType) return /[/+]json\b/i.test(contentType)
  return /^\s*[[{]/.test(text)
}

/** What an org URL that is not an Okta org's API (a login page, a proxy's page, JSON cut short) gets. */
export function notJsonError(where: string, response: {headers?: any; status: number}): CliError {
  const contentType =
    String(response.headers?.get?.('content-type') ?? '')
      .split(';')[0]
      .trim() || 'no Content-Type'
  const status = response.status >= 200 && response.status < 300 ? '' : ` (HTTP ${response.status})`
  return new CliError(`Okta's answer to ${where}${status} is not JSON (${contentType}): is the org URL right?`, {
    code: 'NOT_JSON',
    details: {contentType, httpStatus: response.status, request: where},
    exitCode: ExitCode.Remote,
    suggestions: [
      "The org URL is your Okta org's own address, e.g. https://acme.okta.com (not " +
        "the Admin Console's acme-admin.okta.com, nor a login page)",
      'A proxy or captive portal between you and Okta can answer with a ' +
        'page of its own: check HTTPS_PROXY and the network',
    ],
  })
}

function isNetworkFailure(error: any): boolean {
  return error instanceof CliError && error.exitCode === ExitCode.Remote
}

class TransportError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message)
  }
}

function createExecutor(sdk: any, timeoutMs: number, policy: RetryPolicy, observer: TransportObserver): any {
  const Base = sdk.RequestExecutor
  class ResilientRequestExecutor extends Base {
    lastOAuthError?: unknown

    async fetch(request: any): Promise<any> {
      const method = String(request.method ?? 'GET').toUpperCase()
      const where = `${method} ${pathOf(request.url)}`
      let attempt = 0
      let rateLimitWaits = 0
      for (;;) {
        attempt++
        const started = Date.now()
        registerOutgoingSecrets(request)
        this.traceRequest(request, method, attempt)
        let response: any
        let text: string
        const controller = new AbortController()
        const timer = setTimeout(() => controller.abort(), timeoutMs)
        try {
          response = await super.fetch({...request, method, signal: controller.signal})
          text = await response.text()
        } catch (error: any) {
          const code =
            error?.name === 'AbortError' || error?.type === 'aborted'
              ? 'TIMEOUT'
              : String(error?.code ?? error?.errno ?? 'NETWORK')
          const reason =
            code === 'TIMEOUT' ? `no answer within ${timeoutMs / 1000}s` : `${code}: ${error?.message ?? error}`
          observer.debug?.(redactKnownSecrets(`<- ${where} failed after ${Date.now() - started} ms: ${reason}`))
          if (isRetryableNetworkError(code, method, pathOf(request.url)) && attempt < policy.maxAttempts) {
            const delay = backoffMs(attempt, policy)
            observer.notice(
              `${where}: ${reason}; retrying in ${seconds(delay)} (attempt ${attempt + 1} of ${policy.maxAttempts})`,
            )
            await clock().sleep(delay)
            continue
          }

          throw new TransportError(
            `${where}: ${reason}${attempt > 1 ? ` (gave up after ${attempt} attempts)` : ''}`,
            code,
          )
        } finally {
          clearTimeout(timer)
        }

        registerEchoedSecrets(response, text)
        this.traceResponse(response, text, Date.now() - started)
        if (
          text &&
          response.status < 500 &&
          response.status !== 429 &&
          !looksLikeJson(response.headers.get('content-type'), text)
        ) {
          throw notJsonError(where, response)
        }

        if (response.status >= 400 && /\/oauth2\/v1\/token$/.test(pathOf(request.url))) {
          try {
            this.lastOAuthError = {status: response.status, ...JSON.parse(text)}
          } catch {
            this.lastOAuthError = {status: response.status}
          }
        }

        if (response.status === 429 && rateLimitWaits < policy.maxRateLimitWaits) {
          const wait = rateLimitWaitMs(
            response.headers.get('x-rate-limit-reset'),
            response.headers.get('date'),
            clock().now(),
            policy,
          )
          if (wait <= policy.maxRateLimitWaitMs) {
            rateLimitWaits++
            observer.notice(
              `Okta rate limit reached on ${where}; waiting ${seconds(wait)} for it to reset (X-Rate-Limit-Reset)...`,
            )
            await clock().sleep(wait)
            continue
          }
        }

        if (isRetryableStatus(response.status, method, pathOf(request.url)) && attempt < policy.maxAttempts) {
          const delay = backoffMs(attempt, policy)
          observer.notice(
            `Okta answered ${response.status} on ${where}; retrying in ` +
              `${seconds(delay)} (attempt ${attempt + 1} of ${policy.maxAttempts})`,
          )
          await clock().sleep(delay)
          continue
        }

        return bufferedResponse(response, text, attempt)
      }
    }

    traceRequest(request: any, method: string, attempt: number): void {
      if (!observer.debug) return
      const headers = maskHeaders(request.headers ?? {})
      const lines = [`-> ${method} ${request.url}${attempt > 1 ? ` (attempt ${attempt})` : ''}`]
      for (const [name, value] of Object.entries(headers)) if (name !== 'DPoP') lines.push(`   ${name}: ${value}`)
      if (request.body) lines.push(`   ${maskBody(String(request.body))}`)
      observer.debug(redactKnownSecrets(lines.join('\n')))
    }

    traceResponse(response: any, text: string, ms: number): void {
      if (!observer.debug) return
      const lines = [`<- ${response.status} ${response.statusText ?? ''} (${ms} ms)`]
      for (const [name, value] of Object.entries(maskHeaders(headersToObject(response.headers))))
        lines.push(`   ${name}: ${value}`)
      if (text)
        lines.push(`   ${maskBody(text.length > 4000 ? `${text.slice(0, 4000)}... (${text.length} bytes)` : text)}`)
      observer.debug(redactKnownSecrets(lines.join('\n')))
    }
  }

  return new ResilientRequestExecutor()
}

/** Form parameters of a request that are credentials (the OAuth token request's client_assertion). */
const CREDENTIAL_PARAMS = new Set(['assertion', 'client_assertion', 'client_secret', 'password', 'refresh_token'])

/**
 * Registers the credentials a request carries before it is sent (and traced): its secret headers
 * (the SSWS token, a Bearer or DPoP access token) and an OAuth client_assertion, so that no echo
 * of them, in a trace, an error or a proxy's page, is printed in clear. The DPoP proof is left out:
 * it is new on every request, bound to that one request, and never traced.
 */
function registerOutgoingSecrets(request: any): void {
  for (const [name, value] of Object.entries<unknown>(request.headers ?? {})) {
    if (name.toLowerCase() !== 'dpop' && isSecretHeaderName(name)) registerSecret(String(value))
  }

  if (typeof request.body === 'string' && request.body.includes('=')) {
    for (const [key, value] of new URLSearchParams(request.body)) if (CREDENTIAL_PARAMS.has(key)) registerSecret(value)
  }
}

const ECHOED_TOKEN = /"(?:access_token|id_token|refresh_token|client_assertion)"\s*:\s*"([^"\\]+)"/g

/** Registers the tokens an answer carries (an access token, a cookie) before it is traced or parsed. */
function registerEchoedSecrets(response: any, text: string): void {
  for (const [name, value] of Object.entries(headersToObject(response.headers))) {
    if (!isSecretHeaderName(name)) continue
    registerSecret(value)
    for (const cookie of value.split(/,\s*(?=[^;=\s]+=)/))
      registerSecret(cookie.split(';')[0].split('=').slice(1).join('='))
  }

  for (const match of text.matchAll(ECHOED_TOKEN)) registerSecret(match[1])
}

function maskBody(text: string): string {
  try {
    return JSON.stringify(maskJson(JSON.parse(text)))
  } catch {
    return text
      .replace(/(client_assertion=)[^&]+/g, '$1****')
      .replace(/("?(?:access_token|value|token)"?\s*[:=]\s*"?)[^"&,}]+/gi, '$1****')
  }
}

/** A response whose body was already read (within the timeout), shaped like node-fetch's for the SDK. */
function bufferedResponse(response: any, text: string, attempts: number): any {
  return {
    attempts,
    buffer: async () => Buffer.from(text),
    clone: () => bufferedResponse(response, text, attempts),
    headers: response.headers,
    json: async () => JSON.parse(text),
    ok: response.ok,
    status: response.status,
    statusText: response.statusText,
    text: async () => text,
    url: response.url,
  }
}

function pathOf(url: string): string {
  try {
    return new URL(url).pathname
  } catch {
    return url
  }
}

function seconds(ms: number): string {
  return ms >= 10_000 ? `${Math.round(ms / 1000)}s` : `${(ms / 1000).toFixed(1)}s`
}

/** Okta's error body (or a network failure) as the CliError the user sees, with the right exit code. */
function oktaCallError(error: any, method: string, url: string): CliError {
  if (error instanceof CliError) return error
  if (error instanceof TransportError) {
    return new CliError(`Could not reach Okta: ${error.message}`, {
      code: error.code === 'TIMEOUT' ? 'TIMEOUT' : 'NETWORK',
      exitCode: ExitCode.Remote,
      suggestions: ['Check the org URL and your network; raise --timeout if Okta is slow'],
    })
  }

  const status = Number(error?.status)
  if (!Number.isFinite(status)) {
    return new CliError(redactKnownSecrets(String(error?.message ?? error)), {
      code: 'UNEXPECTED',
      exitCode: ExitCode.Unexpected,
    })
  }

  const where = `${method.toUpperCase()} ${pathOf(url)}`
  // The SDK's HttpError: an error answer whose body did not parse as JSON (its message is "HTTP <status> <body>").
  const httpErrorBody =
    !error.errorCode && String(error.message ?? '').startsWith(`HTTP ${status} `)
      ? String(error.message).slice(`HTTP ${status} `.length)
      : ''
  if (httpErrorBody.trim() && status < 500 && status !== 429) return notJsonError(where, error)
  const summary =
    error.errorSummary ||
    String(error.message ?? '')
      .replace(/^HTTP \d+ /, '')
      .slice(0, 300) ||
    `HTTP ${status}`
  const causes: string[] = (error.errorCauses ?? [])
    .map((cause: any) => String(cause?.errorSummary ?? cause))
    .filter(Boolean)
  const details = {errorId: error.errorId, httpStatus: status, request: where}
  const base = {causes, code: error.errorCode ?? `HTTP_${status}`, details}
  if (status === 401) {
    return new CliError(`Okta rejected the credentials (401 on ${where}): ${summary}`, {
      ...base,
      exitCode: ExitCode.Auth,
      suggestions: [
        'The API token may be wrong, expired or revoked: create a new one under Security > API > Tokens',
        'Check that the org URL is the org the token belongs to',
      ],
    })
  }

  if (status === 403) {
    return new CliError(`Okta denied permission (403 on ${where}): ${summary}`, {
      ...base,
      exitCode: ExitCode.Auth,
      suggestions: [
        "The token's admin (or the service app) needs an admin role that manages event hooks " +
          '(Super Administrator or a custom role with event hook permissions)',
        'An OAuth service app needs the scopes okta.eventHooks.read okta.eventHooks.manage okta.logs.read',
      ],
    })
  }

  if (status === 404)
    return new CliError(`Not found (404 on ${where}): ${summary}`, {...base, exitCode: ExitCode.NotFound})
  if (status === 429) {
    return new CliError(`Okta kept rate-limiting ${where}: ${summary}`, {
      ...base,
      exitCode: ExitCode.Remote,
      suggestions: ['Wait for the rate limit to reset (see X-Rate-Limit-Reset) and try again, or lower --concurrency'],
    })
  }

  if (status >= 500) {
    return new CliError(`Okta failed (${status} on ${where}): ${summary}`, {
      ...base,
      exitCode: ExitCode.Remote,
      suggestions: ["This is on Okta's side; try again in a moment (transient errors were already retried)"],
    })
  }

  return new CliError(`Okta refused the request (${status} on ${where}): ${summary}`, {
    ...base,
    exitCode: ExitCode.Usage,
  })
}
