/**
 * Rate limits end to end: a sandbox started with --rate-limit really answers 429 E0000047 past the
 * limit, and the CLI waits for X-Rate-Limit-Reset, says so on stderr, and then succeeds.
 */
import {expect} from 'chai'

import {assertBuilt, type CliResult, describeRun, type Env, runCli, stopAllProcesses, Workspace} from './helpers/cli.js'
import {type Listener, type Sandbox, startListen, startSandbox} from './helpers/processes.js'

const LIMIT = 3
const WINDOW_SECONDS = 2

describe('e2e: rate limits (sandbox --rate-limit)', function () {
  this.timeout(60_000)
  let workspace: Workspace
  let sandbox: Sandbox
  let receiver: Listener
  const cli = (args: string[], extra: Env = {}): Promise<CliResult> =>
    runCli(args, {env: workspace.env({...sandbox.connection, ...extra})})

  /** Uses up a bucket from here (fast, so the CLI's call lands in the same window) and checks the 429. */
  async function exhaust(path: string): Promise<void> {
    const call = () =>
      fetch(sandbox.orgUrl + path, {headers: {Accept: 'application/json', Authorization: `SSWS ${sandbox.token}`}})
    let response = await call()
    for (let i = 0; i < LIMIT && response.status !== 429; i++) {
      await response.body?.cancel()
      response = await call()
    }

    expect(response.status).to.equal(429)
    expect(response.headers.get('x-rate-limit-remaining')).to.equal('0')
    expect(Number(response.headers.get('x-rate-limit-reset'))).to.be.greaterThan(Date.now() / 1000)
    const body = await response.json()
    expect(body.errorCode).to.equal('E0000047')
  }

  before(async () => {
    assertBuilt()
    workspace = new Workspace('e2e-rate-limit')
    ;[sandbox, receiver] = await Promise.all([
      startSandbox(workspace, ['--rate-limit', String(LIMIT), '--rate-limit-window', String(WINDOW_SECONDS)]),
      startListen(workspace),
    ])
  })

  after(async () => {
    await Promise.all([sandbox?.stop(), receiver?.stop()])
    await stopAllProcesses()
    workspace?.remove()
  })

  it('the Event Hooks API: a call past the limit waits for the reset, says so on stderr, then succeeds (stdout still one JSON document)', async () => {
    await exhaust('/api/v1/eventHooks')
    const result = await cli(['list', '--json'])
    expect(result.code, describeRun(result)).to.equal(0)
    expect(result.json()).to.deep.equal({hooks: []})
    expect(result.stderr).to.match(
      /Okta rate limit reached on GET \/api\/v1\/eventHooks; waiting [\d.]+ ?m?s for it to reset/,
    )
  })

  it('the System Log (its own bucket, 429 E0000047 past the limit): replay paces itself, shows every wait, and delivers every event', async () => {
    const created = await cli([
      'create',
      '--name',
      'Paced',
      '--url',
      receiver.url,
      '--event',
      'user.lifecycle.deactivate',
      '--inactive',
      '--json',
    ])
    expect(created.code, describeRun(created)).to.equal(0)
    const since = new Date(Date.now() - 1000).toISOString()
    for (const count of [1000, 500]) {
      const emitted = await cli(['sandbox', 'emit', 'user.lifecycle.deactivate', '--count', String(count)])
      expect(emitted.code, describeRun(emitted)).to.equal(0)
    }

    const until = new Date(Date.now() + 1000).toISOString()
    await exhaust('/api/v1/logs')
    const result = await cli([
      'replay',
      'Paced',
      '--since',
      since,
      '--until',
      until,
      '--to',
      receiver.url,
      '--no-auth',
      '--batch-size',
      '100',
      '--json',
    ])
    expect(result.code, describeRun(result)).to.equal(0)
    // A 429 on the System Log is waited out when its window is still used up by then; with a limit of
    // 3, replay's pacing always waits before its second page (a next link and at most 2 calls left).
    expect(result.stderr).to.match(
      /System Log rate limit is nearly used \(\d of 3 calls left\); waiting [\d.]+s for it to reset/,
    )
    const {stats} = result.json()
    expect(stats).to.include({accepted: 1500, failed: 0, fetched: 1500, rejected: 0})
    await receiver.waitForEvents(1500)
    expect(receiver.eventCount()).to.equal(1500)
  })
})
