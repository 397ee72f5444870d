/**
 * The sandbox's OAuth service app (src/lib/sandbox/oauth.ts): Okta's /oauth2/v1/token with the
 * client_credentials grant and a private_key_jwt client assertion; Bearer tokens on the API;
 * Okta's OAuth error bodies on every failure. And the CLI in PrivateKey mode, end to end.
 */
import {expect} from 'chai'
import {generateKeyPairSync, type KeyObject, randomUUID, sign} from 'node:crypto'
import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import List from '../../../src/commands/list.js'
import SandboxStart from '../../../src/commands/sandbox/start.js'
import {SandboxOAuth} from '../../../src/lib/sandbox/oauth.js'
import {runCommand} from '../../helpers/run-command.js'
import {hookBody, startSandbox, stopAll, type TestSandbox} from '../../helpers/sandbox.js'

const CLIENT_ID = '0oaSandboxServiceApp1'
const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'
const rsa = generateKeyPairSync('rsa', {modulusLength: 2048})
const ec = generateKeyPairSync('ec', {namedCurve: 'P-256'})
const other = generateKeyPairSync('rsa', {modulusLength: 2048})

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')

/** A client assertion as Okta's docs build it, signed with `key` (RS256, or ES256 for an EC key). */
function assertion(key: KeyObject, claims: Record<string, unknown>, header: Record<string, unknown> = {}): string {
  const alg = key.asymmetricKeyType === 'ec' ? 'ES256' : 'RS256'
  const signed = `${b64({alg, typ: 'JWT', ...header})}.${b64(claims)}`
  const signature = sign('sha256', Buffer.from(signed), alg === 'ES256' ? {dsaEncoding: 'ieee-p1363', key} : key)
  return `${signed}.${signature.toString('base64url')}`
}

describe('sandbox: OAuth service app (/oauth2/v1/token)', () => {
  let t: TestSandbox
  let now: number
  const claims = (extra: Record<string, unknown> = {}) => ({
    aud: `${t.url}/oauth2/v1/token`,
    exp: now + 300,
    iat: now,
    iss: CLIENT_ID,
    jti: randomUUID(),
    sub: CLIENT_ID,
    ...extra,
  })
  const token = async (form: Record<string, string>, contentType = 'application/x-www-form-urlencoded') => {
    const response = await fetch(`${t.url}/oauth2/v1/token`, {
      body: new URLSearchParams(form),
      headers: {'Content-Type': contentType},
      method: 'POST',
    })
    return {body: await response.json(), headers: response.headers, status: response.status}
  }

  const grant = (jwt: string, scope = 'okta.eventHooks.read okta.eventHooks.manage okta.logs.read') =>
    token({client_assertion: jwt, client_assertion_type: ASSERTION_TYPE, grant_type: 'client_credentials', scope})
  const bearer = (accessToken: string, path = '/api/v1/eventHooks', method = 'GET', body?: unknown) =>
    fetch(`${t.url}${path}`, {
      body: body === undefined ? undefined : JSON.stringify(body),
      headers: {Authorization: `Bearer ${accessToken}`, 'Content-Type': 'application/json'},
      method,
    })

  async function start(publicKey: string): Promise<void> {
    now = 1_800_000_000
    t = await startSandbox({oauth: new SandboxOAuth({clientId: CLIENT_ID, now: () => now, publicKey})})
  }

  afterEach(() => stopAll())

  it('grants the requested scopes for a valid assertion; the API accepts the token as Bearer until it expires', async () => {
    await start(rsa.publicKey.export({format: 'pem', type: 'spki'}).toString())
    const answer = await grant(assertion(rsa.privateKey, claims()))
    expect(answer.status).to.equal(200)
    expect(answer.headers.get('cache-control')).to.equal('no-store')
    expect(answer.body).to.include({
      expires_in: 3600,
      scope: 'okta.eventHooks.read okta.eventHooks.manage okta.logs.read',
      token_type: 'Bearer',
    })
    const created = await bearer(
      answer.body.access_token,
      '/api/v1/eventHooks',
      'POST',
      hookBody('https://hooks.example.com/okta'),
    )
    expect(created.status).to.equal(200)
    expect((await (await bearer(answer.body.access_token)).json()).map((hook: any) => hook.name)).to.deep.equal([
      'Test hook',
    ])
    expect((await bearer(answer.body.access_token, '/api/v1/logs')).status).to.equal(200)
    expect((await bearer(answer.body.access_token, '/__sandbox/idle', 'POST')).status).to.equal(401)
    now += 3600
    const expired = await bearer(answer.body.access_token)
    expect(expired.status).to.equal(401)
    expect((await expired.json()).errorCode).to.equal('E0000011')
  })

  it('limits a token to its scopes: 403 E0000006 for a call it was not granted', async () => {
    await start(rsa.publicKey.export({format: 'pem', type: 'spki'}).toString())
    const readOnly = (await grant(assertion(rsa.privateKey, claims()), 'okta.eventHooks.read')).body.access_token
    expect((await bearer(readOnly)).status).to.equal(200)
    const denied = await bearer(readOnly, '/api/v1/eventHooks', 'POST', hookBody('https://hooks.example.com/okta'))
    expect(denied.status).to.equal(403)
    expect(await denied.json()).to.include({
      errorCode: 'E0000006',
      errorSummary: 'You do not have permission to perform the requested action',
    })
    expect((await bearer(readOnly, '/api/v1/logs')).status).to.equal(403)
    expect((await bearer('sbxat.not-a-token-it-issued')).status).to.equal(401)
  })

  it('takes the key as a JWK (ES256 here) and checks its kid', async () => {
    await start(JSON.stringify({keys: [{...ec.publicKey.export({format: 'jwk'}), kid: 'key-1'}]}))
    expect((await grant(assertion(ec.privateKey, claims(), {kid: 'key-1'}))).status).to.equal(200)
    expect((await grant(assertion(ec.privateKey, claims()))).status, 'no kid: the one key').to.equal(200)
    const wrongKid = await grant(assertion(ec.privateKey, claims(), {kid: 'key-2'}))
    expect(wrongKid).to.deep.include({
      body: {error: 'invalid_client', error_description: 'The client_assertion JWT kid is invalid.'},
      status: 401,
    })
  })

  it("answers Okta's OAuth errors for a bad assertion", async () => {
    await start(rsa.publicKey.export({format: 'pem', type: 'spki'}).toString())
    const cases: [string, string][] = [
      [assertion(other.privateKey, claims()), 'The client_assertion signature is invalid.'],
      [assertion(ec.privateKey, claims()), 'The client_assertion signature is invalid.'],
      [
        assertion(rsa.privateKey, claims({aud: `${t.url}/oauth2/default/v1/token`})),
        'The audience claim for client_assertion must be the endpoint invoked for the request.',
      ],
      [assertion(rsa.privateKey, claims({exp: now - 1})), 'The client_assertion token is expired.'],
      [
        assertion(rsa.privateKey, claims({exp: now + 7200})),
        'The client_assertion token has an expiration too far in the future.',
      ],
      [
        assertion(rsa.privateKey, claims({iss: '0oaSomeoneElse', sub: '0oaSomeoneElse'})),
        'Client authentication failed. Either the client or the client credentials are invalid.',
      ],
      ['not.a-jwt', 'The client_assertion token is malformed.'],
    ]
    for (const [jwt, description] of cases) {
      const answer = await grant(jwt)
      expect(answer, description).to.deep.include({
        body: {error: 'invalid_client', error_description: description},
        status: 401,
      })
    }

    const once = assertion(rsa.privateKey, claims())
    expect((await grant(once)).status).to.equal(200)
    expect((await grant(once)).body.error_description).to.equal('The client_assertion token has already been used.')
  })

  it("answers Okta's OAuth errors for a bad request: grant type, scopes, content type, no assertion", async () => {
    await start(rsa.publicKey.export({format: 'pem', type: 'spki'}).toString())
    const jwt = () => assertion(rsa.privateKey, claims())
    const answers = [
      [
        await token({client_assertion: jwt(), client_assertion_type: ASSERTION_TYPE, grant_type: 'password'}),
        400,
        'unsupported_grant_type',
      ],
      [await grant(jwt(), ''), 400, 'invalid_scope'],
      [await grant(jwt(), 'okta.eventHooks.read okta.users.manage'), 400, 'invalid_scope'],
      [await token({grant_type: 'client_credentials', scope: 'okta.logs.read'}), 401, 'invalid_client'],
      [
        await token(
          {client_assertion: jwt(), client_assertion_type: ASSERTION_TYPE, grant_type: 'client_credentials'},
          'application/json',
        ),
        400,
        'invalid_request',
      ],
    ] as const
    for (const [answer, status, error] of answers)
      expect([answer.status, answer.body.error]).to.deep.equal([status, error])
    expect(answers[1][0].body.error_description).to.equal(
      "The authorization server resource does not have any configured default scopes, 'scope' must be provided.",
    )
    expect(answers[2][0].body.error_description).to.equal(
      'One or more scopes are not configured for the authorization server resource.',
    )
  })

  it("the CLI in PrivateKey mode (the Okta SDK's own assertion and DPoP proof) lists hooks with its Bearer token", async () => {
    t = await startSandbox({
      oauth: new SandboxOAuth({
        clientId: CLIENT_ID,
        publicKey: JSON.stringify({...rsa.publicKey.export({format: 'jwk'}), kid: 'sdk-kid'}),
      }),
    })
    await t.api('POST', '/api/v1/eventHooks', hookBody('https://hooks.example.com/okta', {name: 'Seen over OAuth'}))
    const env = {
      OKTA_CLIENT_AUTHORIZATIONMODE: 'PrivateKey',
      OKTA_CLIENT_CLIENTID: CLIENT_ID,
      OKTA_CLIENT_KEYID: 'sdk-kid',
      OKTA_CLIENT_ORGURL: t.url,
      OKTA_CLIENT_PRIVATEKEY: rsa.privateKey.export({format: 'pem', type: 'pkcs8'}).toString(),
    }
    const listed = await runCommand(List, ['--json'], {env})
    expect([listed.error?.message, listed.exitCode]).to.deep.equal([undefined, 0])
    expect(listed.json.hooks.map((hook: any) => hook.name)).to.deep.equal(['Seen over OAuth'])
    const wrongKey = await runCommand(List, [], {
      env: {...env, OKTA_CLIENT_PRIVATEKEY: other.privateKey.export({format: 'pem', type: 'pkcs8'}).toString()},
    })
    expect(wrongKey.exitCode).to.equal(3)
    expect(wrongKey.stderr).to.contain(
      "Okta's OAuth token endpoint refused the service app: invalid_client: The client_assertion signature is invalid.",
    )
  })

  it('sandbox start refuses --oauth-client-id without a usable --oauth-public-key: exit 2', async () => {
    const alone = await runCommand(SandboxStart, ['--port', '0', '--oauth-client-id', CLIENT_ID])
    expect(alone.exitCode).to.equal(2)
    expect(alone.stderr).to.contain('--oauth-public-key')
    const dir = mkdtempSync(join(tmpdir(), 'okta-hooks-oauth-key-'))
    const missing = await runCommand(SandboxStart, [
      '--port',
      '0',
      '--oauth-client-id',
      CLIENT_ID,
      '--oauth-public-key',
      join(dir, 'missing.pem'),
    ])
    expect(missing.exitCode).to.equal(2)
    expect(missing.stderr).to.contain(`Cannot read --oauth-public-key ${join(dir, 'missing.pem')}`)
    writeFileSync(join(dir, 'not-a-key.pem'), 'hello\n')
    const garbage = await runCommand(SandboxStart, [
      '--port',
      '0',
      '--oauth-client-id',
      CLIENT_ID,
      '--oauth-public-key',
      join(dir, 'not-a-key.pem'),
    ])
    expect(garbage.exitCode).to.equal(2)
    expect(garbage.stderr).to.contain(
      `--oauth-public-key ${join(dir, 'not-a-key.pem')} is not a public key (PEM, JWK or JWKS)`,
    )
  })
})
