/**
 * The sandbox routes as Okta does, end to end with the built CLI: a hook filtered to the "Sales"
 * group (`create --filter`), one Sales and one Support membership event (`sandbox emit`), a real
 * `listen` receiver; only the Sales event is delivered, and the System Log names the hook in
 * targetEventHookIds on that event only.
 */
import {expect} from 'chai'

import {assertBuilt, type CliResult, describeRun, runCli, stopAllProcesses, Workspace} from './helpers/cli.js'
import {type Listener, type Sandbox, startListen, startSandbox} from './helpers/processes.js'

const SECRET = 'e2e-routing-secret-5b1e'
const ADD = 'group.user_membership.add'
const SALES = "event.target.?[type eq 'UserGroup' && displayName eq 'Sales'].size() > 0"

describe("e2e: the sandbox routes by each hook's filters and records targetEventHookIds", function () {
  this.timeout(60_000)
  let workspace: Workspace
  let sandbox: Sandbox
  let receiver: Listener

  const cli = (args: string[]): Promise<CliResult> =>
    runCli(args, {env: workspace.env({...sandbox.connection, HOOK_SECRET: SECRET})})
  const ok = (result: CliResult): CliResult => {
    expect(result.code, describeRun(result)).to.equal(0)
    return result
  }

  before(async () => {
    assertBuilt()
    workspace = new Workspace('e2e-sandbox-routing')
    ;[sandbox, receiver] = await Promise.all([
      startSandbox(workspace),
      startListen(workspace, ['--auth-secret-env', 'HOOK_SECRET'], {HOOK_SECRET: SECRET}),
    ])
  })

  after(async () => {
    await Promise.all([sandbox?.stop(), receiver?.stop()])
    await stopAllProcesses()
    workspace?.remove()
  })

  it('delivers the Sales event only, and names the hook only on it', async () => {
    const created = ok(
      await cli([
        'create',
        '--name',
        'Sales group changes',
        '--url',
        receiver.url,
        '--event',
        ADD,
        '--filter',
        `${ADD}=${SALES}`,
        '--auth-secret-env',
        'HOOK_SECRET',
        '--verify',
        '--json',
      ]),
    ).json().hook
    expect(created.events.filter.eventFilterMap).to.deep.equal([
      {condition: {expression: SALES, version: null}, event: ADD},
    ])
    const emit = async (group: string) =>
      ok(
        await cli([
          'sandbox',
          'emit',
          ADD,
          '--target',
          JSON.stringify({displayName: group, id: `00g${group}`, type: 'UserGroup'}),
          '--wait',
          '--json',
        ]),
      ).json().events[0]
    const support = await emit('Support')
    const sales = await emit('Sales')
    expect(support.targetEventHookIds).to.deep.equal([])
    expect(sales.targetEventHookIds).to.deep.equal([created.id])

    await receiver.waitForEvents(1)
    const delivered = receiver.messages.filter((m) => m.type === 'delivery').flatMap((m) => m.events ?? [])
    expect(delivered.map((event) => event.uuid)).to.deep.equal([sales.uuid])

    const response = await fetch(
      `${sandbox.orgUrl}/api/v1/logs?filter=${encodeURIComponent(`eventType eq "${ADD}"`)}`,
      {headers: {Accept: 'application/json', Authorization: `SSWS ${sandbox.token}`}},
    )
    const logged = (await response.json()) as any[]
    const routed = Object.fromEntries(
      logged.map((event) => [event.uuid, event.debugContext?.debugData?.targetEventHookIds]),
    )
    expect(routed).to.deep.equal({[sales.uuid]: created.id, [support.uuid]: undefined})
  })
})
