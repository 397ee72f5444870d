/**
 * --debug shows every request and response on stderr with every secret masked: the raw secret
 * strings (API token, a hook's auth secret, cookies) never appear on stdout or stderr.
 */
import {expect} from 'chai'
import nock from 'nock'

import Deactivate from '../../../src/commands/deactivate.js'
import Get from '../../../src/commands/get.js'
import List from '../../../src/commands/list.js'
import Update from '../../../src/commands/update.js'
import Verify from '../../../src/commands/verify.js'
import {OktaCommand} from '../../../src/cli/okta-command.js'
import {EventHooksApi} from '../../../src/lib/hooks/event-hooks-api.js'
import type {EventHook} from '../../../src/lib/hooks/types.js'
import {hookFixture} from '../../fixtures/hooks/index.js'
import {ORG, orgEnv, runCommand, TEST_TOKEN} from '../../helpers/run-command.js'

const ID = 'who8vt36qfNpCGz9H1e6'
// Obviously fake, but long and unique enough that any leak is found by a plain substring search.
const HOOK_SECRET = 'fake-hook-secret-for-debug-test-7f3a9c'
const COOKIE = 'sid=fake-session-cookie-debug-test-19bd'

/** A command that sends a hook with an auth secret in its body, the way create and update do. */
class SendHook extends OktaCommand<typeof SendHook> {
  async run(): Promise<{hook: EventHook}> {
    const hook = hookFixture()
    const api = new EventHooksApi(await this.okta())
    await api.replace(ID, {
      channel: {
        ...hook.channel,
        config: {
          ...hook.channel.config,
          authScheme: {key: 'Authorization', type: 'HEADER', value: `Bearer ${HOOK_SECRET}`},
        },
      },
      description: hook.description,
      events: hook.events,
      name: hook.name,
    })
    return {hook}
  }
}

describe('--debug', () => {
  it('traces requests and responses on stderr with the token, the hook secret and cookies masked', async () => {
    const scope = nock(ORG, {reqheaders: {authorization: `SSWS ${TEST_TOKEN}`}})
      .put(`/api/v1/eventHooks/${ID}`, (body) => body.channel.config.authScheme.value === `Bearer ${HOOK_SECRET}`)
      .reply(200, hookFixture(), {'Set-Cookie': COOKIE, 'X-Rate-Limit-Remaining': '99'})
    const {exitCode, stderr, stdout} = await runCommand(SendHook, ['--debug', '--json'], {env: orgEnv})
    expect(exitCode).to.equal(0)
    expect(stderr).to.contain(`-> PUT ${ORG}/api/v1/eventHooks/${ID}`)
    expect(stderr).to.contain('Authorization: SSWS ****')
    expect(stderr).to.contain('"authScheme":{"key":"Authorization","type":"HEADER","value":"Bearer ****"}')
    expect(stderr).to.match(/<- 200 .*\(\d+ ms\)/)
    expect(stderr).to.contain('set-cookie: ****').and.contain('x-rate-limit-remaining: 99')
    for (const secret of [TEST_TOKEN, HOOK_SECRET, COOKIE, 'fake-session-cookie']) {
      expect(stderr, `stderr leaks ${secret}`).to.not.contain(secret)
      expect(stdout, `stdout leaks ${secret}`).to.not.contain(secret)
    }

    expect(JSON.parse(stdout).hook.id).to.equal(ID)
    scope.done()
  })

  it('list --debug: an auth secret echoed back in a response is masked too, and stdout stays one JSON document', async () => {
    const echoed = hookFixture()
    echoed.channel.config.authScheme = {key: 'Authorization', type: 'HEADER', value: HOOK_SECRET}
    const scope = nock(ORG).get('/api/v1/eventHooks').reply(200, [echoed])
    const {exitCode, stderr, stdout} = await runCommand(List, ['--debug', '--json'], {env: orgEnv})
    expect(exitCode).to.equal(0)
    expect(stderr).to.contain(`-> GET ${ORG}/api/v1/eventHooks`).and.contain('Authorization: SSWS ****')
    expect(stderr).to.contain('"value":"****"')
    expect(JSON.parse(stdout).hooks).to.have.length(1)
    for (const secret of [TEST_TOKEN, HOOK_SECRET]) {
      expect(stderr).to.not.contain(secret)
      expect(stdout).to.not.contain(secret)
    }

    scope.done()
  })

  it('masks custom header values in every trace exactly as get does, in what Okta returns and in what is sent', async () => {
    const API_KEY = 'fake-x-api-key-value-debug-4b2e'
    const TENANT = 'tenant-value-debug-9c1f'
    const withHeaders = hookFixture()
    withHeaders.channel.config.headers = [
      {key: 'X-Api-Key', value: API_KEY},
      {key: 'X-Tenant', value: TENANT},
    ]
    const inactive = {...withHeaders, status: 'INACTIVE' as const}
    const scope = nock(ORG)
      .get('/api/v1/eventHooks')
      .reply(200, [withHeaders])
      .get(`/api/v1/eventHooks/${ID}`)
      .times(4)
      .reply(200, withHeaders)
      .post(`/api/v1/eventHooks/${ID}/lifecycle/deactivate`)
      .reply(200, inactive)
      .post(`/api/v1/eventHooks/${ID}/lifecycle/verify`)
      .reply(200, withHeaders)
      .put(`/api/v1/eventHooks/${ID}`, (body) => body.channel.config.headers.some((h: any) => h.value === API_KEY))
      .reply(200, withHeaders)
    for (const [Cmd, argv] of [
      [List, []],
      [Get, [ID]],
      [Deactivate, [ID]],
      [Verify, [ID]],
      [Update, [ID, '--description', 'new', '--remove-auth']],
    ] as const) {
      const {exitCode, stderr, stdout} = await runCommand(Cmd, [...argv, '--debug', '--json'], {env: orgEnv})
      expect(exitCode, `${Cmd.name}: ${stderr}`).to.equal(0)
      expect(stderr, Cmd.name).to.contain('{"key":"X-Api-Key","value":"****"},{"key":"X-Tenant","value":"****"}')
      for (const value of [API_KEY, TENANT]) expect(stderr + stdout, `${Cmd.name} leaks ${value}`).not.to.contain(value)
    }

    scope.done()
  })

  it('without --debug nothing is traced', async () => {
    const scope = nock(ORG).get('/api/v1/eventHooks').reply(200, [])
    const {exitCode, stderr} = await runCommand(List, [], {env: orgEnv})
    expect(exitCode).to.equal(0)
    expect(stderr, 'only the note that nothing matched, no trace').to.equal('No event hooks match.\n')
    scope.done()
  })
})
