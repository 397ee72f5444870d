import {expect} from 'chai'
import nock from 'nock'

import Get from '../../../src/commands/get.js'
import {hookFixture} from '../../fixtures/hooks/index.js'
import {ORG, orgEnv, runCommand} from '../../helpers/run-command.js'

const ID = 'who8vt36qfNpCGz9H1e6'

describe('get', () => {
  it('shows every field of a hook by id, header values masked', async () => {
    const scope = nock(ORG).get(`/api/v1/eventHooks/${ID}`).reply(200, hookFixture())
    const {error, exitCode, stdout} = await runCommand(Get, [ID], {env: orgEnv})
    expect(error).to.equal(undefined)
    expect(exitCode).to.equal(0)
    expect(stdout)
      .to.contain(`ID            ${ID}`)
      .and.contain('Name          User sync')
      .and.contain('Status        ACTIVE')
    expect(stdout)
      .to.contain('Headers       X-Other-Header: ****')
      .and.contain('Auth header   Authorization (secret write-only')
    expect(stdout).to.not.contain('some-other-value')
    scope.done()
  })

  it('--reveal-headers shows custom header values; --json is one document', async () => {
    const scope = nock(ORG).get('/api/v1/eventHooks').reply(200, [hookFixture()])
    const {exitCode, stdout} = await runCommand(Get, ['User sync', '--reveal-headers', '--json'], {env: orgEnv})
    expect(exitCode).to.equal(0)
    expect(JSON.parse(stdout).hook.channel.config.headers).to.deep.equal([
      {key: 'X-Other-Header', value: 'some-other-value'},
    ])
    scope.done()
  })

  it('an id that Okta does not know falls back to names, then exits 4 with suggestions', async () => {
    const scope = nock(ORG)
      .get('/api/v1/eventHooks/whoUserSync01')
      .reply(404, {
        errorCauses: [],
        errorCode: 'E0000007',
        errorSummary: 'Not found: Resource not found: whoUserSync01 (EventHook)',
      })
      .get('/api/v1/eventHooks')
      .reply(200, [hookFixture()])
    const {exitCode, stderr} = await runCommand(Get, ['whoUserSync01'], {env: orgEnv})
    expect(exitCode).to.equal(4)
    expect(stderr).to.contain('No event hook has the id or name "whoUserSync01".')
    expect(stderr).to.contain('Try: List the hooks with `okta-hooks list`')
    scope.done()
  })

  it('an unknown name suggests close names: exit 4', async () => {
    const scope = nock(ORG).get('/api/v1/eventHooks').reply(200, [hookFixture()])
    const {exitCode, json} = await runCommand(Get, ['User', '--json'], {env: orgEnv})
    expect(exitCode).to.equal(4)
    expect(json.error).to.include({code: 'NOT_FOUND', exitCode: 4})
    expect(json.error.suggestions[0]).to.equal(`Did you mean "User sync" (${ID})?`)
    scope.done()
  })

  it('an ambiguous name: exit 2 listing the ids', async () => {
    const scope = nock(ORG)
      .get('/api/v1/eventHooks')
      .reply(200, [hookFixture({id: 'whoDupe000001', name: 'Dupe'}), hookFixture({id: 'whoDupe000002', name: 'Dupe'})])
    const {exitCode, stderr} = await runCommand(Get, ['Dupe'], {env: orgEnv})
    expect(exitCode).to.equal(2)
    expect(stderr).to.contain('matches 2 event hooks: whoDupe000001, whoDupe000002')
    scope.done()
  })
})
