/**
 * replay applies the hook's event filters as Okta does, end to end: a hook filtered to the Sales
 * group (`create --filter`), Sales and Support membership events emitted into the sandbox, and
 * replay sending the Sales ones only; --ignore-filters sends all; --routed-only, in a window where
 * Okta recorded no routing (the hook was inactive), sends nothing and says why.
 */
import {expect} from 'chai'

import {assertBuilt, type CliResult, describeRun, runCli, stopAllProcesses, Workspace} from './helpers/cli.js'
import {type Listener, type Sandbox, startListen, startSandbox} from './helpers/processes.js'

const SALES = "group.user_membership.add=event.target.?[type eq 'UserGroup' && displayName eq 'Sales'].size() > 0"
const group = (name: string) =>
  JSON.stringify({alternateId: 'unknown', displayName: name, id: `00g${name}`, type: 'UserGroup'})

describe('e2e: replay of a filtered hook', function () {
  this.timeout(120_000)
  let workspace: Workspace
  let sandbox: Sandbox
  let receiver: Listener
  let window: string[]
  const sales: string[] = []

  const cli = (args: string[]): Promise<CliResult> => runCli(args, {env: workspace.env(sandbox.connection)})
  const ok = (result: CliResult): CliResult => {
    expect(result.code, describeRun(result)).to.equal(0)
    return result
  }

  const delivered = (from: number) =>
    receiver.messages
      .slice(from)
      .filter((m) => m.type === 'delivery')
      .flatMap((m) => (m.events ?? []).map((e) => e.uuid))

  before(async () => {
    assertBuilt()
    workspace = new Workspace('e2e-replay-filters')
    ;[sandbox, receiver] = await Promise.all([startSandbox(workspace), startListen(workspace)])
    const create = ['create', '--name', 'Sales joins', '--url', receiver.url, '--event', 'group.user_membership.add']
    ok(await cli([...create, '--filter', SALES, '--inactive', '--json']))
    const since = new Date(Date.now() - 1000).toISOString()
    const emit = async (name: string, count: number) =>
      ok(
        await cli([
          'sandbox',
          'emit',
          'group.user_membership.add',
          '--target',
          group(name),
          '--count',
          String(count),
          '--json',
        ]),
      )
        .json()
        .events.map((event: {uuid: string}) => event.uuid)
    sales.push(...(await emit('Sales', 2)))
    await emit('Support', 1)
    window = ['--since', since, '--until', new Date(Date.now() + 1000).toISOString(), '--to', receiver.url, '--no-auth']
  })

  after(async () => {
    await Promise.all([sandbox?.stop(), receiver?.stop()])
    await stopAllProcesses()
    workspace?.remove()
  })

  it('sends the events the filter lets through, and counts the others as skipped by filter', async () => {
    const from = receiver.messages.length
    const before = receiver.eventCount()
    const result = ok(await cli(['replay', 'Sales joins', ...window, '--json'])).json()
    expect(result.selection).to.equal('filters')
    expect(result.stats).to.include({accepted: 2, fetched: 3, skippedByFilter: 1})
    await receiver.waitForEvents(before + 2)
    expect(delivered(from).sort()).to.deep.equal([...sales].sort())

    const human = ok(await cli(['replay', 'Sales joins', ...window]))
    expect(human.stdout).to.contain('Not sent: skipped by filter: 1.')
  })

  it('--ignore-filters sends every event; --routed-only, with no routing recorded, sends none and says why', async () => {
    const all = ok(await cli(['replay', 'Sales joins', ...window, '--ignore-filters', '--json'])).json()
    expect(all.stats).to.include({accepted: 3, skippedByFilter: 0})

    const routed = ok(await cli(['replay', 'Sales joins', ...window, '--routed-only', '--json']))
    expect(routed.json().stats).to.include({accepted: 0, withoutRouting: 3})
    expect(routed.stderr).to.contain('none of the 3 events of the window carries')
  })
})
