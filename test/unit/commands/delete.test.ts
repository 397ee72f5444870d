import {expect} from 'chai'
import nock from 'nock'

import Delete from '../../../src/commands/delete.js'
import {prompter} from '../../../src/lib/io/prompter.js'
import {hookFixture} from '../../fixtures/hooks/index.js'
import {ORG, orgEnv, runCommand} from '../../helpers/run-command.js'

const ID = 'who8vt36qfNpCGz9H1e6'
const inactive = (overrides = {}) => hookFixture({status: 'INACTIVE', ...overrides})
const FORBIDDEN = {
  errorCauses: [],
  errorCode: 'E0000006',
  errorSummary: 'You do not have permission to perform the requested action',
}

/** Pretends a person is at a terminal and answers the confirmation with `answer`; returns the questions asked. */
function atTerminal(answer: boolean): {asked: string[]; restore: () => void} {
  const asked: string[] = []
  const saved = {confirm: prompter.confirm, err: process.stderr.isTTY, in: process.stdin.isTTY}
  Object.defineProperty(process.stdin, 'isTTY', {configurable: true, value: true})
  Object.defineProperty(process.stderr, 'isTTY', {configurable: true, value: true})
  prompter.confirm = async (message: string) => {
    asked.push(message)
    return answer
  }

  return {
    asked,
    restore() {
      prompter.confirm = saved.confirm
      Object.defineProperty(process.stdin, 'isTTY', {configurable: true, value: saved.in})
      Object.defineProperty(process.stderr, 'isTTY', {configurable: true, value: saved.err})
    },
  }
}

describe('delete', () => {
  let terminal: ReturnType<typeof atTerminal> | undefined
  afterEach(() => {
    terminal?.restore()
    terminal = undefined
  })

  it('with --yes deletes an INACTIVE hook: one DELETE answered 204', async () => {
    const scope = nock(ORG)
      .get(`/api/v1/eventHooks/${ID}`)
      .reply(200, inactive())
      .delete(`/api/v1/eventHooks/${ID}`)
      .reply(204)
    const {error, exitCode, stdout} = await runCommand(Delete, [ID, '--yes'], {env: orgEnv})
    expect(error).to.equal(undefined)
    expect(exitCode).to.equal(0)
    expect(stdout).to.equal(`Deleted "User sync" (${ID}).\n`)
    scope.done()
  })

  it('deactivates an ACTIVE hook first and says so', async () => {
    const scope = nock(ORG)
      .get(`/api/v1/eventHooks/${ID}`)
      .reply(200, hookFixture())
      .post(`/api/v1/eventHooks/${ID}/lifecycle/deactivate`)
      .reply(200, inactive())
      .delete(`/api/v1/eventHooks/${ID}`)
      .reply(204)
    const {exitCode, stdout} = await runCommand(Delete, [ID, '--yes'], {env: orgEnv})
    expect(exitCode).to.equal(0)
    expect(stdout).to.equal(
      `Deactivated "User sync" (${ID}) first: Okta deletes only inactive hooks.\nDeleted "User sync" (${ID}).\n`,
    )
    scope.done()
  })

  it('--json --yes with several hooks: one document listing each deletion', async () => {
    const scope = nock(ORG)
      .get('/api/v1/eventHooks')
      .reply(200, [hookFixture(), inactive({id: 'whoSecond0001', name: 'B'})])
      .post(`/api/v1/eventHooks/${ID}/lifecycle/deactivate`)
      .reply(200, inactive())
      .delete(`/api/v1/eventHooks/${ID}`)
      .reply(204)
      .delete('/api/v1/eventHooks/whoSecond0001')
      .reply(204)
    const {exitCode, stderr, stdout} = await runCommand(Delete, ['User sync', 'B', '--yes', '--json'], {env: orgEnv})
    expect(exitCode).to.equal(0)
    expect(stderr).to.equal('')
    expect(JSON.parse(stdout)).to.deep.equal({
      results: [
        {deactivatedFirst: true, id: ID, name: 'User sync', status: 'DELETED'},
        {deactivatedFirst: false, id: 'whoSecond0001', name: 'B', status: 'DELETED'},
      ],
    })
    scope.done()
  })

  it('without a terminal and without --yes: exit 2 naming --yes, before any call to Okta', async () => {
    const {exitCode, stderr, stdout} = await runCommand(Delete, [ID], {env: orgEnv})
    expect(exitCode).to.equal(2)
    expect(stdout).to.equal('')
    expect(stderr).to.contain(`Error: Missing --yes: confirmation to delete "${ID}".`)
  })

  it('with --json and without --yes: a JSON usage error naming --yes', async () => {
    const {exitCode, stdout} = await runCommand(Delete, [ID, '--json'], {env: orgEnv})
    expect(exitCode).to.equal(2)
    const {error} = JSON.parse(stdout)
    expect(error).to.include({code: 'USAGE', exitCode: 2})
    expect(error.message).to.contain('--yes')
  })

  it('with CI set, even at a terminal, requires --yes', async () => {
    terminal = atTerminal(true)
    const {exitCode, stderr} = await runCommand(Delete, [ID], {env: {...orgEnv, CI: 'true'}})
    expect(exitCode).to.equal(2)
    expect(stderr).to.contain('Missing --yes')
    expect(terminal.asked).to.deep.equal([])
  })

  it('at a terminal asks, listing what will be deleted, and deletes on yes', async () => {
    terminal = atTerminal(true)
    const scope = nock(ORG)
      .get('/api/v1/eventHooks')
      .reply(200, [hookFixture(), inactive({id: 'whoSecond0001', name: 'B'})])
      .post(`/api/v1/eventHooks/${ID}/lifecycle/deactivate`)
      .reply(200, inactive())
      .delete(`/api/v1/eventHooks/${ID}`)
      .reply(204)
      .delete('/api/v1/eventHooks/whoSecond0001')
      .reply(204)
    const {exitCode, stdout} = await runCommand(Delete, [ID, 'B'], {env: orgEnv})
    expect(exitCode).to.equal(0)
    expect(terminal.asked).to.deep.equal([
      `Delete these 2 event hooks? This cannot be undone.\n  - "User sync" (${ID}) ` +
        `ACTIVE (will be deactivated first)\n  - "B" (whoSecond0001) INACTIVE\n`,
    ])
    expect(stdout).to.contain('Deleted "B" (whoSecond0001).')
    scope.done()
  })

  it('at a terminal, answering no deletes nothing: exit 2 "Cancelled"', async () => {
    terminal = atTerminal(false)
    const scope = nock(ORG).get(`/api/v1/eventHooks/${ID}`).reply(200, hookFixture())
    const {exitCode, stderr} = await runCommand(Delete, [ID], {env: orgEnv})
    expect(exitCode).to.equal(2)
    expect(stderr).to.contain('Cancelled: nothing was deleted.')
    expect(terminal.asked[0]).to.match(/^Delete this event hook\?/)
    scope.done()
  })

  it('a failure midway reports what was deleted, what was deactivated but not deleted, and what is untouched', async () => {
    const scope = nock(ORG)
      .get('/api/v1/eventHooks')
      .reply(200, [
        inactive({id: 'whoFirst00001', name: 'A'}),
        hookFixture({id: 'whoSecond0001', name: 'B'}),
        inactive({id: 'whoThird00001', name: 'C'}),
      ])
      .delete('/api/v1/eventHooks/whoFirst00001')
      .reply(204)
      .post('/api/v1/eventHooks/whoSecond0001/lifecycle/deactivate')
      .reply(200, inactive({id: 'whoSecond0001', name: 'B'}))
      .delete('/api/v1/eventHooks/whoSecond0001')
      .reply(403, FORBIDDEN)
    const {exitCode, stderr, stdout} = await runCommand(Delete, ['A', 'B', 'C', '--yes'], {env: orgEnv})
    expect(exitCode).to.equal(3)
    expect(stdout).to.equal(
      'Deleted "A" (whoFirst00001).\nDeactivated "B" (whoSecond0001) first: Okta deletes only inactive hooks.\n',
    )
    expect(stderr).to.contain(
      'Error: Deleting "B" (whoSecond0001) failed: Okta denied permission ' +
        '(403 on DELETE /api/v1/eventHooks/whoSecond0001)',
    )
    expect(stderr).to.contain('  Deleted: "A" (whoFirst00001)')
    expect(stderr).to.contain(
      '  Deactivated but NOT deleted (now INACTIVE; run delete again or activate it): "B" (whoSecond0001)',
    )
    expect(stderr).to.contain('  Untouched: "C" (whoThird00001)')
    scope.done()
  })

  it('under --json a failure midway is one JSON error whose details say where every hook stands', async () => {
    const scope = nock(ORG)
      .get('/api/v1/eventHooks')
      .reply(200, [inactive({id: 'whoFirst00001', name: 'A'}), hookFixture({id: 'whoSecond0001', name: 'B'})])
      .delete('/api/v1/eventHooks/whoFirst00001')
      .reply(204)
      .post('/api/v1/eventHooks/whoSecond0001/lifecycle/deactivate')
      .reply(403, FORBIDDEN)
    const {exitCode, stdout} = await runCommand(Delete, ['A', 'B', '--yes', '--json'], {env: orgEnv})
    expect(exitCode).to.equal(3)
    const {error} = JSON.parse(stdout)
    expect(error).to.include({code: 'E0000006', exitCode: 3})
    expect(error.message).to.match(/^Deactivating \(before deleting\) "B" \(whoSecond0001\) failed/)
    expect(error.details).to.deep.include({
      deactivatedNotDeleted: [],
      deleted: [{id: 'whoFirst00001', name: 'A'}],
      failed: {id: 'whoSecond0001', name: 'B'},
      untouched: [{id: 'whoSecond0001', name: 'B'}],
    })
    scope.done()
  })

  it('an ambiguous name changes nothing: exit 2 listing the ids', async () => {
    const scope = nock(ORG)
      .get('/api/v1/eventHooks')
      .reply(200, [inactive({id: 'whoDupe000001', name: 'Dupe'}), inactive({id: 'whoDupe000002', name: 'Dupe'})])
    const {exitCode, stderr} = await runCommand(Delete, ['Dupe', '--yes'], {env: orgEnv})
    expect(exitCode).to.equal(2)
    expect(stderr)
      .to.contain('The name "Dupe" matches 2 event hooks: whoDupe000001, whoDupe000002.')
      .and.contain('Use the hook id instead')
    scope.done()
  })

  it('a name that differs only in case deletes nothing: exit 4, the hook named as a suggestion', async () => {
    const scope = nock(ORG)
      .get('/api/v1/eventHooks')
      .reply(200, [inactive(), inactive({id: 'whoOther00001', name: 'Group audit'})])
    const {exitCode, json} = await runCommand(Delete, ['user sync', '--yes', '--json'], {env: orgEnv})
    expect(exitCode).to.equal(4)
    expect(json.error).to.deep.include({
      code: 'NOT_FOUND',
      message: 'No event hook has the id or name "user sync" (names match exactly, case included).',
    })
    expect(json.error.suggestions[0]).to.equal(`Did you mean "User sync" (${ID})?`)
    scope.done()
  })
})
