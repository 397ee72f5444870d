/**
 * replay end to end at size: 3,000 System Log events emitted into the sandbox, read back page after
 * page and delivered to a real `listen`, every one exactly once; batches, a checkpoint, a window
 * with nothing in it, and failures recorded for `preview --from-file` to resend.
 */
import {expect} from 'chai'
import {readFileSync} from 'node:fs'

import {assertBuilt, type CliResult, describeRun, type Env, runCli, stopAllProcesses, Workspace} from './helpers/cli.js'
import {type Listener, type Sandbox, startListen, startSandbox} from './helpers/processes.js'

const SECRET = 'e2e-replay-secret-5e6f'
const TOTAL = 3000

describe('e2e: replay of a few thousand events', function () {
  this.timeout(120_000)
  let workspace: Workspace
  let sandbox: Sandbox
  let receiver: Listener
  let failing: Listener
  let since: string
  let until: string
  const emitted = new Set<string>()
  const others: string[] = []

  const cli = (args: string[], extra: Env = {}): Promise<CliResult> =>
    runCli(args, {env: workspace.env({...sandbox.connection, HOOK_SECRET: SECRET, ...extra}), timeoutMs: 90_000})
  const ok = (result: CliResult): CliResult => {
    expect(result.code, describeRun(result)).to.equal(0)
    return result
  }

  /** Deliveries received by `listener` from message index `from` on. */
  const deliveries = (listener: Listener, from: number) =>
    listener.messages.slice(from).filter((m) => m.type === 'delivery')

  before(async () => {
    assertBuilt()
    workspace = new Workspace('e2e-replay')
    ;[sandbox, receiver, failing] = await Promise.all([
      startSandbox(workspace),
      startListen(workspace, ['--auth-secret-env', 'HOOK_SECRET'], {HOOK_SECRET: SECRET}),
      startListen(workspace, ['--respond-status', '500']),
    ])
    // INACTIVE: the sandbox delivers nothing itself; replay is the only sender.
    ok(
      await cli([
        'create',
        '--name',
        'Replay',
        '--url',
        receiver.url,
        '--event',
        'group.user_membership.add',
        '--auth-secret-env',
        'HOOK_SECRET',
        '--inactive',
      ]),
    )
    since = new Date(Date.now() - 1000).toISOString()
    for (let sent = 0; sent < TOTAL; sent += 1000) {
      const result = ok(await cli(['sandbox', 'emit', 'group.user_membership.add', '--count', '1000', '--json']))
      for (const event of result.json().events) emitted.add(event.uuid)
    }

    const result = ok(await cli(['sandbox', 'emit', 'user.lifecycle.create', '--count', '25', '--json']))
    others.push(...result.json().events.map((e: any) => e.uuid))
    until = new Date(Date.now() + 1000).toISOString()
    expect(emitted.size).to.equal(TOTAL)
  })

  after(async () => {
    await Promise.all([sandbox?.stop(), receiver?.stop(), failing?.stop()])
    await stopAllProcesses()
    workspace?.remove()
  })

  it(`delivers all ${TOTAL} events of the hook's type, one per POST, each exactly once, with the hook's auth`, async () => {
    const from = receiver.messages.length
    const result = ok(
      await cli([
        'replay',
        'Replay',
        '--since',
        since,
        '--until',
        until,
        '--to',
        receiver.url,
        '--auth-secret-env',
        'HOOK_SECRET',
        '--concurrency',
        '8',
        '--json',
      ]),
    )
    const {query, stats, target} = result.json()
    expect(target).to.equal(receiver.url)
    expect(query.filter).to.equal('eventType eq "group.user_membership.add"')
    expect(stats).to.include({accepted: TOTAL, batches: TOTAL, failed: 0, fetched: TOTAL, rejected: 0})
    expect(stats.pages).to.be.within(3, 4)

    await receiver.waitForEvents(TOTAL)
    const received = deliveries(receiver, from)
    expect(received).to.have.length(TOTAL)
    expect(received.every((m) => m.auth === 'ok' && m.status === 204 && m.batchSize === 1)).to.equal(true)
    const uuids = received.map((m) => m.events![0].uuid!)
    expect(new Set(uuids).size).to.equal(TOTAL)
    expect(uuids.every((uuid) => emitted.has(uuid))).to.equal(true)
    expect(received[0].envelope.source).to.match(new RegExp(`^${sandbox.orgUrl}/api/v1/eventHooks/who`))
  })

  it('--batch-size 100 with a checkpoint: 30 envelopes of 100; run again, the checkpoint says it is done and nothing is sent', async () => {
    const checkpoint = workspace.path('replay.ckpt')
    const args = [
      'replay',
      'Replay',
      '--since',
      since,
      '--until',
      until,
      '--to',
      receiver.url,
      '--auth-secret-env',
      'HOOK_SECRET',
      '--batch-size',
      '100',
      '--checkpoint',
      checkpoint,
      '--json',
    ]
    const from = receiver.messages.length
    const first = ok(await cli(args)).json()
    expect(first.stats).to.include({accepted: TOTAL, batches: TOTAL / 100, failed: 0})
    await receiver.process.waitUntil(
      () => (deliveries(receiver, from).length >= TOTAL / 100 ? true : undefined),
      'the batched deliveries',
    )
    expect(deliveries(receiver, from).map((m) => m.batchSize)).to.deep.equal(
      Array.from({length: TOTAL / 100}, () => 100),
    )

    const count = receiver.messages.length
    const again = ok(await cli(args)).json()
    expect(again.stats).to.include({alreadyDone: true, sentThisRun: 0})
    expect(receiver.messages.length).to.equal(count)
  })

  it('a window with no events: exit 0, nothing sent (human summary on stdout)', async () => {
    const from = receiver.messages.length
    const result = ok(
      await cli([
        'replay',
        'Replay',
        '--since',
        '2001-01-01T00:00:00Z',
        '--until',
        '2001-01-02T00:00:00Z',
        '--to',
        receiver.url,
        '--auth-secret-env',
        'HOOK_SECRET',
      ]),
    )
    expect(result.stdout).to.match(/\b0 events?\b/)
    expect(receiver.messages.length).to.equal(from)
  })

  it('failures: a receiver answering 500 gets the retry, exit 5, the events go to --failures; preview --from-file resends them', async () => {
    const failures = workspace.path('failures.ndjson')
    const result = await cli([
      'replay',
      'Replay',
      '--since',
      since,
      '--until',
      until,
      '--event-type',
      'user.lifecycle.create',
      '--to',
      failing.url,
      '--no-auth',
      '--batch-size',
      '5',
      '--failures',
      failures,
      '--json',
    ])
    expect(result.code, describeRun(result)).to.equal(5)
    const {stats} = result.json()
    expect(stats).to.include({accepted: 0, failed: others.length, fetched: others.length, rejected: 0})
    const lines = readFileSync(failures, 'utf8').trim().split('\n')
    const failedUuids = lines.map((line) => JSON.parse(line).uuid)
    expect(failedUuids.sort()).to.deep.equal([...others].sort())
    await failing.process.waitUntil(
      () => (deliveries(failing, 0).length >= 10 ? true : undefined),
      "Okta's retry of every batch",
    )
    expect(deliveries(failing, 0)).to.have.length(10)

    const from = receiver.messages.length
    const resent = ok(
      await cli([
        'preview',
        '--from-file',
        failures,
        '--to',
        receiver.url,
        '--auth-secret-env',
        'HOOK_SECRET',
        '--batch-size',
        '10',
        '--json',
      ]),
    ).json()
    expect(resent).to.include({events: others.length, verdict: 'accepted'})
    await receiver.process.waitUntil(
      () => (deliveries(receiver, from).length >= 3 ? true : undefined),
      'the resent failures',
    )
    expect(
      deliveries(receiver, from)
        .flatMap((m) => m.events!.map((e) => e.uuid))
        .sort(),
    ).to.deep.equal([...others].sort())
  })
})
