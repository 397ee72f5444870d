import {expect} from 'chai'
import {spawn} from 'node:child_process'
import {existsSync, mkdtempSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {createInterface} from 'node:readline'

import List from '../../../src/commands/list.js'
import Logs from '../../../src/commands/logs.js'
import Emit from '../../../src/commands/sandbox/emit.js'
import Update from '../../../src/commands/update.js'
import {runCommand} from '../../helpers/run-command.js'
import {hookBody, okReceiver, startReceiver, startSandbox, stopAll, type TestSandbox} from '../../helpers/sandbox.js'
import {DEV_BIN, ROOT} from '../receiver/cli-process.js'

describe('sandbox: the CLI against the sandbox', () => {
  let t: TestSandbox
  let env: Record<string, string>
  beforeEach(async () => {
    t = await startSandbox()
    env = {OKTA_CLIENT_ORGURL: t.url, OKTA_CLIENT_TOKEN: t.sandbox.token}
  })
  afterEach(async function () {
    const child = this.currentTest?.ctx?.child as ReturnType<typeof spawn> | undefined
    if (child && child.exitCode === null) child.kill('SIGKILL')
    await stopAll()
  })

  it("the CLI's own list command (Okta SDK underneath) reads the sandbox's hooks", async () => {
    const {body: hook} = await t.api(
      'POST',
      '/api/v1/eventHooks',
      hookBody('https://hooks.example.com/okta', {name: 'Via SDK'}),
    )
    const table = await runCommand(List, [], {env})
    expect(table.error).to.equal(undefined)
    expect(table.exitCode).to.equal(0)
    expect(table.stdout).to.contain(hook.id).and.contain('Via SDK').and.contain('UNVERIFIED')
    const {error, exitCode, json} = await runCommand(List, ['--json'], {env})
    expect([error, exitCode]).to.deep.equal([undefined, 0])
    expect(json.hooks.map((h: any) => h.id)).to.deep.equal([hook.id])
    expect(json.hooks[0].channel.config.uri).to.equal('https://hooks.example.com/okta')

    const denied = await runCommand(List, [], {env: {...env, OKTA_CLIENT_TOKEN: 'wrong-token-000'}})
    expect(denied.exitCode).to.equal(3)
    expect(denied.stderr).to.contain('Invalid token provided')
  })

  it("list waits out the sandbox's 429 and says so", async () => {
    await stopAll()
    t = await startSandbox({rateLimit: 1, rateLimitWindowMs: 1000})
    env = {OKTA_CLIENT_ORGURL: t.url, OKTA_CLIENT_TOKEN: t.sandbox.token}
    await t.api('GET', '/api/v1/eventHooks')
    const {error, exitCode, stderr} = await runCommand(List, [], {env})
    expect([error, exitCode]).to.deep.equal([undefined, 0])
    expect(stderr).to.match(/rate limit reached on GET \/api\/v1\/eventHooks; waiting/)
  })

  it("update says what Okta did to verification, once, from Okta's answer: kept for the same secret, required for a new one or a new URL", async () => {
    const receiver = await startReceiver()
    const {body: hook} = await t.api('POST', '/api/v1/eventHooks', hookBody(receiver.url))
    await t.api('POST', `/api/v1/eventHooks/${hook.id}/lifecycle/verify`)
    const update = async (argv: string[], secret = 'hook-secret-value') => {
      const result = await runCommand(Update, [hook.id, ...argv, '--auth-secret-env', 'SECRET'], {
        env: {...env, SECRET: secret},
      })
      expect(result.exitCode, result.stderr).to.equal(0)
      const status = (await t.api('GET', `/api/v1/eventHooks/${hook.id}`)).body.verificationStatus
      const says = {
        required: result.stdout.includes('Okta requires verifying the hook again'),
        verified: result.stdout.includes(', VERIFIED.'),
      }
      expect(says.required && says.verified, 'never both').to.equal(false)
      return {...says, status, stdout: result.stdout}
    }

    expect(await update(['--description', 'same secret'])).to.deep.include({
      required: false,
      status: 'VERIFIED',
      verified: true,
    })
    const dry = await update(['--url', `${receiver.url}/v2`, '--dry-run'])
    expect(dry.stdout).to.contain('The channel changes: after this update Okta requires verifying the hook again')
    expect(dry.status).to.equal('VERIFIED')
    const resent = await update(['--description', 'dry'], 'another-secret')
    expect(resent).to.deep.include({required: true, status: 'UNVERIFIED', verified: false})
    expect(resent.stdout).to.contain(`Next: run \`okta-hooks verify ${hook.id}\``)
    await t.api('POST', `/api/v1/eventHooks/${hook.id}/lifecycle/verify`)
    const moved = await update(['--url', `${receiver.url}/v2`], 'another-secret')
    expect(moved).to.deep.include({required: true, status: 'UNVERIFIED', verified: false})
    const again = await update(['--verify', '--name', 'Renamed'], 'another-secret')
    expect(again).to.deep.include({required: false, status: 'VERIFIED', verified: true})
  })

  it('logs <id> of a deleted hook shows its history from the System Log, and who deleted it', async () => {
    const {body: hook} = await t.api(
      'POST',
      '/api/v1/eventHooks',
      hookBody('https://hooks.example.com/okta', {name: 'Gone hook'}),
    )
    await t.api('POST', `/api/v1/eventHooks/${hook.id}/lifecycle/deactivate`)
    expect((await t.api('DELETE', `/api/v1/eventHooks/${hook.id}`)).status).to.equal(204)
    const {exitCode, json, stderr} = await runCommand(Logs, [hook.id, '--json'], {env})
    expect(exitCode, stderr).to.equal(0)
    expect(json.hook).to.deep.equal({id: hook.id, name: 'Gone hook'})
    expect(json.deleted.by).to.equal('admin@sandbox.okta-hooks.local')
    expect(json.events.map((event: any) => event.eventType)).to.deep.equal([
      'event_hook.deleted',
      'event_hook.deactivated',
      'event_hook.created',
    ])
    expect(stderr).to.contain(
      `The event hook ${hook.id} ("Gone hook") no longer exists: ` +
        `admin@sandbox.okta-hooks.local deleted it at ${json.deleted.published}.`,
    )
    const text = await runCommand(Logs, [hook.id], {env})
    expect(text.stdout).to.contain('event_hook.deleted').and.contain('Event hook deleted')

    const unknown = await runCommand(Logs, ['whoNeverExisted0001', '--json'], {env})
    expect(unknown.exitCode).to.equal(4)
    expect(unknown.json.error.message).to.contain('No event hook has the id or name "whoNeverExisted0001"')
    const byName = await runCommand(Logs, ['Gone hook'], {env})
    expect(byName.exitCode, 'a name is never looked up in the log').to.equal(4)
  })

  it('sandbox emit prints uuids, delivers with --wait, and --json lists the routed hooks', async () => {
    const receiver = await startReceiver()
    const {body: hook} = await t.api('POST', '/api/v1/eventHooks', hookBody(receiver.url))
    await t.api('POST', `/api/v1/eventHooks/${hook.id}/lifecycle/verify`)
    const text = await runCommand(
      Emit,
      ['user.lifecycle.create', '--count', '2', '--target', 'kim@example.com', '--wait'],
      {env},
    )
    expect([text.error, text.exitCode]).to.deep.equal([undefined, 0])
    const uuids = text.stdout.trim().split('\n')
    expect(uuids).to.have.length(2)
    expect(text.stderr).to.contain(
      `Emitted 2 user.lifecycle.create events; delivered:\n  ${hook.id}: accepted (1 POST: 200, 1 attempt)`,
    )
    const delivered = receiver.requests
      .filter((request) => request.method === 'POST')
      .flatMap((request) => request.json.data.events)
    expect(delivered.map((event: any) => event.uuid)).to.deep.equal(uuids)
    expect(delivered[0].target[0]).to.include({alternateId: 'kim@example.com', displayName: 'kim'})

    const {exitCode, json} = await runCommand(
      Emit,
      ['user.session.start', '--actor', '{"alternateId":"ops@example.com","type":"User"}', '--json'],
      {env},
    )
    expect(exitCode).to.equal(0)
    expect(json.events).to.have.length(1)
    expect(json.events[0])
      .to.include({eventType: 'user.session.start'})
      .and.have.property('targetEventHookIds')
      .that.deep.equals([])
  })

  it('sandbox emit --wait reports a failed delivery per hook (status, attempts) and exits 5; --json carries the outcome beside error', async () => {
    const good = await startReceiver()
    // Answers the verification challenge, then 500 to every delivery.
    const bad = await startReceiver((request, response) => {
      if (request.method === 'GET') okReceiver(request, response)
      else response.writeHead(500).end()
    })
    const {body: ok} = await t.api('POST', '/api/v1/eventHooks', hookBody(good.url, {name: 'Good'}))
    const {body: failing} = await t.api('POST', '/api/v1/eventHooks', hookBody(bad.url, {name: 'Failing'}))
    await t.api('POST', `/api/v1/eventHooks/${ok.id}/lifecycle/verify`)
    await t.api('POST', `/api/v1/eventHooks/${failing.id}/lifecycle/verify`)

    const text = await runCommand(Emit, ['user.lifecycle.create', '--wait'], {env})
    expect(text.exitCode).to.equal(5)
    expect(text.stderr).to.contain(`  ${ok.id}: accepted (1 POST: 200, 1 attempt)`)
    expect(text.stderr).to.contain(
      `  ${failing.id}: FAILED (1 of 1 POST): HTTP 500 from the event hook endpoint, 2 attempts`,
    )
    expect(text.stderr).to.contain(`Error: Delivery to ${failing.id} failed.`)
    expect(bad.requests.filter((request) => request.method === 'POST')).to.have.length(2)

    const {exitCode, json} = await runCommand(Emit, ['user.lifecycle.create', '--count', '3', '--wait', '--json'], {
      env,
    })
    expect(exitCode).to.equal(5)
    expect(json.verdict).to.equal('failed')
    expect(json.error).to.include({code: 'DELIVERY_FAILED', exitCode: 5})
    expect(json.events).to.have.length(3)
    const byHook = Object.fromEntries(json.deliveries.map((hook: any) => [hook.hookId, hook]))
    expect(byHook[ok.id]).to.deep.equal({
      batches: [{attempts: 1, events: 3, status: 200, verdict: 'accepted'}],
      hookId: ok.id,
      verdict: 'accepted',
    })
    expect(byHook[failing.id]).to.deep.equal({
      batches: [
        {attempts: 2, events: 3, reason: 'HTTP 500 from the event hook endpoint', status: 500, verdict: 'failed'},
      ],
      hookId: failing.id,
      verdict: 'failed',
    })
    // Without --wait there is no verdict: the events are only routed.
    const routed = await runCommand(Emit, ['user.lifecycle.create', '--json'], {env})
    expect(routed.exitCode).to.equal(0)
    expect(routed.json).to.have.all.keys('events')
  })

  it('sandbox emit fails clearly: unknown type (2), wrong token (3), nothing listening (6)', async () => {
    const unknown = await runCommand(Emit, ['user.lifecycle.creat'], {env})
    expect(unknown.exitCode).to.equal(2)
    expect(unknown.stderr).to.contain('user.lifecycle.creat is not in the event-type catalog')
    const wrong = await runCommand(Emit, ['user.lifecycle.create', '--json'], {
      env: {...env, OKTA_CLIENT_TOKEN: 'nope-nope-nope'},
    })
    expect(wrong.exitCode).to.equal(3)
    expect(wrong.json.error.code).to.equal('E0000011')
    const down = await runCommand(Emit, ['user.lifecycle.create', '--org-url', 'http://127.0.0.1:9'], {env})
    expect(down.exitCode).to.equal(6)
    expect(down.stderr).to.contain('No sandbox answered at http://127.0.0.1:9').and.contain('okta-hooks sandbox start')
  })

  it('sandbox start: a JSON ready line, serves the API, stops cleanly on SIGTERM with a summary and saved state', async function () {
    this.timeout(30_000)
    const data = join(mkdtempSync(join(tmpdir(), 'okta-hooks-sandbox-')), 'state.json')
    const argv = ['--port', '0', '--json', '--data', data, '--token', 'start-test-token']
    const child = spawn(process.execPath, [DEV_BIN, 'sandbox', 'start', ...argv], {
      cwd: ROOT,
      env: {...process.env, NODE_OPTIONS: ''},
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stderr = ''
    let onStderr = () => {}
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString()
      onStderr()
    })
    const stderrContains = (text: string) =>
      new Promise<void>((resolve) => {
        onStderr = () => stderr.includes(text) && resolve()
        onStderr()
      })
    const exited = new Promise<null | number>((resolve) => {
      child.on('exit', resolve)
    })
    this.test!.ctx!.child = child
    const lines = createInterface({input: child.stdout})[Symbol.asyncIterator]()
    const ready = JSON.parse((await lines.next()).value)
    expect(ready).to.deep.include({dataFile: data, token: 'start-test-token'})
    expect(ready.orgUrl).to.equal(`http://127.0.0.1:${ready.port}`)
    await stderrContains(`export OKTA_CLIENT_ORGURL=${ready.orgUrl} OKTA_CLIENT_TOKEN=start-test-token`)
    const response = await fetch(`${ready.orgUrl}/api/v1/eventHooks`, {
      headers: {Authorization: 'SSWS start-test-token'},
    })
    expect(response.status).to.equal(200)
    child.kill('SIGTERM')
    const summary = JSON.parse((await lines.next()).value)
    expect(await exited).to.equal(0)
    expect(summary).to.deep.include({orgUrl: ready.orgUrl, stopped: true})
    expect(summary.summary.requests).to.equal(1)
    await stderrContains('Sandbox stopped: 1 requests')
    expect(existsSync(data)).to.equal(true)
  })
})
