import {expect} from 'chai'
import nock from 'nock'

import Activate from '../../../src/commands/activate.js'
import {hookFixture} from '../../fixtures/hooks/index.js'
import {ORG, orgEnv, runCommand, TEST_TOKEN} from '../../helpers/run-command.js'

const ID = 'who8vt36qfNpCGz9H1e6'
const inactive = (overrides = {}) => hookFixture({status: 'INACTIVE', ...overrides})

describe('activate', () => {
  it('activates an INACTIVE hook by id with an empty POST to lifecycle/activate', async () => {
    const scope = nock(ORG, {reqheaders: {authorization: `SSWS ${TEST_TOKEN}`}})
      .get(`/api/v1/eventHooks/${ID}`)
      .reply(200, inactive())
      .post(`/api/v1/eventHooks/${ID}/lifecycle/activate`, (body) => body === '' || body === undefined)
      .reply(200, hookFixture())
    const {error, exitCode, stdout} = await runCommand(Activate, [ID], {env: orgEnv})
    expect(error).to.equal(undefined)
    expect(exitCode).to.equal(0)
    expect(stdout).to.equal(`Activated "User sync" (${ID}).\n`)
    scope.done()
  })

  it('reports an already ACTIVE hook without calling activate, and --json has changed: false', async () => {
    const scope = nock(ORG).get(`/api/v1/eventHooks/${ID}`).reply(200, hookFixture())
    const {exitCode, json, stderr, stdout} = await runCommand(Activate, [ID, '--json'], {env: orgEnv})
    expect(exitCode).to.equal(0)
    expect(stderr).to.equal('')
    expect(JSON.parse(stdout)).to.deep.equal({results: [{changed: false, id: ID, name: 'User sync', status: 'ACTIVE'}]})
    expect(json).to.not.equal(undefined)
    scope.done()
  })

  it('says "already ACTIVE" in human output', async () => {
    const scope = nock(ORG).get(`/api/v1/eventHooks/${ID}`).reply(200, hookFixture())
    const {exitCode, stdout} = await runCommand(Activate, [ID], {env: orgEnv})
    expect(exitCode).to.equal(0)
    expect(stdout).to.contain('is already ACTIVE; nothing to do.')
    scope.done()
  })

  it('takes several hooks by exact name with one list call, each reported', async () => {
    const scope = nock(ORG)
      .get('/api/v1/eventHooks')
      .reply(200, [
        hookFixture(),
        inactive({id: 'whoSecond0001', name: 'Group audit'}),
        inactive({id: 'whoThird00001', name: 'Third'}),
      ])
      .post('/api/v1/eventHooks/whoSecond0001/lifecycle/activate')
      .reply(200, hookFixture({id: 'whoSecond0001', name: 'Group audit'}))
      .post('/api/v1/eventHooks/whoThird00001/lifecycle/activate')
      .reply(200, hookFixture({id: 'whoThird00001', name: 'Third'}))
    const {exitCode, stdout} = await runCommand(Activate, ['User sync', 'Group audit', 'whoThird00001', '--json'], {
      env: orgEnv,
    })
    expect(exitCode).to.equal(0)
    expect(JSON.parse(stdout)).to.deep.equal({
      results: [
        {changed: false, id: ID, name: 'User sync', status: 'ACTIVE'},
        {changed: true, id: 'whoSecond0001', name: 'Group audit', status: 'ACTIVE'},
        {changed: true, id: 'whoThird00001', name: 'Third', status: 'ACTIVE'},
      ],
    })
    scope.done()
  })

  it('changes nothing when one of several names matches no hook: exit 4 with a suggestion', async () => {
    const scope = nock(ORG)
      .get('/api/v1/eventHooks')
      .reply(200, [inactive(), inactive({id: 'whoSecond0001', name: 'Group audit'})])
    const {exitCode, stderr, stdout} = await runCommand(Activate, ['User sync', 'Group audi'], {env: orgEnv})
    expect(exitCode).to.equal(4)
    expect(stdout).to.equal('')
    expect(stderr)
      .to.contain('No event hook has the id or name "Group audi".')
      .and.contain('Did you mean "Group audit" (whoSecond0001)?')
    scope.done()
  })

  it('refuses an ambiguous name with exit 2, listing the ids', async () => {
    const scope = nock(ORG)
      .get('/api/v1/eventHooks')
      .reply(200, [inactive({id: 'whoDupe000001', name: 'Dupe'}), inactive({id: 'whoDupe000002', name: 'Dupe'})])
    const {exitCode, json, stdout} = await runCommand(Activate, ['Dupe', '--json'], {env: orgEnv})
    expect(exitCode).to.equal(2)
    expect(JSON.parse(stdout)).to.deep.equal(json)
    expect(json.error.message).to.equal('The name "Dupe" matches 2 event hooks: whoDupe000001, whoDupe000002.')
    expect(json.error.suggestions).to.deep.equal(['Use the hook id instead'])
    scope.done()
  })

  it('stops at the first failure and reports which hooks were activated and which not attempted', async () => {
    const scope = nock(ORG)
      .get('/api/v1/eventHooks')
      .reply(200, [
        inactive({id: 'whoFirst00001', name: 'A'}),
        inactive({id: 'whoSecond0001', name: 'B'}),
        inactive({id: 'whoThird00001', name: 'C'}),
      ])
      .post('/api/v1/eventHooks/whoFirst00001/lifecycle/activate')
      .reply(200, hookFixture({id: 'whoFirst00001', name: 'A'}))
      .post('/api/v1/eventHooks/whoSecond0001/lifecycle/activate')
      .reply(403, {
        errorCauses: [],
        errorCode: 'E0000006',
        errorSummary: 'You do not have permission to perform the requested action',
      })
    const {exitCode, stderr, stdout} = await runCommand(Activate, ['A', 'B', 'C'], {env: orgEnv})
    expect(exitCode).to.equal(3)
    expect(stdout).to.equal('Activated "A" (whoFirst00001).\n')
    expect(stderr).to.contain(
      'Activating "B" (whoSecond0001) failed: Okta denied permission (403 on ' +
        'POST /api/v1/eventHooks/whoSecond0001/lifecycle/activate)',
    )
    expect(stderr).to.contain('  Activated: "A" (whoFirst00001)')
    expect(stderr).to.contain('  Not changed (this one failed): "B" (whoSecond0001)')
    expect(stderr).to.contain('  Not attempted: "C" (whoThird00001)')
    scope.done()
  })

  it('under --json, a failure midway is one JSON error with what was done in details', async () => {
    const scope = nock(ORG)
      .get('/api/v1/eventHooks')
      .reply(200, [inactive({id: 'whoFirst00001', name: 'A'}), inactive({id: 'whoSecond0001', name: 'B'})])
      .post('/api/v1/eventHooks/whoFirst00001/lifecycle/activate')
      .reply(200, hookFixture({id: 'whoFirst00001', name: 'A'}))
      .post('/api/v1/eventHooks/whoSecond0001/lifecycle/activate')
      .reply(404, {
        errorCauses: [],
        errorCode: 'E0000007',
        errorSummary: 'Not found: Resource not found: whoSecond0001 (EventHook)',
      })
    const {exitCode, stdout} = await runCommand(Activate, ['A', 'B', '--json'], {env: orgEnv})
    expect(exitCode).to.equal(4)
    const doc = JSON.parse(stdout)
    expect(doc.error).to.include({code: 'E0000007', exitCode: 4})
    expect(doc.error.details).to.deep.include({
      failed: {id: 'whoSecond0001', name: 'B'},
      results: [{changed: true, id: 'whoFirst00001', name: 'A', status: 'ACTIVE'}],
      untouched: [],
    })
    scope.done()
  })

  it('needs at least one hook: exit 2', async () => {
    const {exitCode, stderr} = await runCommand(Activate, [], {env: orgEnv})
    expect(exitCode).to.equal(2)
    expect(stderr).to.contain('Missing 1 required arg')
  })
})
