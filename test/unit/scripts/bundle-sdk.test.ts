/**
 * scripts/bundle-sdk.mjs reaches into the Okta SDK's internals: it must refuse, naming what changed,
 * an SDK that is not the one it was written for; and the bundle it builds must read no okta.yaml
 * and no OKTA_CLIENT_* of its own (src/lib/okta/connection.ts is the one reader).
 */
import {expect} from 'chai'
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {createRequire} from 'node:module'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'

const script: string = new URL('../../../scripts/bundle-sdk.mjs', import.meta.url).href
const bundler = (): Promise<any> => import(script)

/** A stand-in SDK folder with every internal the bundle checks, as 8.1.0 has them. */
function fakeSdk(change: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'okta-hooks-fake-sdk-'))
  const files: Record<string, string> = {
    'package.json': JSON.stringify({name: '@okta/okta-sdk-nodejs', version: '8.1.0'}),
    'src/client.js': [
      "const { ConfigLoader } = require('./config-loader');",
      "const { EventHookApi } = require('./generated');",
      'class Client { constructor(config) { const configLoader = new ConfigLoader(); configLoader.applyDefaults();',
      '  configLoader.apply({ client: config }); const ua = parsedConfig.client.userAgent } }',
      'module.exports = Client;',
    ].join('\n'),
    'src/config-loader.js':
      'class ConfigLoader { apply() {} applyDefaults() {} }\nmodule.exports.ConfigLoader = ConfigLoader',
    'src/default-cache-middleware.js': "const _ = require('lodash');\nmodule.exports = (ctx) => _.get(ctx, 'x')",
    'src/dpop.js': 'module.exports = {generateDpopJwt() {}}',
    'src/generated/index.js': 'module.exports = {}',
    'src/http.js': 'module.exports = class Http {}',
    'src/jwt.js': 'module.exports = {getPemAndJwk() {}, makeJwt() {}}',
    'src/oauth.js': 'module.exports = {}',
    'src/request-executor.js': 'module.exports = class RequestExecutor { fetch() {} }',
    ...change,
  }
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), {recursive: true})
    if (text !== '') writeFileSync(join(dir, name), text)
  }

  return dir
}

function refusal(check: () => void): string {
  try {
    check()
  } catch (error) {
    return (error as Error).message
  }

  throw new Error('expected the check to refuse the SDK')
}

describe('scripts/bundle-sdk.mjs', () => {
  const dirs: string[] = []
  const sdk = (change?: Record<string, string>): string => {
    dirs.push(fakeSdk(change))
    return dirs.at(-1)!
  }

  after(() => {
    for (const dir of dirs) rmSync(dir, {force: true, recursive: true})
  })

  it('accepts the installed SDK and a stand-in with the same internals', async () => {
    const {SDK_VERSION, checkSdkInternals} = await bundler()
    expect(SDK_VERSION).to.equal('8.1.0')
    expect(() => checkSdkInternals()).to.not.throw()
    expect(() => checkSdkInternals(sdk(), '8.1.0')).to.not.throw()
  })

  it('refuses another SDK version, or a range in package.json, naming both', async () => {
    const {checkSdkInternals} = await bundler()
    const message = refusal(() =>
      checkSdkInternals(sdk({'package.json': JSON.stringify({version: '8.2.0'})}), '^8.1.0'),
    )
    expect(message).to.contain('the installed SDK is 8.2.0, this bundle was written for 8.1.0')
    expect(message).to.contain('package.json asks for "^8.1.0", not exactly "8.1.0"')
    expect(message).to.contain('adapt scripts/bundle-sdk.mjs')
  })

  it('refuses a missing file, a changed require in client.js, and a missing export or method', async () => {
    const {checkSdkInternals} = await bundler()
    expect(refusal(() => checkSdkInternals(sdk({'src/oauth.js': ''}), '8.1.0'))).to.contain('src/oauth.js is missing')
    const client =
      "const { ConfigLoader } = require('./config-loader');\nconst apis = " +
      "require('./generated/index.js');\nmodule.exports = Client;"
    const message = refusal(() => checkSdkInternals(sdk({'src/client.js': client}), '8.1.0'))
    expect(message).to.contain("src/client.js no longer contains require('./generated')")
    expect(message).to.contain('src/client.js no longer contains configLoader.applyDefaults();')
    const exports = refusal(() =>
      checkSdkInternals(
        sdk({
          'src/config-loader.js': 'module.exports.ConfigLoader = class { apply() {} }',
          'src/jwt.js': 'module.exports = {makeJwt() {}}',
        }),
        '8.1.0',
      ),
    )
    expect(exports).to.contain('src/config-loader.js export ConfigLoader has no method applyDefaults')
    expect(exports).to.contain('src/jwt.js export getPemAndJwk is not a function or class')
  })

  describe('the bundle', () => {
    let Client: any
    const saved = {...process.env}
    before(async function () {
      this.timeout(60_000)
      Client = createRequire(import.meta.url)(await (await bundler()).sdkBundleForSources()).Client
    })

    afterEach(() => {
      for (const name of ['OKTA_CLIENT_ORGURL', 'OKTA_CLIENT_TOKEN', 'OKTA_CLIENT_AUTHORIZATIONMODE']) {
        if (saved[name] === undefined) delete process.env[name]
        else process.env[name] = saved[name]
      }
    })

    it('reads no okta.yaml and no OKTA_CLIENT_* variable: only its constructor arguments', () => {
      const home = process.env.HOME!
      mkdirSync(join(home, '.okta'), {recursive: true})
      writeFileSync(join(home, '.okta', 'okta.yaml'), 'okta:\n  client: [this file is not even valid for the SDK\n')
      process.env.OKTA_CLIENT_ORGURL = 'https://env.okta.example'
      process.env.OKTA_CLIENT_TOKEN = 'token-from-env-0000'
      process.env.OKTA_CLIENT_AUTHORIZATIONMODE = 'PrivateKey'
      try {
        expect(() => new Client({cacheMiddleware: null})).to.throw('Okta Org URL not provided')
        const client = new Client({
          cacheMiddleware: null,
          orgUrl: 'https://args.okta.example/',
          token: 'token-from-args-000',
        })
        expect(client).to.include({
          apiToken: 'token-from-args-000',
          authorizationMode: 'SSWS',
          baseUrl: 'https://args.okta.example',
        })
      } finally {
        rmSync(join(home, '.okta'), {force: true, recursive: true})
      }
    })

    it('merges constructor settings as the SDK does: scopes as a list, a JWK object as JSON, a userAgent', () => {
      const jwk = {e: 'AQAB', kty: 'RSA', n: 'abc'}
      const client = new Client({
        authorizationMode: 'PrivateKey',
        cacheMiddleware: null,
        clientId: '0oaFake',
        orgUrl: 'https://args.okta.example',
        privateKey: jwk,
        scopes: ['okta.eventHooks.read', 'okta.logs.read'],
        userAgent: 'acme/1.0',
      })
      expect(client.scopes).to.deep.equal(['okta.eventHooks.read', 'okta.logs.read'])
      expect(client.privateKey).to.equal(JSON.stringify(jwk))
      expect(client.http.defaultHeaders['User-Agent']).to.match(/^acme\/1\.0 @okta\/okta-sdk-nodejs\/8\.1\.0 /)
    })
  })
})
