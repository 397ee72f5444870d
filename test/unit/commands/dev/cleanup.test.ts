import {expect} from 'chai'
import nock from 'nock'

import DevCleanup from '../../../../src/commands/dev/cleanup.js'
import {DEV_HOOK_DESCRIPTION, defaultDevHookName} from '../../../../src/lib/dev-loop/dev-hook.js'
import {prompter} from '../../../../src/lib/io/prompter.js'
import {hookFixture} from '../../../fixtures/hooks/index.js'
import {ORG, orgEnv, runCommand} from '../../../helpers/run-command.js'

const HOOKS = '/api/v1/eventHooks'
const MINE = hookFixture({description: DEV_HOOK_DESCRIPTION, id: 'whoMine0000000000001', name: defaultDevHookName()})
const THEIRS = hookFixture({
  description: DEV_HOOK_DESCRIPTION,
  id: 'whoTheirs00000000001',
  name: 'okta-hooks dev kim@laptop',
  status: 'INACTIVE',
})
// Not a dev hook, whatever its name: never touched.
const LOOKALIKE = hookFixture({description: 'Production sync', id: 'whoProd0000000000001', name: defaultDevHookName()})

describe('dev cleanup', () => {
  it("removes only this machine's marked dev hooks (deactivated first), --all every marked one, never another hook", async () => {
    const scope = nock(ORG)
      .get(HOOKS)
      .reply(200, [MINE, THEIRS, LOOKALIKE])
      .post(`${HOOKS}/${MINE.id}/lifecycle/deactivate`)
      .reply(200, {...MINE, status: 'INACTIVE'})
      .delete(`${HOOKS}/${MINE.id}`)
      .reply(204)
    const {error, exitCode, json} = await runCommand(DevCleanup, ['--yes', '--json'], {env: orgEnv})
    expect([error, exitCode]).to.deep.equal([undefined, 0])
    scope.done()
    expect(json.results).to.deep.equal([{deactivatedFirst: true, id: MINE.id, name: MINE.name, status: 'DELETED'}])

    const all = nock(ORG).get(HOOKS).reply(200, [THEIRS, LOOKALIKE]).delete(`${HOOKS}/${THEIRS.id}`).reply(204)
    const everyone = await runCommand(DevCleanup, ['--all', '--yes'], {env: orgEnv})
    expect(everyone.exitCode).to.equal(0)
    all.done()
    expect(everyone.stdout).to.contain(`Removed the dev hook "${THEIRS.name}" (${THEIRS.id}).`)
  })

  it('says when there is nothing to remove; --name picks other dev hooks', async () => {
    const scope = nock(ORG).get(HOOKS).reply(200, [THEIRS, LOOKALIKE])
    const {exitCode, json} = await runCommand(DevCleanup, ['--yes', '--json'], {env: orgEnv})
    expect([exitCode, json]).to.deep.equal([0, {results: []}])
    scope.done()
    const named = nock(ORG).get(HOOKS).reply(200, [MINE]) // this machine's hook is not the one named: untouched
    const none = await runCommand(DevCleanup, ['--name', 'okta-hooks dev ci', '--yes'], {env: orgEnv})
    expect(none.stdout).to.contain('No dev hooks named "okta-hooks dev ci" in the org').and.contain('--all')
    named.done()
  })

  it('asks first at a terminal, needs --yes elsewhere (before calling Okta)', async () => {
    const refused = await runCommand(DevCleanup, [], {env: orgEnv})
    expect(refused.exitCode).to.equal(2)
    expect(refused.stderr).to.contain('--yes')

    const saved = {confirm: prompter.confirm, err: process.stderr.isTTY, in: process.stdin.isTTY}
    Object.defineProperty(process.stdin, 'isTTY', {configurable: true, value: true})
    Object.defineProperty(process.stderr, 'isTTY', {configurable: true, value: true})
    const asked: string[] = []
    try {
      prompter.confirm = async (message: string) => (asked.push(message), false)
      const scope = nock(ORG).get(HOOKS).reply(200, [MINE])
      const declined = await runCommand(DevCleanup, [], {env: orgEnv})
      scope.done()
      expect([declined.exitCode, declined.stderr]).to.deep.equal([2, 'Error: Cancelled: nothing was removed.\n'])
      expect(asked[0]).to.contain(MINE.id).and.contain('ACTIVE')
      prompter.confirm = async () => true
      const removed = nock(ORG).get(HOOKS).reply(200, [THEIRS]).delete(`${HOOKS}/${THEIRS.id}`).reply(204)
      const yes = await runCommand(DevCleanup, ['--all'], {env: orgEnv})
      expect(yes.exitCode).to.equal(0)
      removed.done()
    } finally {
      prompter.confirm = saved.confirm
      Object.defineProperty(process.stdin, 'isTTY', {configurable: true, value: saved.in})
      Object.defineProperty(process.stderr, 'isTTY', {configurable: true, value: saved.err})
    }
  })
})
