/**
 * The slim Okta SDK bundle (scripts/bundle-sdk.mjs) stubs or defers parts of the SDK. These tests
 * prove that the parts okta-hooks relies on still work from dist/vendor/okta-sdk.cjs: no okta.yaml
 * read by the SDK itself (src/lib/okta/connection.ts reads it), HTTPS_PROXY (https-proxy-agent, on
 * first use), and OAuth private-key JWTs (jwt/dpop, on first use).
 */
import {expect} from 'chai'
import {generateKeyPairSync} from 'node:crypto'
import {existsSync, mkdirSync, mkdtempSync, writeFileSync} from 'node:fs'
import {createRequire} from 'node:module'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

const bundle = fileURLToPath(new URL('../../dist/vendor/okta-sdk.cjs', import.meta.url))

describe('slim Okta SDK bundle', () => {
  let sdk: any
  before(() => {
    if (!existsSync(bundle))
      throw new Error('dist/vendor/okta-sdk.cjs is missing: run `npm run build` first (npm test does)')
    sdk = createRequire(import.meta.url)(bundle)
  })

  it('reads no ~/.okta/okta.yaml of its own: only its constructor arguments', () => {
    const home = mkdtempSync(join(tmpdir(), 'okta-hooks-yaml-'))
    mkdirSync(join(home, '.okta'))
    writeFileSync(
      join(home, '.okta', 'okta.yaml'),
      'okta:\n  client:\n    orgUrl: https://yaml-org.okta.example\n    token: yaml-token-00000000\n',
    )
    const saved = process.env.HOME
    process.env.HOME = home
    try {
      expect(() => new sdk.Client({cacheMiddleware: null})).to.throw('Okta Org URL not provided')
      const client = new sdk.Client({
        cacheMiddleware: null,
        orgUrl: 'https://args.okta.example',
        token: 'args-token-0000000',
      })
      expect(client.baseUrl).to.equal('https://args.okta.example')
      expect(client.apiToken).to.equal('args-token-0000000')
    } finally {
      process.env.HOME = saved
    }
  })

  it('builds a proxy agent when HTTPS_PROXY is set, and none otherwise', () => {
    const plain = new sdk.Client({cacheMiddleware: null, orgUrl: 'https://org.okta.example', token: 'token-0000000000'})
    expect(plain.http.agent).to.equal(undefined)
    const client = new sdk.Client({
      cacheMiddleware: null,
      httpsProxy: 'http://127.0.0.1:3128',
      orgUrl: 'https://org.okta.example',
      token: 'token-0000000000',
    })
    expect(client.http.agent).to.be.an('object')
    expect(client.http.agent.proxy?.host ?? client.http.agent.proxy?.hostname).to.equal('127.0.0.1')
  })

  it('signs an OAuth client assertion with a private key (deferred JWT code)', async () => {
    const {privateKey} = generateKeyPairSync('rsa', {modulusLength: 2048})
    const client = new sdk.Client({
      authorizationMode: 'PrivateKey',
      cacheMiddleware: null,
      clientId: '0oatest',
      orgUrl: 'https://org.okta.example',
      privateKey: privateKey.export({format: 'pem', type: 'pkcs8'}).toString(),
      scopes: ['okta.eventHooks.read'],
    })
    const jwt: string = await client.oauth.getJwt('/oauth2/v1/token')
    const [, payload] = jwt.split('.')
    expect(JSON.parse(Buffer.from(payload, 'base64url').toString())).to.include({
      aud: 'https://org.okta.example/oauth2/v1/token',
      iss: '0oatest',
      sub: '0oatest',
    })
  })
})
