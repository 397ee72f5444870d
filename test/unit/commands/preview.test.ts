import {expect} from 'chai'
import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import nock from 'nock'

import Preview from '../../../src/commands/preview.js'
import {ENVELOPE_KEYS} from '../../../src/lib/delivery/envelope.js'
import {hookFixture} from '../../fixtures/hooks/index.js'
import {ORG, orgEnv, runCommand, TEST_TOKEN} from '../../helpers/run-command.js'
import {type Receiver, realEvent, startReceiver} from '../../helpers/syslog-standin.js'

const HOOK_ID = 'who8vt36qfNpCGz9H1e6'
const SECRET = 'hook-secret-value-123456'
const env = {...orgEnv, HOOK_SECRET: SECRET}
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

function tempFile(name: string, content: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'okta-hooks-preview-')), name)
  writeFileSync(file, content)
  return file
}

describe('preview', () => {
  let receiver: Receiver | undefined
  afterEach(async () => {
    await receiver?.close()
    receiver = undefined
  })

  it("sends the newest event of the hook's types, field for field, in Okta's envelope with Okta's headers", async () => {
    receiver = await startReceiver()
    const event = realEvent({eventType: 'user.lifecycle.create', uuid: '4b5a2e5e-3f4c-11ef-9c1e-3b1a0b6b2f41'})
    const hook = hookFixture({
      channel: {...hookFixture().channel, config: {...hookFixture().channel.config, uri: receiver.url}},
    })
    const scope = nock(ORG, {reqheaders: {authorization: `SSWS ${TEST_TOKEN}`}})
      .get(`/api/v1/eventHooks/${HOOK_ID}`)
      .reply(200, hook)
      .get('/api/v1/logs')
      .query(
        (q) =>
          q.filter === 'eventType eq "user.lifecycle.create" or eventType eq "user.lifecycle.activate"' &&
          q.sortOrder === 'DESCENDING' &&
          q.limit === '1' &&
          Boolean(q.since) &&
          Boolean(q.until),
      )
      .reply(200, [event])
    const started = Date.now()
    const {error, exitCode, json, stderr} = await runCommand(
      Preview,
      [HOOK_ID, '--auth-secret-env', 'HOOK_SECRET', '--json'],
      {env},
    )
    expect(error).to.equal(undefined)
    expect(exitCode).to.equal(0)
    expect(receiver.received).to.have.length(1)
    const [request] = receiver.received
    expect(request.method).to.equal('POST')
    expect(Object.keys(request.json)).to.deep.equal([...ENVELOPE_KEYS])
    expect(request.json).to.deep.include({
      cloudEventsVersion: '0.1',
      contentType: 'application/json',
      eventType: 'com.okta.event_hook',
      eventTypeVersion: '1.0',
      source: `${ORG}/api/v1/eventHooks/${HOOK_ID}`,
    })
    expect(request.json.eventId).to.match(UUID)
    expect(Date.parse(request.json.eventTime)).to.be.within(started - 1000, Date.now() + 1000)
    // Field for field, byte for byte, including what the SDK's models drop.
    expect(JSON.stringify(request.json.data.events[0])).to.equal(JSON.stringify(event))
    expect(request.json.data.events[0]).to.have.keys(Object.keys(event))
    expect(request.json.data.events[0]).to.include.keys('device', 'insertionTimestamp', 'futureField')
    expect(request.json.data.events[0].authenticationContext.rootSessionId).to.equal('idxBager62CSveUkTxvgRtonA')
    expect(request.json.data.events[0].client.ipChain).to.have.length(1)
    expect(request.headers).to.deep.include({
      accept: 'application/json',
      authorization: SECRET,
      'content-type': 'application/json',
      'x-other-header': 'some-other-value',
    })
    expect(json.verdict).to.equal('accepted')
    expect(json.deliveries[0].result).to.include({status: 200, verdict: 'accepted'})
    expect(json.deliveries[0].envelope.eventId).to.equal(request.json.eventId)
    expect(json.deliveries[0].request.headers.Authorization).to.equal('****')
    expect(JSON.stringify(json) + stderr).not.to.contain(SECRET)
    scope.done()
  })

  it('sends a System Log event as the exact text Okta returned (1.0 stays 1.0); --set works on it too', async () => {
    receiver = await startReceiver()
    const raw =
      '{"uuid":"4b5a2e5e-3f4c-11ef-9c1e-3b1a0b6b2f41","eventType":"user.lifecycle.create","zeta":1.0,"target":[{"alternateId":"a@example.com"}],"big":12345678901234567890}'
    const scope = nock(ORG)
      .get(`/api/v1/eventHooks/${HOOK_ID}`)
      .twice()
      .reply(200, hookFixture())
      .get('/api/v1/logs')
      .twice()
      .query(true)
      .reply(200, `[${raw}]`, {'Content-Type': 'application/json'})
    const plain = await runCommand(Preview, [HOOK_ID, '--to', receiver.url, '--no-auth'], {env: orgEnv})
    expect(plain.exitCode).to.equal(0)
    expect(receiver.received[0].body).to.contain(`"data":{"events":[${raw}]}`)
    const changed = await runCommand(
      Preview,
      [HOOK_ID, '--to', receiver.url, '--no-auth', '--set', 'data.events[0].target[0].alternateId=b@example.com'],
      {env: orgEnv},
    )
    expect(changed.exitCode).to.equal(0)
    expect(receiver.received[1].json.data.events[0].target[0].alternateId).to.equal('b@example.com')
    scope.done()
  })

  it('without a hook: --to with --sample makes no Okta call and uses the placeholder source', async () => {
    receiver = await startReceiver()
    const {error, exitCode, stdout} = await runCommand(
      Preview,
      ['--to', receiver.url, '--sample', '--event-type', 'user.lifecycle.deactivate'],
      {env: {}},
    )
    expect(error).to.equal(undefined)
    expect(exitCode).to.equal(0)
    expect(stdout).to.contain('ACCEPTED: 200')
    const [request] = receiver.received
    expect(request.json.source).to.equal('https://example.okta.com/api/v1/eventHooks/who0000000000000000000')
    expect(request.json.data.events[0].eventType).to.equal('user.lifecycle.deactivate')
    expect(request.json.data.events[0].target[0].alternateId).to.be.a('string')
    expect(request.headers.authorization).to.equal(undefined)
  })

  it('--from-file NDJSON in batches, with every --set applied to each envelope', async () => {
    receiver = await startReceiver()
    const events = [1, 2, 3].map((n) => realEvent({uuid: `u${n}`}))
    const file = tempFile('events.ndjson', events.map((e) => JSON.stringify(e)).join('\n') + '\n')
    const {error, exitCode, json} = await runCommand(
      Preview,
      [
        '--to',
        receiver.url,
        '--from-file',
        file,
        '--batch-size',
        '2',
        '--set',
        'data.events[0].target[0].alternateId=jane@example.com',
        '--set',
        'data.events[0].severity="WARN"',
        '--json',
      ],
      {env: {}},
    )
    expect(error).to.equal(undefined)
    expect(exitCode).to.equal(0)
    expect(receiver.received.map((r) => r.json.data.events.map((e: any) => e.uuid))).to.deep.equal([
      ['u1', 'u2'],
      ['u3'],
    ])
    for (const request of receiver.received) {
      expect(request.json.data.events[0].target[0].alternateId).to.equal('jane@example.com')
      expect(request.json.data.events[0].severity).to.equal('WARN')
    }

    expect(receiver.received[0].json.data.events[1]).to.deep.equal(events[1])
    expect(json.deliveries).to.have.length(2)
    expect(json.events).to.equal(3)
  })

  it('--from-file - reads a whole envelope from stdin and sends its events in a fresh envelope', async () => {
    receiver = await startReceiver()
    const envelope = {
      cloudEventsVersion: '0.1',
      contentType: 'application/json',
      data: {events: [realEvent({uuid: 'env1'})]},
      eventId: 'old-id',
      eventTime: '2020-01-01T00:00:00.000Z',
      eventType: 'com.okta.event_hook',
      eventTypeVersion: '1.0',
      source: 'x',
    }
    const {exitCode} = await runCommand(Preview, ['--to', receiver.url, '--from-file', '-'], {
      env: {},
      stdin: JSON.stringify(envelope),
    })
    expect(exitCode).to.equal(0)
    expect(receiver.received[0].json.eventId).not.to.equal('old-id')
    expect(receiver.received[0].json.data.events).to.deep.equal(envelope.data.events)
  })

  it('--body-file sends the file byte for byte', async () => {
    receiver = await startReceiver()
    const body = '{"hand":"written",  "spacing":[1, 2]}\n'
    const file = tempFile('body.json', body)
    const {exitCode} = await runCommand(Preview, ['--to', receiver.url, '--body-file', file], {env: {}})
    expect(exitCode).to.equal(0)
    expect(receiver.received[0].body).to.equal(body)
  })

  it('a 4xx is rejected without a retry (even with --retry): exit 5', async () => {
    receiver = await startReceiver(() => ({
      body: '{"error":"bad"}',
      headers: {'content-type': 'application/json'},
      status: 400,
    }))
    const {exitCode, stderr, stdout} = await runCommand(
      Preview,
      ['--to', receiver.url, '--sample', '--event-type', 'user.lifecycle.create', '--retry'],
      {env: {}},
    )
    expect(exitCode).to.equal(5)
    expect(stderr).to.contain('Error: Delivery rejected: 400')
    expect(stderr).to.contain('Okta does not retry a 4xx')
    expect(stdout).to.contain('REJECTED').and.contain('{"error":"bad"}')
    expect(receiver.received).to.have.length(1)
  })

  it('a 5xx is retried once with --retry and stays failed: exit 5 with the JSON result', async () => {
    receiver = await startReceiver(() => ({status: 503}))
    const {exitCode, json, stderr} = await runCommand(
      Preview,
      ['--to', receiver.url, '--sample', '--event-type', 'user.lifecycle.create', '--retry', '--json'],
      {env: {}},
    )
    expect(exitCode).to.equal(5)
    expect(receiver.received).to.have.length(2)
    expect(json.verdict).to.equal('failed')
    expect(json.deliveries[0].attempts.map((a: any) => a.verdict)).to.deep.equal(['failed', 'failed'])
    expect(json.error).to.include({code: 'DELIVERY_FAILED', exitCode: 5})
    expect(json.error.message).to.contain('Delivery failed: 503')
    expect(stderr).to.equal('')
  })

  it("a receiver slower than --receiver-timeout (Okta's 3s by default) is a timeout: failed, exit 5", async () => {
    receiver = await startReceiver(() => ({delayMs: 300}))
    const argv = [
      '--to',
      receiver.url,
      '--sample',
      '--event-type',
      'user.lifecycle.create',
      '--receiver-timeout',
      '100ms',
      '--json',
    ]
    const {exitCode, json} = await runCommand(Preview, argv, {env: {}})
    expect(exitCode).to.equal(5)
    expect(json.deliveries[0].result).to.include({error: 'TIMEOUT', verdict: 'failed'})
    expect(json.deliveries[0].result.explanation).to.match(/^no answer within 100ms/)
    expect(Preview.flags['receiver-timeout'].default).to.equal(3000)
    expect(Preview.baseFlags.timeout.default).to.equal(30_000)
  })

  it("--timeout is the time for each call to Okta, --receiver-timeout the receiver's: each set on its own", async () => {
    // the receiver is slower than --timeout (a real timer, 0.3 s: far more than Okta's second answer
    // needs on a busy machine) and within --receiver-timeout
    receiver = await startReceiver(() => ({delayMs: 600}))
    const hook = hookFixture({
      channel: {...hookFixture().channel, config: {...hookFixture().channel.config, uri: receiver.url}},
    })
    const scope = nock(ORG)
      .get(`/api/v1/eventHooks/${HOOK_ID}`)
      .delay(3000)
      .reply(200, hook)
      .get(`/api/v1/eventHooks/${HOOK_ID}`)
      .reply(200, hook)
    const argv = [HOOK_ID, '--sample', '--no-auth', '--timeout', '300ms', '--receiver-timeout', '2s', '--json']
    const {exitCode, json, stderr} = await runCommand(Preview, argv, {env})
    expect(exitCode, stderr).to.equal(0)
    expect(stderr).to.match(/no answer within 0\.3s; retrying/)
    expect(json.verdict).to.equal('accepted')
    expect(receiver.received).to.have.length(1)
    scope.done()
  })

  it('--dry-run prints the envelope and headers with the secret masked, and sends nothing', async () => {
    const scope = nock(ORG).get(`/api/v1/eventHooks/${HOOK_ID}`).reply(200, hookFixture())
    const {exitCode, stdout} = await runCommand(
      Preview,
      [HOOK_ID, '--sample', '--dry-run', '--auth-secret-env', 'HOOK_SECRET'],
      {env},
    )
    expect(exitCode).to.equal(0)
    expect(stdout).to.contain('Dry run: would POST').and.contain('https://hooks.example.com/okta')
    expect(stdout)
      .to.contain('Authorization: ****')
      .and.contain('X-Other-Header: some-other-value')
      .and.contain('"eventType": "com.okta.event_hook"')
    expect(stdout).not.to.contain(SECRET)
    scope.done()
  })

  it('a hook with an auth scheme and no secret source (no TTY) is exit 2 naming the flags; --no-auth sends none', async () => {
    receiver = await startReceiver()
    const scope = nock(ORG).get(`/api/v1/eventHooks/${HOOK_ID}`).twice().reply(200, hookFixture())
    const missing = await runCommand(Preview, [HOOK_ID, '--sample', '--to', receiver.url], {env: orgEnv})
    expect(missing.exitCode).to.equal(2)
    expect(missing.stderr).to.contain('--auth-secret-env').and.contain('--no-auth')
    const none = await runCommand(Preview, [HOOK_ID, '--sample', '--to', receiver.url, '--no-auth'], {env: orgEnv})
    expect(none.exitCode).to.equal(0)
    expect(receiver.received).to.have.length(1)
    expect(receiver.received[0].headers.authorization).to.equal(undefined)
    expect(receiver.received[0].json.data.events[0].eventType).to.equal('user.lifecycle.create')
    scope.done()
  })

  it('--event-id asks the System Log for those uuids over 90 days; no match is exit 4', async () => {
    const id = '4b5a2e5e-3f4c-11ef-9c1e-3b1a0b6b2f41'
    const scope = nock(ORG)
      .get(`/api/v1/eventHooks/${HOOK_ID}`)
      .reply(200, hookFixture())
      .get('/api/v1/logs')
      .query((q) => q.filter === `uuid eq "${id}"` && Date.now() - Date.parse(String(q.since)) > 88 * 86_400_000)
      .reply(200, [])
    const {exitCode, stderr} = await runCommand(Preview, [HOOK_ID, '--event-id', id, '--no-auth'], {env: orgEnv})
    expect(exitCode).to.equal(4)
    expect(stderr).to.contain('No System Log event matches').and.contain('--sample')
    scope.done()
  })

  it('usage errors: no hook without --to, plain http to a remote host, --edit without a terminal', async () => {
    const noHook = await runCommand(Preview, ['--sample'], {env: {}})
    expect(noHook.exitCode).to.equal(2)
    expect(noHook.stderr).to.contain('Missing the hook')
    const http = await runCommand(
      Preview,
      ['--to', 'http://hooks.example.com/okta', '--sample', '--event-type', 'user.lifecycle.create'],
      {env: {}},
    )
    expect(http.exitCode).to.equal(2)
    expect(http.stderr).to.contain('--allow-http')
    const allowed = await runCommand(
      Preview,
      [
        '--to',
        'http://hooks.example.com/okta',
        '--allow-http',
        '--sample',
        '--event-type',
        'user.lifecycle.create',
        '--dry-run',
      ],
      {env: {}},
    )
    expect(allowed.exitCode).to.equal(0)
    const edit = await runCommand(
      Preview,
      ['--to', 'http://127.0.0.1:9/okta', '--sample', '--event-type', 'user.lifecycle.create', '--edit'],
      {env: {}},
    )
    expect(edit.exitCode).to.equal(2)
    expect(edit.stderr).to.contain('--edit opens $EDITOR and needs a terminal')
    const sample = await runCommand(Preview, ['--to', 'http://127.0.0.1:9/okta', '--sample'], {env: {}})
    expect(sample.exitCode).to.equal(2)
    expect(sample.stderr).to.contain('--sample without a hook needs --event-type')
  })
})
