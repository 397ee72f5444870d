import {expect} from 'chai'
import {generateKeyPairSync} from 'node:crypto'
import {mkdirSync, mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import nock from 'nock'

import List from '../../../../src/commands/list.js'
import {CliError} from '../../../../src/lib/errors.js'
import {checkOrgUrl, resolveConnection} from '../../../../src/lib/okta/connection.js'
import {ORG, runCommand} from '../../../helpers/run-command.js'

function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `okta-hooks-${prefix}-`))
}

function oktaYaml(dir: string, client: Record<string, string>): void {
  const lines = ['okta:', '  client:', ...Object.entries(client).map(([key, value]) => `    ${key}: "${value}"`)]
  writeFileSync(join(dir, 'okta.yaml'), lines.join('\n') + '\n')
}

/** A home with ~/.okta/okta.yaml and a working directory with ./okta.yaml. */
function layout(
  home: Record<string, string> | undefined,
  cwd: Record<string, string> | undefined,
): {cwd: string; home: string} {
  const dirs = {cwd: tempDir('cwd'), home: tempDir('home')}
  if (home) {
    mkdirSync(join(dirs.home, '.okta'))
    oktaYaml(join(dirs.home, '.okta'), home)
  }

  if (cwd) oktaYaml(dirs.cwd, cwd)
  return dirs
}

async function rejection(promise: Promise<unknown>): Promise<CliError> {
  try {
    await promise
  } catch (error) {
    expect(error).to.be.instanceOf(CliError)
    return error as CliError
  }

  throw new Error('expected a rejection')
}

describe('resolveConnection', () => {
  describe('precedence: ~/.okta/okta.yaml < ./okta.yaml < environment < flags', () => {
    const HOME = {orgUrl: 'https://home.okta.example', token: 'token-from-home-yaml'}
    const CWD = {orgUrl: 'https://cwd.okta.example', token: 'token-from-cwd-yaml'}
    const ENV = {OKTA_CLIENT_ORGURL: 'https://env.okta.example', OKTA_CLIENT_TOKEN: 'token-from-env'}

    it('~/.okta/okta.yaml alone', async () => {
      const dirs = layout(HOME, undefined)
      const settings = await resolveConnection({...dirs, env: {}})
      expect(settings).to.deep.include({
        authorizationMode: 'SSWS',
        orgUrl: 'https://home.okta.example',
        token: 'token-from-home-yaml',
      })
      expect(settings.sources).to.deep.equal({
        orgUrl: join(dirs.home, '.okta', 'okta.yaml'),
        token: join(dirs.home, '.okta', 'okta.yaml'),
      })
    })

    it('./okta.yaml beats ~/.okta/okta.yaml, key by key', async () => {
      const dirs = layout(HOME, {orgUrl: CWD.orgUrl})
      const settings = await resolveConnection({...dirs, env: {}})
      expect(settings).to.deep.include({orgUrl: 'https://cwd.okta.example', token: 'token-from-home-yaml'})
      expect(settings.sources.orgUrl).to.equal(join(dirs.cwd, 'okta.yaml'))
    })

    it('the environment beats both files', async () => {
      const dirs = layout(HOME, CWD)
      const settings = await resolveConnection({...dirs, env: ENV})
      expect(settings).to.deep.include({orgUrl: 'https://env.okta.example', token: 'token-from-env'})
      expect(settings.sources).to.deep.equal({orgUrl: 'OKTA_CLIENT_ORGURL', token: 'OKTA_CLIENT_TOKEN'})
    })

    it('flags and --token-stdin beat the environment', async () => {
      const dirs = layout(HOME, CWD)
      const settings = await resolveConnection({
        ...dirs,
        env: ENV,
        orgUrl: 'https://flag.okta.example/',
        token: 'token-from-stdin',
      })
      expect(settings).to.deep.include({orgUrl: 'https://flag.okta.example', token: 'token-from-stdin'})
      expect(settings.sources).to.deep.equal({orgUrl: '--org-url', token: '--token-stdin'})
    })

    it('an empty environment variable does not hide a file value', async () => {
      const dirs = layout(undefined, CWD)
      const settings = await resolveConnection({...dirs, env: {OKTA_CLIENT_TOKEN: ''}})
      expect(settings.token).to.equal('token-from-cwd-yaml')
    })

    it('reads scopes as a YAML list and defaults them for PrivateKey mode', async () => {
      const dirs = layout(undefined, undefined)
      writeFileSync(
        join(dirs.cwd, 'okta.yaml'),
        'okta:\n  client:\n    orgUrl: https://cwd.okta.example\n    authorizationMode: ' +
          'PrivateKey\n    clientId: 0oaFakeClient\n    privateKey: "not-checked-here"\n    ' +
          'scopes:\n      - okta.eventHooks.read\n      - okta.logs.read\n',
      )
      const settings = await resolveConnection({...dirs, env: {}})
      expect(settings).to.deep.include({authorizationMode: 'PrivateKey', clientId: '0oaFakeClient', token: undefined})
      expect(settings.scopes).to.deep.equal(['okta.eventHooks.read', 'okta.logs.read'])
      const defaults = await resolveConnection({
        ...layout(undefined, undefined),
        env: {OKTA_CLIENT_CLIENTID: 'c', OKTA_CLIENT_ORGURL: ORG, OKTA_CLIENT_PRIVATEKEY: 'k'},
      })
      expect(defaults.authorizationMode).to.equal('PrivateKey')
      expect(defaults.scopes).to.deep.equal(['okta.eventHooks.read', 'okta.eventHooks.manage', 'okta.logs.read'])
    })

    it('reads every okta.client key the Okta SDK reads: a JWK object, a number, a userAgent', async () => {
      const dirs = layout(undefined, undefined)
      writeFileSync(
        join(dirs.cwd, 'okta.yaml'),
        [
          'okta:',
          '  client:',
          '    orgUrl: https://cwd.okta.example/',
          '    authorizationMode: PrivateKey',
          '    clientId: 0oaFakeClient',
          '    keyId: 12345',
          '    scopes: okta.eventHooks.read okta.logs.read',
          '    userAgent: acme-ops/2.0',
          '    privateKey:',
          '      kty: RSA',
          '      n: abc',
          '      e: AQAB',
          '  testing:',
          '    disableHttpsCheck: true',
          '',
        ].join('\n'),
      )
      const settings = await resolveConnection({...dirs, env: {}})
      expect(settings).to.deep.include({
        authorizationMode: 'PrivateKey',
        clientId: '0oaFakeClient',
        keyId: '12345',
        orgUrl: 'https://cwd.okta.example',
        privateKey: '{"kty":"RSA","n":"abc","e":"AQAB"}',
        userAgent: 'acme-ops/2.0',
      })
      expect(settings.scopes).to.deep.equal(['okta.eventHooks.read', 'okta.logs.read'])
      const fromEnv = await resolveConnection({...dirs, env: {OKTA_CLIENT_USERAGENT: 'ci-bot/1'}})
      expect(fromEnv.userAgent).to.equal('ci-bot/1')
      expect(fromEnv.sources.userAgent).to.equal('OKTA_CLIENT_USERAGENT')
    })

    it('an empty okta.yaml, or one with other keys only, sets nothing', async () => {
      const dirs = layout(undefined, undefined)
      for (const text of ['', '# nothing yet\n', 'okta:\n', 'okta:\n  testing:\n    disableHttpsCheck: false\n']) {
        writeFileSync(join(dirs.cwd, 'okta.yaml'), text)
        const settings = await resolveConnection({
          ...dirs,
          env: {OKTA_CLIENT_ORGURL: ORG, OKTA_CLIENT_TOKEN: 'token-from-env'},
        })
        expect(settings.sources, JSON.stringify(text)).to.deep.equal({
          orgUrl: 'OKTA_CLIENT_ORGURL',
          token: 'OKTA_CLIENT_TOKEN',
        })
      }
    })

    it('a broken okta.yaml is a usage error naming the file, the line and the column', async () => {
      const dirs = layout(undefined, undefined)
      const file = join(dirs.cwd, 'okta.yaml')
      writeFileSync(file, 'okta:\n  client:\n    orgUrl: https://cwd.okta.example\n   token: [unclosed\n')
      const error = await rejection(resolveConnection({...dirs, env: {OKTA_CLIENT_TOKEN: 'token-from-env'}}))
      expect(error.exitCode).to.equal(2)
      expect(error.message).to.match(
        new RegExp(`^${file} is not valid YAML: line 4, column 1: All mapping items must start at the same column$`),
      )
      expect(error.suggestions[0]).to.contain('Fix or remove that file')
    })

    it('an okta.yaml whose okta.client is not a mapping is a usage error naming the file', async () => {
      const dirs = layout(undefined, undefined)
      const file = join(dirs.cwd, 'okta.yaml')
      for (const text of ['- a list\n', 'okta: just text\n', 'okta:\n  client: [orgUrl]\n']) {
        writeFileSync(file, text)
        const error = await rejection(resolveConnection({...dirs, env: {}}))
        expect(error.exitCode, text).to.equal(2)
        expect(error.message).to.equal(`${file} is not an okta.yaml: okta.client must be a mapping of settings.`)
      }
    })

    it('an okta.yaml that cannot be read is a usage error naming the file', async () => {
      const dirs = layout(undefined, undefined)
      mkdirSync(join(dirs.cwd, 'okta.yaml'))
      const error = await rejection(resolveConnection({...dirs, env: {}}))
      expect(error.exitCode).to.equal(2)
      expect(error.message).to.match(new RegExp(`^Cannot read ${join(dirs.cwd, 'okta.yaml')}: EISDIR`))
    })
  })

  describe('org URL', () => {
    it('refuses http:// for a non-loopback host: exit 2 with a clear reason', async () => {
      const error = await rejection(
        resolveConnection({
          ...layout(undefined, undefined),
          env: {OKTA_CLIENT_TOKEN: 't0ken'},
          orgUrl: 'http://acme.okta.com',
        }),
      )
      expect(error.exitCode).to.equal(2)
      expect(error.message).to.equal(
        'Refusing the plain-http org URL http://acme.okta.com: credentials would cross the network unencrypted.',
      )
      expect(error.suggestions[0]).to.contain('plain http is accepted only for loopback hosts')
    })

    it('accepts http:// for loopback hosts (local stand-ins)', () => {
      expect(checkOrgUrl('http://127.0.0.1:8080')).to.equal('http://127.0.0.1:8080')
      expect(checkOrgUrl('http://localhost:3000/')).to.equal('http://localhost:3000')
      expect(checkOrgUrl('http://[::1]:3000')).to.equal('http://[::1]:3000')
    })

    it('refuses a missing URL, a non-URL, another scheme and a path', () => {
      const cases: [string | undefined, RegExp][] = [
        [undefined, /^No Okta org URL given\.$/],
        ['acme.okta.com', /is not a valid https URL/],
        ['ftp://acme.okta.com', /is not a valid https URL/],
        ['https://acme.okta.com/oauth2/default', /must not have a path \(got \/oauth2\/default\)/],
      ]
      for (const [value, message] of cases) {
        let error: CliError | undefined
        try {
          checkOrgUrl(value)
        } catch (error_) {
          error = error_ as CliError
        }

        expect(error?.exitCode, String(value)).to.equal(2)
        expect(error?.message).to.match(message)
      }
    })
  })

  describe('missing credentials', () => {
    it('no token: exit 3 naming every place a token can come from', async () => {
      const error = await rejection(
        resolveConnection({...layout(undefined, undefined), env: {OKTA_CLIENT_ORGURL: ORG}}),
      )
      expect(error).to.include({code: 'CREDENTIALS_MISSING', exitCode: 3, message: 'No Okta API token found.'})
      const advice = error.suggestions.join('\n')
      for (const where of [
        'OKTA_CLIENT_TOKEN',
        '--token-stdin',
        './okta.yaml',
        '~/.okta/okta.yaml',
        'PrivateKey',
        'Security > API > Tokens',
      ]) {
        expect(advice).to.contain(where)
      }
    })

    it('PrivateKey mode without client id and key: one message naming both', async () => {
      const error = await rejection(
        resolveConnection({
          ...layout(undefined, undefined),
          env: {OKTA_CLIENT_AUTHORIZATIONMODE: 'PrivateKey', OKTA_CLIENT_ORGURL: ORG},
        }),
      )
      expect(error.exitCode).to.equal(3)
      expect(error.message).to.equal(
        'OAuth (PrivateKey) mode needs the client id (--client-id or OKTA_CLIENT_CLIENTID) and the ' +
          'private key (--private-key-file or OKTA_CLIENT_PRIVATEKEY, PEM or JWK).',
      )
    })

    it('an unknown authorization mode is a usage error', async () => {
      const error = await rejection(
        resolveConnection({
          ...layout(undefined, undefined),
          env: {OKTA_CLIENT_AUTHORIZATIONMODE: 'Basic', OKTA_CLIENT_ORGURL: ORG},
        }),
      )
      expect(error.exitCode).to.equal(2)
      expect(error.message).to.equal('Unknown authorization mode "Basic".')
    })

    it('an unreadable --private-key-file is a usage error naming the file', async () => {
      const missing = join(tempDir('nokey'), 'missing.pem')
      const error = await rejection(
        resolveConnection({
          ...layout(undefined, undefined),
          clientId: 'c',
          env: {OKTA_CLIENT_ORGURL: ORG},
          privateKeyFile: missing,
        }),
      )
      expect(error.exitCode).to.equal(2)
      expect(error.message).to.contain(`Cannot read the private key file ${missing}`)
    })
  })
})

describe('OAuth service app (PrivateKey mode) end to end', () => {
  const {privateKey} = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: {format: 'pem', type: 'pkcs8'},
    publicKeyEncoding: {format: 'pem', type: 'spki'},
  })
  const env = {
    OKTA_CLIENT_AUTHORIZATIONMODE: 'PrivateKey',
    OKTA_CLIENT_CLIENTID: '0oaFakeServiceApp01',
    OKTA_CLIENT_KEYID: 'fake-kid-1',
    OKTA_CLIENT_ORGURL: ORG,
    OKTA_CLIENT_PRIVATEKEY: privateKey,
  }
  const ACCESS_TOKEN = 'fake-access-token-for-private-key-test-5e1d'

  it("a token endpoint refusal shows Okta's real OAuth error with exit 3, not a misleading 401", async () => {
    const scope = nock(ORG)
      .post(
        '/oauth2/v1/token',
        (body) =>
          body.grant_type === 'client_credentials' &&
          body.scope === 'okta.eventHooks.read okta.eventHooks.manage okta.logs.read' &&
          body.client_assertion_type === 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer' &&
          typeof body.client_assertion === 'string',
      )
      .reply(401, {error: 'invalid_client', error_description: 'The client_assertion signature is invalid.'})
    const {exitCode, stderr, stdout} = await runCommand(List, [], {env})
    expect(exitCode).to.equal(3)
    expect(stdout).to.equal('')
    expect(stderr).to.contain(
      "Error: Okta's OAuth token endpoint refused the service app: " +
        'invalid_client: The client_assertion signature is invalid.',
    )
    expect(stderr).to.contain('Check the client id, the private key and its key id (kid)')
    expect(stderr).to.not.contain('E0000011').and.not.contain('Bearer undefined')
    expect(stderr).to.not.contain('BEGIN PRIVATE KEY')
    scope.done()
  })

  it("the client_assertion is a secret before it is sent: an echo of it in the token endpoint's answer is masked", async () => {
    let assertion = ''
    const scope = nock(ORG)
      .post('/oauth2/v1/token')
      .reply(400, (_uri, body) => {
        assertion = new URLSearchParams(String(body)).get('client_assertion') ?? ''
        return {error: 'invalid_client', error_description: `Rejected client_assertion ${assertion}`}
      })
    const {exitCode, stderr, stdout} = await runCommand(List, ['--debug', '--json'], {env})
    expect(exitCode).to.equal(3)
    expect(assertion).to.match(/^ey[\w-]+\.[\w-]+\.[\w-]+$/)
    expect(JSON.parse(stdout).error.message).to.equal(
      "Okta's OAuth token endpoint refused the service app: invalid_client: Rejected client_assertion ****",
    )
    expect(stderr + stdout).not.to.contain(assertion)
    expect(stderr).to.contain('client_assertion=****')
    scope.done()
  })

  it('under --json the OAuth error is one JSON document with code invalid_client', async () => {
    const scope = nock(ORG)
      .post('/oauth2/v1/token')
      .reply(401, {error: 'invalid_client', error_description: 'The client_assertion signature is invalid.'})
    const {exitCode, stdout} = await runCommand(List, ['--json'], {env})
    expect(exitCode).to.equal(3)
    expect(JSON.parse(stdout).error).to.include({code: 'invalid_client', exitCode: 3})
    scope.done()
  })

  it('a token from the token endpoint is sent as Authorization: Bearer, and --debug masks it', async () => {
    const scope = nock(ORG)
      .post('/oauth2/v1/token')
      .reply(200, {
        access_token: ACCESS_TOKEN,
        expires_in: 3600,
        scope: 'okta.eventHooks.read okta.eventHooks.manage okta.logs.read',
        token_type: 'Bearer',
      })
      .get('/api/v1/eventHooks')
      .matchHeader('authorization', `Bearer ${ACCESS_TOKEN}`)
      .reply(200, [])
    const {exitCode, stderr, stdout} = await runCommand(List, ['--debug'], {env})
    expect(exitCode).to.equal(0)
    expect(stdout).to.equal('')
    expect(stderr)
      .to.contain('No event hooks match.')
      .and.contain(`-> POST ${ORG}/oauth2/v1/token`)
      .and.contain('Authorization: Bearer ****')
    expect(stderr).to.contain('client_assertion=****')
    expect(stderr).to.not.contain(ACCESS_TOKEN)
    expect(stderr).to.not.contain('BEGIN PRIVATE KEY')
    scope.done()
  })
})
