/**
 * reconcile end to end against the sandbox, the whole story: a hook filtered to the "Sales"
 * group, Sales events that pass the filter and Support events that fail it (the sandbox routes them
 * to no hook), a receiver (listen, forwarding to an app) that misses the deliveries made while the
 * app answers 500; reconcile finds exactly those (with the
 * failure the sandbox logged as event_hook.delivery), reconcile --replay delivers them, and a
 * second reconcile, from listen's record or from the app's own receipts, shows none missing.
 */
import {expect} from 'chai'
import {writeFileSync} from 'node:fs'
import http from 'node:http'
import type {AddressInfo} from 'node:net'

import {assertBuilt, type CliResult, describeRun, type Env, runCli, stopAllProcesses, Workspace} from './helpers/cli.js'
import {type Listener, type Sandbox, startListen, startSandbox} from './helpers/processes.js'

const SECRET = 'e2e-reconcile-secret-7a1c'
const ADD = 'group.user_membership.add'
const SALES = "event.target.?[type eq 'UserGroup' && displayName eq 'Sales'].size() > 0"

/** The user's app behind listen: logs the uuid of every event it accepts; answers 500 while `failing`. */
async function startApp(): Promise<{
  accepted: string[]
  close: () => Promise<void>
  setFailing: (on: boolean) => void
  url: string
}> {
  const accepted: string[] = []
  let failing = false
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => {
      if (failing) {
        response.writeHead(500).end()
        return
      }

      const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}')
      for (const event of body.data?.events ?? []) accepted.push(event.uuid)
      response.writeHead(204).end()
    })
  })
  await new Promise<void>((resolve) => {
    server.listen(0, '127.0.0.1', resolve)
  })
  const {port} = server.address() as AddressInfo
  return {
    accepted,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
    setFailing: (on) => {
      failing = on
    },
    url: `http://127.0.0.1:${port}/okta`,
  }
}

describe('e2e: reconcile finds the deliveries a receiver missed, and --replay makes it whole', function () {
  this.timeout(120_000)
  let workspace: Workspace
  let sandbox: Sandbox
  let receiver: Listener
  let app: Awaited<ReturnType<typeof startApp>>
  let window: string[]
  const delivered: string[] = []
  const missed: string[] = []
  const filteredOut: string[] = []

  const cli = (args: string[], extra: Env = {}): Promise<CliResult> =>
    runCli(args, {env: workspace.env({...sandbox.connection, HOOK_SECRET: SECRET, ...extra}), timeoutMs: 90_000})
  const expectExit = (result: CliResult, code: number): CliResult => {
    expect(result.code, describeRun(result)).to.equal(code)
    return result
  }

  const emit = async (count: number, code: number, group = 'Sales'): Promise<string[]> => {
    const target = JSON.stringify({displayName: group, id: `00g${group}`, type: 'UserGroup'})
    const args = ['sandbox', 'emit', ADD, '--target', target, '--count', String(count), '--wait', '--json']
    return expectExit(await cli(args), code)
      .json()
      .events.map((event: {uuid: string}) => event.uuid)
  }

  before(async () => {
    assertBuilt()
    workspace = new Workspace('e2e-reconcile')
    app = await startApp()
    ;[sandbox, receiver] = await Promise.all([
      startSandbox(workspace),
      startListen(workspace, ['--auth-secret-env', 'HOOK_SECRET', '--forward-to', app.url, '--answer-verification'], {
        HOOK_SECRET: SECRET,
      }),
    ])
    const since = new Date(Date.now() - 1000).toISOString()
    const create = ['create', '--name', 'Reconciled', '--url', receiver.url, '--event', ADD]
    const filter = ['--filter', `${ADD}=${SALES}`]
    expectExit(await cli([...create, ...filter, '--auth-secret-env', 'HOOK_SECRET', '--verify', '--json']), 0)
    delivered.push(...(await emit(2, 0)))
    filteredOut.push(...(await emit(2, 0, 'Support')))
    app.setFailing(true)
    missed.push(...(await emit(2, 5)))
    filteredOut.push(...(await emit(1, 0, 'Support')))
    app.setFailing(false)
    delivered.push(...(await emit(1, 0)))
    window = ['--since', since, '--until', new Date(Date.now() + 1000).toISOString()]
  })

  after(async () => {
    await Promise.all([sandbox?.stop(), receiver?.stop(), app?.close()])
    await stopAllProcesses()
    workspace?.remove()
  })

  it("finds exactly the missed events from listen's record, each with the failure Okta logged; exit 5", async () => {
    const result = expectExit(
      await cli(['reconcile', 'Reconciled', ...window, '--record', receiver.record, '--json']),
      5,
    )
    const json = result.json()
    expect(json.counts).to.include({duplicated: 0, missing: 2, received: 3, routed: 5, unexpected: 0})
    expect(json.routing.byOkta).to.equal(5)
    expect(json.missing.map((event: any) => event.uuid).sort()).to.deep.equal([...missed].sort())
    expect(
      app.accepted.some((uuid) => filteredOut.includes(uuid)),
      'a Support event was delivered',
    ).to.equal(false)
    for (const event of json.missing) expect(event.failure.reason).to.match(/500/)
    expect(json.counts.deliveryFailures).to.be.at.least(1)
    expect(json.error).to.include({code: 'EVENTS_MISSING', exitCode: 5})
  })

  it('--replay delivers just the missing ones; a second reconcile (record or receipts) shows none missing', async () => {
    const before = [...app.accepted]
    const checkpoint = workspace.path('reconcile.ckpt')
    const replayed = expectExit(
      await cli([
        'reconcile',
        'Reconciled',
        ...window,
        '--record',
        receiver.record,
        '--replay',
        '--auth-secret-env',
        'HOOK_SECRET',
        '--checkpoint',
        checkpoint,
        '--json',
      ]),
      0,
    ).json()
    expect(replayed.complete).to.equal(true)
    expect(replayed.replay.stats).to.include({accepted: 2, failed: 0, rejected: 0})
    expect(app.accepted.slice(before.length).sort()).to.deep.equal([...missed].sort())

    const again = expectExit(await cli(['reconcile', 'Reconciled', ...window, '--record', receiver.record]), 0)
    expect(again.stdout).to.contain('received 5, missing 0, duplicated 0, unexpected 0')

    const receipts = workspace.path('receipts.txt')
    writeFileSync(receipts, app.accepted.join('\n') + '\n')
    const fromReceipts = expectExit(
      await cli(['reconcile', 'Reconciled', ...window, '--received', receipts, '--json']),
      0,
    ).json()
    expect(fromReceipts.counts).to.include({missing: 0, received: 5, routed: 5})
    expect(new Set(app.accepted)).to.deep.equal(new Set([...delivered, ...missed]))
  })
})
