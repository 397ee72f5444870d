import {expect} from 'chai'
import nock from 'nock'

import Deactivate from '../../../src/commands/deactivate.js'
import {hookFixture} from '../../fixtures/hooks/index.js'
import {ORG, orgEnv, runCommand} from '../../helpers/run-command.js'

const ID = 'who8vt36qfNpCGz9H1e6'

describe('deactivate', () => {
  it('deactivates an ACTIVE hook found by exact name', async () => {
    const scope = nock(ORG)
      .get('/api/v1/eventHooks')
      .reply(200, [hookFixture()])
      .post(`/api/v1/eventHooks/${ID}/lifecycle/deactivate`, (body) => body === '' || body === undefined)
      .reply(200, hookFixture({status: 'INACTIVE'}))
    const {error, exitCode, stdout} = await runCommand(Deactivate, ['User sync'], {env: orgEnv})
    expect(error).to.equal(undefined)
    expect(exitCode).to.equal(0)
    expect(stdout).to.equal(`Deactivated "User sync" (${ID}).\n`)
    scope.done()
  })

  it('a name that differs only in case is no match: exit 4 naming the hook, and nothing is deactivated', async () => {
    const scope = nock(ORG).get('/api/v1/eventHooks').reply(200, [hookFixture()])
    const {exitCode, json} = await runCommand(Deactivate, ['user SYNC', '--json'], {env: orgEnv})
    expect(exitCode).to.equal(4)
    expect(json.error.suggestions[0]).to.equal(`Did you mean "User sync" (${ID})?`)
    scope.done()
  })

  it('an already INACTIVE hook is not an error and no call is made', async () => {
    const scope = nock(ORG)
      .get('/api/v1/eventHooks')
      .reply(200, [hookFixture({status: 'INACTIVE'}), hookFixture({id: 'whoSecond0001', name: 'B'})])
      .post('/api/v1/eventHooks/whoSecond0001/lifecycle/deactivate')
      .reply(200, hookFixture({id: 'whoSecond0001', name: 'B', status: 'INACTIVE'}))
    const {exitCode, stdout} = await runCommand(Deactivate, [ID, 'B'], {env: orgEnv})
    expect(exitCode).to.equal(0)
    expect(stdout).to.equal(
      `"User sync" (${ID}) is already INACTIVE; nothing to do.\nDeactivated "B" (whoSecond0001).\n`,
    )
    scope.done()
  })

  it('gives the same hook twice: acts once', async () => {
    const scope = nock(ORG)
      .get('/api/v1/eventHooks')
      .reply(200, [hookFixture()])
      .post(`/api/v1/eventHooks/${ID}/lifecycle/deactivate`)
      .reply(200, hookFixture({status: 'INACTIVE'}))
    const {exitCode, stdout} = await runCommand(Deactivate, [ID, 'User sync', '--json'], {env: orgEnv})
    expect(exitCode).to.equal(0)
    expect(JSON.parse(stdout).results).to.have.length(1)
    scope.done()
  })
})
