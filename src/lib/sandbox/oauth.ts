/**
 * The sandbox as an org authorization server for one OAuth 2.0 service app, as Okta's
 * /oauth2/v1/token does it: the client_credentials grant, the client authenticated by a
 * private_key_jwt client assertion (RS/ES 256/384/512) checked against the app's public key, and
 * opaque access tokens that the API then accepts as `Authorization: Bearer`, limited to the
 * granted scopes. Failures answer Okta's OAuth error bodies ({error, error_description}).
 */
import {createPublicKey, type KeyObject, randomBytes, verify} from 'node:crypto'
import type {IncomingMessage, ServerResponse} from 'node:http'

import {OktaApiError} from './errors.js'

export const TOKEN_PATH = '/oauth2/v1/token'
/** What the sandbox's service app is granted (its Okta API Scopes tab): what okta-hooks needs. */
export const GRANTED_SCOPES = ['okta.eventHooks.read', 'okta.eventHooks.manage', 'okta.logs.read']

const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'
const TOKEN_LIFETIME_S = 3600
const MAX_ASSERTION_LIFETIME_S = 3600
const MAX_FORM = 64 * 1024
const ALGORITHMS: Record<string, {dsaEncoding?: 'ieee-p1363'; hash: string; keyType: string}> = {
  ES256: {dsaEncoding: 'ieee-p1363', hash: 'sha256', keyType: 'ec'},
  ES384: {dsaEncoding: 'ieee-p1363', hash: 'sha384', keyType: 'ec'},
  ES512: {dsaEncoding: 'ieee-p1363', hash: 'sha512', keyType: 'ec'},
  RS256: {hash: 'sha256', keyType: 'rsa'},
  RS384: {hash: 'sha384', keyType: 'rsa'},
  RS512: {hash: 'sha512', keyType: 'rsa'},
}

export interface OAuthClientOptions {
  clientId: string
  /** The app's public key: PEM, a JWK, or a JWKS ({keys: [...]}, the first key); a JWK's kid is the key id. */
  publicKey: string
  /** Seconds since the epoch (tests inject a clock). */
  now?: () => number
}

/** An OAuth error as Okta's token endpoint answers it. */
export class OAuthError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    readonly description: string,
  ) {
    super(`${error}: ${description}`)
  }
}

const invalidClient = (description: string) => new OAuthError(401, 'invalid_client', description)
const CLIENT_AUTH_FAILED = 'Client authentication failed. Either the client or the client credentials are invalid.'

interface Grant {
  expiresAt: number
  scopes: string[]
}

export class SandboxOAuth {
  readonly clientId: string
  private readonly key: KeyObject
  private readonly keyId?: string
  private readonly now: () => number
  private readonly tokens = new Map<string, Grant>()
  private readonly usedAssertions = new Map<string, number>()

  constructor(options: OAuthClientOptions) {
    this.clientId = options.clientId
    const {key, keyId} = readPublicKey(options.publicKey)
    this.key = key
    this.keyId = keyId
    this.now = options.now ?? (() => Math.floor(Date.now() / 1000))
  }

  /** POST /oauth2/v1/token: an access token for a valid client assertion, or Okta's OAuth error. */
  async answerToken(request: IncomingMessage, response: ServerResponse, orgUrl: string): Promise<void> {
    try {
      if (request.method !== 'POST') throw new OAuthError(405, 'invalid_request', 'The endpoint only supports POST.')
      const body = await this.grant(await readForm(request), `${orgUrl}${TOKEN_PATH}`)
      sendJson(response, 200, body)
    } catch (error) {
      if (!(error instanceof OAuthError)) throw error
      sendJson(response, error.status, {error: error.error, error_description: error.description})
    }
  }

  /**
   * Checks `Authorization: Bearer <token>` for a call to the API: false when it is not one of this
   * server's live tokens; a 403 E0000006 when the token lacks the scope the call needs.
   */
  authorizes(authorization: string | undefined, method: string, path: string): boolean {
    const match = /^Bearer (\S+)$/.exec(authorization ?? '')
    const grant = match ? this.tokens.get(match[1]) : undefined
    if (!grant || grant.expiresAt <= this.now()) return false
    const needed = requiredScopes(method, path)
    if (needed.length > 0 && !needed.some((scope) => grant.scopes.includes(scope))) {
      throw new OktaApiError(403, 'E0000006', 'You do not have permission to perform the requested action', [
        `The access token lacks the scope ${needed[0]}`,
      ])
    }

    return true
  }

  private grant(form: URLSearchParams, audience: string): Record<string, unknown> {
    if (form.get('grant_type') !== 'client_credentials') {
      throw new OAuthError(
        400,
        'unsupported_grant_type',
        'The authorization grant type is not supported by the authorization ' +
          'server. Configured grant types: [client_credentials].',
      )
    }

    const assertion = form.get('client_assertion')
    if (!assertion || form.get('client_assertion_type') !== ASSERTION_TYPE) throw invalidClient(CLIENT_AUTH_FAILED)
    this.checkAssertion(assertion, audience, form.get('client_id'))
    const requested = (form.get('scope') ?? '').split(' ').filter(Boolean)
    if (requested.length === 0) {
      throw new OAuthError(
        400,
        'invalid_scope',
        "The authorization server resource does not have any configured default scopes, 'scope' must be provided.",
      )
    }

    if (requested.some((scope) => !GRANTED_SCOPES.includes(scope))) {
      throw new OAuthError(
        400,
        'invalid_scope',
        'One or more scopes are not configured for the authorization server resource.',
      )
    }

    const token = `sbxat.${randomBytes(32).toString('base64url')}`
    this.tokens.set(token, {expiresAt: this.now() + TOKEN_LIFETIME_S, scopes: requested})
    return {access_token: token, expires_in: TOKEN_LIFETIME_S, scope: requested.join(' '), token_type: 'Bearer'}
  }

  private checkAssertion(assertion: string, audience: string, clientIdParam: null | string): void {
    const parts = assertion.split('.')
    const header = parts.length === 3 ? decodeJson(parts[0]) : undefined
    const claims = parts.length === 3 ? decodeJson(parts[1]) : undefined
    if (!header || !claims) throw invalidClient('The client_assertion token is malformed.')
    if (
      claims.iss !== this.clientId ||
      claims.sub !== this.clientId ||
      (clientIdParam && clientIdParam !== this.clientId)
    ) {
      throw invalidClient(CLIENT_AUTH_FAILED)
    }

    if (header.kid !== undefined && this.keyId !== undefined && header.kid !== this.keyId)
      throw invalidClient('The client_assertion JWT kid is invalid.')
    const algorithm = ALGORITHMS[String(header.alg)]
    const signed = Buffer.from(`${parts[0]}.${parts[1]}`)
    const signature = Buffer.from(parts[2], 'base64url')
    const valid =
      algorithm?.keyType === this.key.asymmetricKeyType &&
      verify(algorithm.hash, signed, {dsaEncoding: algorithm.dsaEncoding, key: this.key}, signature)
    if (!valid) throw invalidClient('The client_assertion signature is invalid.')
    if (claims.aud !== audience)
      throw invalidClient('The audience claim for client_assertion must be the endpoint invoked for the request.')
    const now = this.now()
    if (typeof claims.exp !== 'number' || claims.exp <= now)
      throw invalidClient('The client_assertion token is expired.')
    if (claims.exp > now + MAX_ASSERTION_LIFETIME_S)
      throw invalidClient('The client_assertion token has an expiration too far in the future.')
    if (typeof claims.jti === 'string') this.useOnce(claims.jti, claims.exp, now)
  }

  /** A client assertion's jti may be used once (kept until the assertion expires). */
  private useOnce(jti: string, exp: number, now: number): void {
    for (const [seen, until] of this.usedAssertions) if (until <= now) this.usedAssertions.delete(seen)
    if (this.usedAssertions.has(jti)) throw invalidClient('The client_assertion token has already been used.')
    this.usedAssertions.set(jti, exp)
  }
}

/** The scopes one of which an API call needs (a manage scope includes reading). */
function requiredScopes(method: string, path: string): string[] {
  if (path.startsWith('/api/v1/logs')) return ['okta.logs.read']
  if (!path.startsWith('/api/v1/eventHooks')) return []
  return method === 'GET' ? ['okta.eventHooks.read', 'okta.eventHooks.manage'] : ['okta.eventHooks.manage']
}

function readPublicKey(text: string): {key: KeyObject; keyId?: string} {
  const trimmed = text.trim()
  if (!trimmed.startsWith('{')) return {key: createPublicKey(trimmed)}
  const parsed = JSON.parse(trimmed)
  const jwk = Array.isArray(parsed.keys) ? parsed.keys[0] : parsed
  return {key: createPublicKey({format: 'jwk', key: jwk}), keyId: typeof jwk?.kid === 'string' ? jwk.kid : undefined}
}

function decodeJson(part: string): Record<string, any> | undefined {
  try {
    const value = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'))
    return value && typeof value === 'object' && !Array.isArray(value) ? value : undefined
  } catch {
    return undefined
  }
}

async function readForm(request: IncomingMessage): Promise<URLSearchParams> {
  if (!String(request.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) {
    throw new OAuthError(400, 'invalid_request', 'The request must be application/x-www-form-urlencoded.')
  }

  let text = ''
  for await (const chunk of request) {
    text += chunk
    if (text.length > MAX_FORM) throw new OAuthError(400, 'invalid_request', 'The request body is too large.')
  }

  return new URLSearchParams(text)
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body)
  response.writeHead(status, {
    'Cache-Control': 'no-store',
    'Content-Length': Buffer.byteLength(text),
    'Content-Type': 'application/json',
    Pragma: 'no-cache',
  })
  response.end(text)
}
