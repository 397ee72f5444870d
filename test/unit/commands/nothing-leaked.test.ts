/**
 * Nothing leaked, nothing sent where it should not go, through every command that takes a URL or a
 * secret: a URL with user:password@ is refused everywhere (exit 2, the password never echoed), plain
 * http goes to loopback only (not *.localhost, which DNS resolves), a hook whose URL carries a
 * password is shown masked and never delivered to, and a secret too short to redact is refused.
 */
import {expect} from 'chai'
import nock from 'nock'

import CheckEndpoint from '../../../src/commands/check-endpoint.js'
import Create from '../../../src/commands/create.js'
import DeliveriesReplay from '../../../src/commands/deliveries/replay.js'
import Get from '../../../src/commands/get.js'
import List from '../../../src/commands/list.js'
import Listen from '../../../src/commands/listen.js'
import Preview from '../../../src/commands/preview.js'
import Replay from '../../../src/commands/replay.js'
import SandboxEmit from '../../../src/commands/sandbox/emit.js'
import Update from '../../../src/commands/update.js'
import {sendRequest} from '../../../src/lib/delivery/http-delivery.js'
import {hookFixture} from '../../fixtures/hooks/index.js'
import {ORG, orgEnv, runCommand} from '../../helpers/run-command.js'
import {type Receiver, startReceiver} from '../../helpers/syslog-standin.js'

const HOOK_ID = 'who8vt36qfNpCGz9H1e6'
const PASSWORD = 'url-password-never-shown-31c7'
const WITH_PASSWORD = `https://svc:${PASSWORD}@hooks.example.com/okta`
const SECRET_ENV = {HOOK_SECRET: 'hook-secret-for-leak-tests-6a0d'}

const hookWithPassword = () => {
  const base = hookFixture()
  return hookFixture({channel: {...base.channel, config: {...base.channel.config, uri: WITH_PASSWORD}}})
}

describe('nothing leaked, nothing sent where it should not go', () => {
  let receiver: Receiver | undefined
  afterEach(async () => {
    await receiver?.close()
    receiver = undefined
  })

  describe('a URL with a user name or password is refused wherever a URL is accepted: exit 2, the password never shown', () => {
    const cases: [string, any, string[], Record<string, string>][] = [
      [
        'the org URL (list)',
        List,
        [],
        {
          OKTA_CLIENT_ORGURL: `https://admin:${PASSWORD}@test-org.okta.example`,
          OKTA_CLIENT_TOKEN: orgEnv.OKTA_CLIENT_TOKEN,
        },
      ],
      [
        '--org-url (sandbox emit)',
        SandboxEmit,
        ['user.lifecycle.create', '--org-url', `http://u:${PASSWORD}@127.0.0.1:9`],
        orgEnv,
      ],
      ['create --url', Create, ['--name', 'A', '--url', WITH_PASSWORD, '--event', 'user.lifecycle.create'], orgEnv],
      ['update --url', Update, [HOOK_ID, '--url', WITH_PASSWORD, '--remove-auth'], orgEnv],
      [
        'preview --to',
        Preview,
        ['--to', WITH_PASSWORD, '--sample', '--event-type', 'user.lifecycle.create', '--no-auth'],
        {},
      ],
      ['replay --to', Replay, [HOOK_ID, '--since', '1h', '--until', 'now', '--to', WITH_PASSWORD, '--no-auth'], orgEnv],
      ['listen --forward-to', Listen, ['--port', '0', '--forward-to', `http://app:${PASSWORD}@127.0.0.1:3000/`], {}],
      ['deliveries replay --to', DeliveriesReplay, ['last', '--to', `http://app:${PASSWORD}@127.0.0.1:3000/`], {}],
      ['check-endpoint', CheckEndpoint, [WITH_PASSWORD], {}],
    ]
    for (const [where, Cmd, argv, env] of cases) {
      it(where, async () => {
        // update and replay resolve the hook first; nothing else reaches Okta.
        const scope = nock(ORG).get(`/api/v1/eventHooks/${HOOK_ID}`).optionally().reply(200, hookFixture())
        const {exitCode, json, stderr, stdout} = await runCommand(Cmd, [...argv, '--json'], {
          env: {...env, ...SECRET_ENV},
        })
        expect(exitCode, stdout + stderr).to.equal(2)
        expect(json.error.message).to.contain('has a user name or password in it; okta-hooks refuses such URLs.')
        expect(stdout + stderr).not.to.contain(PASSWORD)
        scope.done()
      })
    }
  })

  it('list and get show a hook whose URL carries a password masked, in tables and in JSON', async () => {
    const scope = nock(ORG)
      .get('/api/v1/eventHooks')
      .twice()
      .reply(200, [hookWithPassword()])
      .get(`/api/v1/eventHooks/${HOOK_ID}`)
      .twice()
      .reply(200, hookWithPassword())
    for (const [Cmd, argv] of [
      [List, []],
      [List, ['--json']],
      [Get, [HOOK_ID]],
      [Get, [HOOK_ID, '--json']],
    ] as const) {
      const {exitCode, stderr, stdout} = await runCommand(Cmd, [...argv], {env: orgEnv})
      expect(exitCode, stderr).to.equal(0)
      expect(stdout).to.contain('https://****:****@hooks.example.com/okta')
      expect(stdout + stderr)
        .not.to.contain(PASSWORD)
        .and.not.to.contain('svc:')
    }

    scope.done()
  })

  it('preview --no-auth of a hook whose URL carries a password: refused, nothing sent (it used to go out as Basic auth)', async () => {
    const scope = nock(ORG).get(`/api/v1/eventHooks/${HOOK_ID}`).reply(200, hookWithPassword())
    const {exitCode, json, stdout} = await runCommand(Preview, [HOOK_ID, '--sample', '--no-auth', '--json'], {
      env: orgEnv,
    })
    expect(exitCode).to.equal(2)
    expect(json.error.message).to.equal(
      'The URL of the hook "User sync", https://****:****@hooks.example.com/okta has ' +
        'a user name or password in it; okta-hooks refuses such URLs.',
    )
    expect(stdout).not.to.contain(PASSWORD)
    scope.done()
  })

  it('a user:password@ that reaches the HTTP client anyway is never sent as Basic auth', async () => {
    receiver = await startReceiver()
    const url = new URL(receiver.url)
    url.username = 'svc'
    url.password = PASSWORD
    await sendRequest({body: '{}', headers: {'Content-Type': 'application/json'}, method: 'POST', url: url.toString()})
    expect(receiver.received).to.have.length(1)
    expect(receiver.received[0].headers.authorization).to.equal(undefined)
  })

  describe('plain http only to loopback: localhost, 127.0.0.0/8, ::1, never *.localhost (resolved through DNS)', () => {
    it('the org URL', async () => {
      const {exitCode, json} = await runCommand(List, ['--json'], {
        env: {...orgEnv, OKTA_CLIENT_ORGURL: 'http://org.localhost:8080'},
      })
      expect(exitCode).to.equal(2)
      expect(json.error.message).to.equal(
        'Refusing the plain-http org URL http://org.localhost:8080: credentials would cross the network unencrypted.',
      )
    })

    it('create --url and preview --to', async () => {
      const created = await runCommand(
        Create,
        ['--name', 'A', '--url', 'http://hooks.localhost/okta', '--event', 'user.lifecycle.create', '--json'],
        {env: orgEnv},
      )
      expect(created.exitCode).to.equal(2)
      expect(created.json.error.message).to.contain('--url http://hooks.localhost/okta must use https://')
      const previewed = await runCommand(
        Preview,
        ['--to', 'http://app.localhost:3000/', '--sample', '--event-type', 'user.lifecycle.create', '--json'],
        {env: {}},
      )
      expect(previewed.exitCode).to.equal(2)
      expect(previewed.json.error.message).to.contain('plain http is accepted only for localhost, 127.0.0.0/8 and ::1')
    })
  })

  describe(`a secret too short to be redacted is refused (exit 2) wherever one is given`, () => {
    it('an auth secret (preview), a Basic password (check-endpoint) and the API token (list)', async () => {
      const preview = await runCommand(
        Preview,
        [
          '--to',
          'http://127.0.0.1:9/',
          '--sample',
          '--event-type',
          'user.lifecycle.create',
          '--auth-secret-env',
          'S',
          '--json',
        ],
        {env: {S: 'abc'}},
      )
      expect(preview.exitCode).to.equal(2)
      expect(preview.json.error.message).to.equal(
        'The secret of the Authorization header is 3 characters long; okta-hooks needs at least 6.',
      )
      const basic = await runCommand(
        CheckEndpoint,
        ['http://127.0.0.1:9/', '--basic-auth-user', 'svc', '--auth-secret-env', 'S', '--json'],
        {env: {S: 'pw'}},
      )
      expect(basic.exitCode).to.equal(2)
      expect(basic.json.error.message).to.equal(
        'The password for svc is 2 characters long; okta-hooks needs at least 6.',
      )
      const token = await runCommand(List, ['--json'], {env: {...orgEnv, OKTA_CLIENT_TOKEN: 'tok'}})
      expect(token.exitCode).to.equal(2)
      expect(token.json.error.message).to.equal('The Okta API token is 3 characters long; okta-hooks needs at least 6.')
    })
  })
})
