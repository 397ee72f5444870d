import {expect} from 'chai'
import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {hostname, tmpdir} from 'node:os'
import {join} from 'node:path'
import nock from 'nock'

import Replay from '../../../src/commands/replay.js'
import {parseEventsText} from '../../../src/lib/delivery/preview.js'
import {lockPathFor} from '../../../src/lib/io/file-lock.js'
import {Checkpoint} from '../../../src/lib/replay/checkpoint.js'
import {hookFixture} from '../../fixtures/hooks/index.js'
import {ORG, orgEnv, runCommand} from '../../helpers/run-command.js'
import {type Receiver, startReceiver, syntheticLogEvent, uuidFor} from '../../helpers/syslog-standin.js'

const HOOK_ID = 'who8vt36qfNpCGz9H1e6'
const SINCE = '2026-11-20T00:00:00.000Z'
const UNTIL = '2026-11-21T00:00:00.000Z'
const events = (from: number, to: number) =>
  Array.from({length: to - from}, (_, i) =>
    syntheticLogEvent(from + i, new Date(Date.parse(SINCE) + (from + i) * 1000).toISOString()),
  )
const rate = {
  'X-Rate-Limit-Limit': '120',
  'X-Rate-Limit-Remaining': '100',
  'X-Rate-Limit-Reset': String(Math.floor(Date.now() / 1000) + 60),
}

function hookTo(url: string) {
  const base = hookFixture()
  return hookFixture({channel: {...base.channel, config: {...base.channel.config, authScheme: null, uri: url}}})
}

/** Two pages (5 + 3 events) of a bounded window, the second reached by the first's next link. */
function twoPages(hook: ReturnType<typeof hookFixture>, first = events(0, 5), second = events(5, 8)) {
  const next = `${ORG}/api/v1/logs?after=page2&limit=1000&until=${encodeURIComponent(UNTIL)}`
  return nock(ORG)
    .get(`/api/v1/eventHooks/${HOOK_ID}`)
    .reply(200, hook)
    .get('/api/v1/logs')
    .query({
      filter: 'eventType eq "user.lifecycle.create" or eventType eq "user.lifecycle.activate"',
      limit: '1000',
      since: SINCE,
      sortOrder: 'ASCENDING',
      until: UNTIL,
    })
    .reply(200, first, {...rate, Link: `<${next}>; rel="next"`})
    .get('/api/v1/logs')
    .query({after: 'page2', limit: '1000', until: UNTIL})
    .reply(200, second, rate)
}

const tmp = () => mkdtempSync(join(tmpdir(), 'okta-hooks-replay-'))

describe('replay', () => {
  let receiver: Receiver | undefined
  afterEach(async () => {
    await receiver?.close()
    receiver = undefined
  })

  it('delivers every event of the window, page after page, in batches, field for field', async () => {
    receiver = await startReceiver()
    const scope = twoPages(hookTo(receiver.url))
    const {error, exitCode, json} = await runCommand(
      Replay,
      [HOOK_ID, '--since', SINCE, '--until', UNTIL, '--batch-size', '2', '--concurrency', '2', '--json'],
      {env: orgEnv},
    )
    expect(error).to.equal(undefined)
    expect(exitCode).to.equal(0)
    const arrived = receiver.received.flatMap((r) => r.json.data.events)
    expect(arrived.map((e: any) => e.uuid).sort()).to.deep.equal(Array.from({length: 8}, (_, i) => uuidFor(i)))
    const byUuid = new Map(events(0, 8).map((e) => [e.uuid, e]))
    for (const event of arrived) expect(JSON.stringify(event)).to.equal(JSON.stringify(byUuid.get(event.uuid)))
    expect(receiver.received.map((r) => r.json.data.events.length).sort()).to.deep.equal([1, 1, 2, 2, 2])
    for (const request of receiver.received) {
      expect(request.json.source).to.equal(`${ORG}/api/v1/eventHooks/${HOOK_ID}`)
      expect(request.headers['x-other-header']).to.equal('some-other-value')
    }

    expect(json.stats).to.deep.include({accepted: 8, batches: 5, failed: 0, fetched: 8, pages: 2, rejected: 0})
    expect(json.verdict).to.equal('accepted')
    scope.done()
  })

  it('sends each event byte for byte as Okta wrote it (1.0 stays 1.0, escapes and key order kept)', async () => {
    receiver = await startReceiver()
    const raw =
      '{"uuid":"00000000-0000-4000-8000-00000000abcd","eventType":"user.lifecycle.create","zeta":1.0,"alpha":"caf\\u00e9 ' +
      '\\"q\\"","big":12345678901234567890,"device":{"id":"guo1"}}'
    const scope = nock(ORG)
      .get(`/api/v1/eventHooks/${HOOK_ID}`)
      .reply(200, hookTo(receiver.url))
      .get('/api/v1/logs')
      .query(true)
      .reply(200, `[\n  ${raw}\n]`, {...rate, 'Content-Type': 'application/json'})
    const {exitCode} = await runCommand(Replay, [HOOK_ID, '--since', SINCE, '--until', UNTIL], {env: orgEnv})
    expect(exitCode).to.equal(0)
    expect(receiver.received[0].body).to.contain(`"data":{"events":[${raw}]}`)
    scope.done()
  })

  it("a failing batch gets Okta's one retry, goes to --failures (which preview --from-file reads), the run goes on, exit 5", async () => {
    const bad = uuidFor(3)
    receiver = await startReceiver((request) => ({
      status: request.json.data.events.some((e: any) => e.uuid === bad) ? 500 : 200,
    }))
    const scope = twoPages(hookTo(receiver.url))
    const failures = join(tmp(), 'failed.ndjson')
    const {exitCode, stderr, stdout} = await runCommand(
      Replay,
      [HOOK_ID, '--since', SINCE, '--until', UNTIL, '--failures', failures],
      {env: orgEnv},
    )
    expect(exitCode).to.equal(5)
    expect(stderr).to.contain('1 event not accepted by').and.contain('(7 accepted, 0 rejected, 1 failed)')
    expect(stdout)
      .to.contain('Replayed: 7 accepted, 0 rejected, 1 failed, 8 fetched in 2 pages')
      .and.contain(`preview <hook> --from-file ${failures}`)
    expect(receiver.received.filter((r) => r.json.data.events[0].uuid === bad)).to.have.length(2)
    expect(receiver.received).to.have.length(9)
    expect(parseEventsText(readFileSync(failures, 'utf8'))).to.deep.equal([events(3, 4)[0]])
    scope.done()
  })

  it('--fail-fast stops at the first delivery not accepted (a 404: rejected, not retried)', async () => {
    receiver = await startReceiver(() => ({status: 404}))
    const scope = nock(ORG)
      .get(`/api/v1/eventHooks/${HOOK_ID}`)
      .reply(200, hookTo('http://127.0.0.1:9/unused'))
      .get('/api/v1/logs')
      .query(true)
      .reply(200, events(0, 5), rate)
    const {exitCode, json} = await runCommand(
      Replay,
      [
        HOOK_ID,
        '--since',
        SINCE,
        '--until',
        UNTIL,
        '--to',
        receiver.url,
        '--fail-fast',
        '--concurrency',
        '1',
        '--json',
      ],
      {env: orgEnv},
    )
    expect(exitCode).to.equal(5)
    expect(json.stats).to.deep.include({accepted: 0, failed: 0, rejected: 1, stoppedEarly: true})
    expect(json.stats.failures[0]).to.include({status: 404, verdict: 'rejected'})
    expect(json.verdict).to.equal('rejected')
    expect(receiver.received).to.have.length(1)
    scope.done()
  })

  it('waits out a 429 from the System Log and shows the wait', async () => {
    receiver = await startReceiver()
    const scope = nock(ORG)
      .get(`/api/v1/eventHooks/${HOOK_ID}`)
      .reply(200, hookTo(receiver.url))
      .get('/api/v1/logs')
      .query(true)
      .reply(
        429,
        {errorCode: 'E0000047', errorSummary: 'API call exceeded rate limit due to too many requests.'},
        {'X-Rate-Limit-Reset': String(Math.floor(Date.now() / 1000) + 1)},
      )
      .get('/api/v1/logs')
      .query(true)
      .reply(200, events(0, 2), rate)
    const {exitCode, stderr} = await runCommand(Replay, [HOOK_ID, '--since', SINCE, '--until', UNTIL], {env: orgEnv})
    expect(exitCode).to.equal(0)
    expect(stderr).to.match(/rate limit reached on GET \/api\/v1\/logs; waiting \d\.\ds/)
    expect(receiver.received).to.have.length(2)
    scope.done()
  })

  it("--receiver-timeout is the receiver's time (failed, retried once), --timeout each call to Okta's (retried)", async () => {
    receiver = await startReceiver(() => ({delayMs: 300}))
    const scope = nock(ORG)
      .get(`/api/v1/eventHooks/${HOOK_ID}`)
      .delay(3000)
      .reply(200, hookTo(receiver.url))
      .get(`/api/v1/eventHooks/${HOOK_ID}`)
      .reply(200, hookTo(receiver.url))
      .get('/api/v1/logs')
      .query(true)
      .reply(200, events(0, 1), rate)
    const argv = [
      HOOK_ID,
      '--since',
      SINCE,
      '--until',
      UNTIL,
      '--timeout',
      '300ms', // a real timer: far more than Okta's second answer needs on a busy machine
      '--receiver-timeout',
      '100ms',
      '--json',
    ]
    const {exitCode, json, stderr} = await runCommand(Replay, argv, {env: orgEnv})
    expect(exitCode, stderr).to.equal(5)
    expect(stderr).to.match(/GET \S+: no answer within 0\.3s; retrying/)
    expect(json.stats.failures[0]).to.include({verdict: 'failed'})
    expect(json.stats.failures[0].explanation).to.match(/^no answer within 100ms/)
    expect(receiver.received).to.have.length(2)
    expect(Replay.flags['receiver-timeout'].default).to.equal(3000)
    scope.done()
  })

  it('with a checkpoint of a finished window sends nothing again', async () => {
    receiver = await startReceiver()
    const checkpoint = join(tmp(), 'r.ckpt')
    const scope = twoPages(hookTo(receiver.url)).get(`/api/v1/eventHooks/${HOOK_ID}`).reply(200, hookTo(receiver.url))
    const first = await runCommand(Replay, [HOOK_ID, '--since', SINCE, '--until', UNTIL, '--checkpoint', checkpoint], {
      env: orgEnv,
    })
    expect(first.exitCode).to.equal(0)
    const again = await runCommand(Replay, [HOOK_ID, '--since', SINCE, '--until', UNTIL, '--checkpoint', checkpoint], {
      env: orgEnv,
    })
    expect(again.exitCode).to.equal(0)
    expect(again.stdout).to.contain('already replayed (8 accepted, 0 rejected, 0 failed)')
    expect(receiver.received).to.have.length(8)
    scope.done()
  })

  it("sends the hook's auth header from --auth-secret-env; without any secret source (no TTY) it is exit 2 naming the flags", async () => {
    receiver = await startReceiver()
    const base = hookFixture()
    const hook = hookFixture({
      channel: {
        ...base.channel,
        config: {...base.channel.config, authScheme: {key: 'X-Hook-Key', type: 'HEADER'}, uri: receiver.url},
      },
    })
    const scope = nock(ORG)
      .get(`/api/v1/eventHooks/${HOOK_ID}`)
      .twice()
      .reply(200, hook)
      .get('/api/v1/logs')
      .query(true)
      .reply(200, events(0, 1), rate)
    const missing = await runCommand(Replay, [HOOK_ID, '--since', SINCE, '--until', UNTIL], {env: orgEnv})
    expect(missing.exitCode).to.equal(2)
    expect(missing.stderr).to.contain('X-Hook-Key').and.contain('--auth-secret-env').and.contain('--no-auth')
    const ok = await runCommand(
      Replay,
      [HOOK_ID, '--since', SINCE, '--until', UNTIL, '--auth-secret-env', 'HOOK_KEY'],
      {env: {...orgEnv, HOOK_KEY: 'key-value-123456'}},
    )
    expect(ok.exitCode).to.equal(0)
    expect(receiver.received[0].headers['x-hook-key']).to.equal('key-value-123456')
    expect(ok.stdout + ok.stderr).not.to.contain('key-value-123456')
    scope.done()
  })

  it('--checkpoint with relative times (--since 24h --until 1h): the same command later resumes the window the checkpoint resolved, saying so', async () => {
    receiver = await startReceiver()
    const checkpoint = join(tmp(), 'relative.ckpt')
    // The first run, three hours ago: it resolved 24h and 1h then, and stopped before the first page.
    const firstRun = Date.now() - 3 * 3_600_000
    const window = {
      since: new Date(firstRun - 24 * 3_600_000).toISOString(),
      until: new Date(firstRun - 3_600_000).toISOString(),
    }
    const filter = 'eventType eq "user.lifecycle.create" or eventType eq "user.lifecycle.activate"'
    Checkpoint.open(checkpoint, {given: {since: '24h', until: '1h'}, query: {filter, ...window}}).close()
    const scope = nock(ORG)
      .get(`/api/v1/eventHooks/${HOOK_ID}`)
      .reply(200, hookTo(receiver.url))
      .get('/api/v1/logs')
      .query({filter, limit: '1000', sortOrder: 'ASCENDING', ...window})
      .reply(200, events(0, 3), rate)
    const {error, exitCode, json, stderr} = await runCommand(
      Replay,
      [HOOK_ID, '--since', '24h', '--until', '1h', '--checkpoint', checkpoint, '--json'],
      {env: orgEnv},
    )
    expect(error).to.equal(undefined)
    expect(exitCode, stderr).to.equal(0)
    expect(stderr).to.contain(
      `Resuming --checkpoint ${checkpoint}: the window ${window.since} to ` +
        `${window.until}, which --since 24h --until 1h meant at its first run.`,
    )
    expect(json.query).to.include(window)
    expect(json.stats).to.include({accepted: 3, resumed: true})
    expect(receiver.received).to.have.length(3)
    scope.done()
  })

  it('a --checkpoint another live run holds is refused: exit 2 naming its pid, nothing sent', async () => {
    receiver = await startReceiver()
    const checkpoint = join(tmp(), 'held.ckpt')
    writeFileSync(
      lockPathFor(checkpoint),
      JSON.stringify({host: hostname(), pid: process.ppid, started: '2026-12-01T10:00:00.000Z'}),
    )
    const scope = nock(ORG).get(`/api/v1/eventHooks/${HOOK_ID}`).reply(200, hookTo(receiver.url))
    const {exitCode, json} = await runCommand(
      Replay,
      [HOOK_ID, '--since', SINCE, '--until', UNTIL, '--checkpoint', checkpoint, '--json'],
      {env: orgEnv},
    )
    expect(exitCode).to.equal(2)
    expect(json.error).to.include({code: 'USAGE', exitCode: 2})
    expect(json.error.message).to.contain(`in use by another okta-hooks process (pid ${process.ppid}`)
    expect(receiver.received).to.have.length(0)
    scope.done()
  })

  it('needs --since and --until (exit 2), and refuses a window that ends before it starts', async () => {
    const missing = await runCommand(Replay, [HOOK_ID, '--since', '1h'], {env: orgEnv})
    expect(missing.exitCode).to.equal(2)
    expect(missing.stderr).to.contain('--until is required')
    const backwards = await runCommand(Replay, [HOOK_ID, '--since', '1h', '--until', '2h'], {env: orgEnv})
    expect(backwards.exitCode).to.equal(2)
    expect(backwards.stderr).to.contain('must be before --until')
  })
})
