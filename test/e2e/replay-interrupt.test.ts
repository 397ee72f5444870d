/**
 * replay as a process, stopped by real signals and raced by a second run on the same checkpoint:
 * the built CLI against a local System Log stand-in and a slow receiver.
 * - a second live run on the checkpoint is refused naming the first one's pid (exit 2);
 * - SIGINT (and SIGTERM) print a summary with the exact command that resumes, and exit 130;
 * - that command resumes, and so does a run after SIGKILL (the dead run's lock taken over, said).
 * Every event arrives; at most the batches in flight at a stop are sent twice.
 */
import {expect} from 'chai'

import {hookFixture} from '../fixtures/hooks/index.js'
import {type Receiver, type Standin, startReceiver, startSyslogStandin, uuidFor} from '../helpers/syslog-standin.js'
import {assertBuilt, CliProcess, describeRun, runCli, stopAllProcesses, Workspace} from './helpers/cli.js'

const HOOK_ID = 'who8vt36qfNpCGz9H1e6'
const TOKEN = '00standin-token-not-real-interrupt-00000'
const EVENTS = 1500
const BATCH = 5
const CONCURRENCY = 2
const IN_FLIGHT = BATCH * CONCURRENCY

describe('e2e: replay stopped by signals, and two runs on one checkpoint', function () {
  this.timeout(120_000)
  let workspace: Workspace
  let standin: Standin
  let receiver: Receiver

  before(async () => {
    assertBuilt()
    workspace = new Workspace('e2e-replay-interrupt')
    // Slow enough that a run lasts seconds: 300 POSTs, 2 at a time, 40 ms each.
    receiver = await startReceiver(() => ({delayMs: 40, status: 204}))
    const base = hookFixture()
    const hook = hookFixture({
      channel: {...base.channel, config: {...base.channel.config, authScheme: null, uri: receiver.url}},
    })
    standin = await startSyslogStandin({
      eventCount: EVENTS,
      firstPublished: '2026-11-20T00:00:00.000Z',
      hooks: [hook as any],
      stepMs: 1000,
      token: TOKEN,
    })
  })

  after(async () => {
    await stopAllProcesses()
    await standin?.close()
    await receiver?.close()
    workspace?.remove()
  })

  const env = () => workspace.env({OKTA_CLIENT_ORGURL: standin.url, OKTA_CLIENT_TOKEN: TOKEN})
  const args = (checkpoint: string, json = true) => [
    'replay',
    HOOK_ID,
    '--since',
    '2026-11-20T00:00:00Z',
    '--until',
    '2026-11-21T00:00:00Z',
    '--checkpoint',
    checkpoint,
    '--batch-size',
    String(BATCH),
    '--concurrency',
    String(CONCURRENCY),
    ...(json ? ['--json'] : []),
  ]

  /** How many times each event of the window arrived since receiver request index `from`. */
  function arrivals(from: number): Map<string, number> {
    const counts = new Map<string, number>()
    for (const request of receiver.received.slice(from))
      for (const event of request.json.data.events) counts.set(event.uuid, (counts.get(event.uuid) ?? 0) + 1)
    return counts
  }

  function expectEveryEventOnce(from: number, allowedDuplicates: number): void {
    const counts = arrivals(from)
    const missing = Array.from({length: EVENTS}, (_, i) => uuidFor(i)).filter((uuid) => !counts.has(uuid))
    expect(missing, 'events never delivered').to.deep.equal([])
    const duplicates = [...counts.values()].reduce((sum, n) => sum + n - 1, 0)
    expect(duplicates, 'events sent twice').to.be.at.most(allowedDuplicates)
  }

  it('a second run on a checkpoint a live run holds is refused naming its pid; SIGINT stops the first with a summary and exit 130; its resume command finishes the window', async () => {
    const checkpoint = workspace.path('race.ckpt')
    const from = receiver.received.length
    const first = new CliProcess(args(checkpoint), env())
    await receiver.waitFor(from + 20)

    const second = await runCli(args(checkpoint), {env: env()})
    expect(second.code, describeRun(second)).to.equal(2)
    expect(second.json().error.message).to.contain(
      `The checkpoint ${checkpoint} is in use by another okta-hooks process (pid ${first.child.pid} `,
    )
    expect(first.hasExited, 'the first run was still delivering').to.equal(false)

    const {code} = await first.stop('SIGINT')
    expect(code, first.output()).to.equal(130)
    expect(first.output('stderr')).to.contain('SIGINT: stopping once the deliveries in flight are answered')
    const summary = JSON.parse(first.output('stdout'))
    expect(summary.error).to.include({code: 'INTERRUPTED', exitCode: 130})
    expect(summary.stats.accepted).to.be.above(0)
    const {accepted, failed, rejected} = summary.stats
    expect(accepted + rejected + failed + summary.stats.left).to.equal(summary.stats.fetched)
    const resume = `okta-hooks ${args(checkpoint).join(' ')}`
    expect(summary.resume).to.deep.equal({checkpoint, command: resume})
    expect(summary.error.suggestions).to.deep.equal([`Resume with: ${resume}`])
    const deliveredBefore = summary.stats.accepted

    const resumed = await runCli(args(checkpoint), {env: env(), timeoutMs: 90_000})
    expect(resumed.code, describeRun(resumed)).to.equal(0)
    const done = resumed.json()
    expect(done.error).to.equal(undefined)
    expect(done.stats).to.include({accepted: EVENTS, resumed: true})
    expect(done.stats.sentThisRun).to.be.at.most(EVENTS - deliveredBefore + IN_FLIGHT)
    expectEveryEventOnce(from, IN_FLIGHT)
  })

  it("SIGTERM in human mode: the summary names the events by verdict, left, the checkpoint and the command; after SIGKILL the next run takes the dead run's lock over, saying so", async () => {
    const checkpoint = workspace.path('term.ckpt')
    const from = receiver.received.length
    const first = new CliProcess(args(checkpoint, false), env())
    await receiver.waitFor(from + 20)
    const stopped = await first.stop('SIGTERM')
    expect(stopped.code, first.output()).to.equal(130)
    const out = first.output('stdout')
    expect(out).to.match(
      /^Interrupted \(SIGTERM\): \d+ accepted, 0 rejected, 0 failed, \d+ fetched and left unsent, and the rest of the window \(not fetched yet\)\.$/m,
    )
    expect(out).to.contain(
      `The checkpoint ${checkpoint} holds where it stopped. Resume ` +
        `with:\n  okta-hooks ${args(checkpoint, false).join(' ')}`,
    )
    expect(first.output('stderr')).to.match(/^Error: Interrupted \(SIGTERM\)/m)

    // Resumed, then killed outright: its lock stays behind, held by a pid that no longer runs.
    const killed = new CliProcess(args(checkpoint, false), env())
    const before = receiver.received.length
    await receiver.waitFor(before + 20)
    const pid = killed.child.pid
    expect((await killed.stop('SIGKILL')).signal).to.equal('SIGKILL')

    const last = await runCli(args(checkpoint, false), {env: env(), timeoutMs: 90_000})
    expect(last.code, describeRun(last)).to.equal(0)
    expect(last.stderr).to.contain(`Took over the lock on ${checkpoint}: its owner (pid ${pid}, since `)
    expect(last.stdout).to.contain('Replayed: 1500 accepted, 0 rejected, 0 failed')
    expectEveryEventOnce(from, 2 * IN_FLIGHT)
  })
})
