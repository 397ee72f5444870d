/**
 * What the transport makes of an org that does not answer as Okta's API does: an HTML page (the
 * Admin Console, a login page, a proxy's page) or JSON cut short is exit 6 naming the request and
 * the org URL, never an unexpected error (exit 1).
 */
import {expect} from 'chai'
import {generateKeyPairSync} from 'node:crypto'
import nock from 'nock'

import Get from '../../../../src/commands/get.js'
import List from '../../../../src/commands/list.js'
import Replay from '../../../../src/commands/replay.js'
import {hookFixture} from '../../../fixtures/hooks/index.js'
import {ORG, orgEnv, runCommand} from '../../../helpers/run-command.js'

const LOGIN_PAGE =
  '<!DOCTYPE html><html><head><title>Sign In</title></head><body><form action="/login">…</form></body></html>'
const HOOK_ID = 'who8vt36qfNpCGz9H1e6'

describe('okta/okta-sdk: answers that are not JSON', () => {
  it('a login page (200 text/html): exit 6 "is not JSON (text/html): is the org URL right?", under --json as the error document', async () => {
    const scope = nock(ORG)
      .get('/api/v1/eventHooks')
      .twice()
      .reply(200, LOGIN_PAGE, {'Content-Type': 'text/html; charset=utf-8'})
    const human = await runCommand(List, [], {env: orgEnv})
    expect(human.exitCode).to.equal(6)
    expect(human.stderr).to.contain(
      "Error: Okta's answer to GET /api/v1/eventHooks is not JSON (text/html): is the org URL right?",
    )
    expect(human.stderr).to.contain('not the Admin Console').and.not.contain('Unexpected')
    const json = await runCommand(List, ['--json'], {env: orgEnv})
    expect(json.exitCode).to.equal(6)
    expect(json.json.error).to.deep.include({
      code: 'NOT_JSON',
      details: {contentType: 'text/html', httpStatus: 200, request: 'GET /api/v1/eventHooks'},
      exitCode: 6,
    })
    scope.done()
  })

  it('JSON cut short (application/json): exit 6', async () => {
    const scope = nock(ORG)
      .get('/api/v1/eventHooks')
      .reply(200, '[{"id":"who1","name":"A"', {'Content-Type': 'application/json'})
    const {exitCode, json} = await runCommand(List, ['--json'], {env: orgEnv})
    expect(exitCode).to.equal(6)
    expect(json.error.message).to.equal(
      "Okta's answer to GET /api/v1/eventHooks is not JSON (application/json): is the org URL right?",
    )
    scope.done()
  })

  it('an HTML error page (404 from something that is not Okta): exit 6, not "not found"', async () => {
    const scope = nock(ORG)
      .get(`/api/v1/eventHooks/${HOOK_ID}`)
      .reply(404, '<html><body>Not Found</body></html>', {'Content-Type': 'text/html'})
    const {exitCode, json} = await runCommand(Get, [HOOK_ID, '--json'], {env: orgEnv})
    expect(exitCode).to.equal(6)
    expect(json.error.message).to.equal(
      "Okta's answer to GET /api/v1/eventHooks/who8vt36qfNpCGz9H1e6 (HTTP " +
        '404) is not JSON (text/html): is the org URL right?',
    )
    scope.done()
  })

  it('a System Log page read raw (replay) that is a page of HTML: exit 6', async () => {
    const base = hookFixture()
    const scope = nock(ORG)
      .get(`/api/v1/eventHooks/${HOOK_ID}`)
      .reply(200, hookFixture({channel: {...base.channel, config: {...base.channel.config, authScheme: null}}}))
      .get('/api/v1/logs')
      .query(true)
      .reply(200, LOGIN_PAGE, {'Content-Type': 'text/html'})
    const {exitCode, json} = await runCommand(Replay, [HOOK_ID, '--since', '2h', '--until', '1h', '--json'], {
      env: orgEnv,
    })
    expect(exitCode).to.equal(6)
    expect(json.error.message).to.equal(
      "Okta's answer to GET /api/v1/logs is not JSON (text/html): is the org URL right?",
    )
    scope.done()
  })

  it('an OAuth token endpoint that answers a page (PrivateKey mode): exit 6, not an OAuth refusal', async () => {
    const {privateKey} = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      privateKeyEncoding: {format: 'pem', type: 'pkcs8'},
      publicKeyEncoding: {format: 'pem', type: 'spki'},
    })
    const env = {
      OKTA_CLIENT_AUTHORIZATIONMODE: 'PrivateKey',
      OKTA_CLIENT_CLIENTID: '0oaFakeServiceApp01',
      OKTA_CLIENT_ORGURL: ORG,
      OKTA_CLIENT_PRIVATEKEY: privateKey,
    }
    const scope = nock(ORG).post('/oauth2/v1/token').reply(200, LOGIN_PAGE, {'Content-Type': 'text/html'})
    const {exitCode, json} = await runCommand(List, ['--json'], {env})
    expect(exitCode).to.equal(6)
    expect(json.error.message).to.equal(
      "Okta's answer to POST /oauth2/v1/token is not JSON (text/html): is the org URL right?",
    )
    scope.done()
  })
})
