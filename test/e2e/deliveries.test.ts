/**
 * Deliveries end to end: `sandbox emit` → the sandbox's delivery engine → a real `listen`
 * (read through its NDJSON), then what okta-hooks does with them: deliveries list/show/replay/clear,
 * preview of System Log events, check-endpoint, and a failing receiver (Okta's one retry, the
 * event_hook.delivery event in `logs`, exit 5 from preview).
 */
import {expect} from 'chai'

import {assertBuilt, type CliResult, describeRun, type Env, runCli, stopAllProcesses, Workspace} from './helpers/cli.js'
import {type Listener, type Sandbox, startListen, startSandbox} from './helpers/processes.js'

const SECRET = 'e2e-deliveries-secret-94d1'

describe('e2e: deliveries (sandbox emit, listen, deliveries, preview, check-endpoint)', function () {
  this.timeout(60_000)
  let workspace: Workspace
  let sandbox: Sandbox
  let receiver: Listener
  let failing: Listener
  let hookId: string
  let failingHookId: string
  let emittedUuid: string

  const cli = (args: string[], extra: Env = {}): Promise<CliResult> =>
    runCli(args, {env: workspace.env({...sandbox.connection, HOOK_SECRET: SECRET, ...extra})})
  const ok = (result: CliResult): CliResult => {
    expect(result.code, describeRun(result)).to.equal(0)
    return result
  }

  before(async () => {
    assertBuilt()
    workspace = new Workspace('e2e-deliveries')
    ;[sandbox, receiver, failing] = await Promise.all([
      startSandbox(workspace),
      startListen(workspace, ['--auth-secret-env', 'HOOK_SECRET'], {HOOK_SECRET: SECRET}),
      startListen(workspace, ['--auth-secret-env', 'HOOK_SECRET', '--respond-status', '500'], {HOOK_SECRET: SECRET}),
    ])
    const created = ok(
      await cli([
        'create',
        '--name',
        'Deliveries',
        '--url',
        receiver.url,
        '--event',
        'user.lifecycle.create',
        '--auth-secret-env',
        'HOOK_SECRET',
        '--header',
        'X-Team: identity',
        '--verify',
        '--json',
      ]),
    )
    hookId = created.json().hook.id
    const failingHook = ok(
      await cli([
        'create',
        '--name',
        'Failing',
        '--url',
        failing.url,
        '--event',
        'group.user_membership.add',
        '--auth-secret-env',
        'HOOK_SECRET',
        '--verify',
        '--json',
      ]),
    )
    failingHookId = failingHook.json().hook.id
  })

  after(async () => {
    await Promise.all([sandbox?.stop(), receiver?.stop(), failing?.stop()])
    await stopAllProcesses()
    workspace?.remove()
  })

  const record = () => ['--record', receiver.record]

  it("sandbox emit --wait: the event reaches listen in Okta's envelope, with the hook's auth and headers", async () => {
    const from = receiver.messages.length
    const emitted = ok(
      await cli([
        'sandbox',
        'emit',
        'user.lifecycle.create',
        '--target',
        'grace.hopper@example.com',
        '--actor',
        'it.admin@example.com',
        '--wait',
        '--json',
      ]),
    )
    const [event] = emitted.json().events
    expect(event).to.include({eventType: 'user.lifecycle.create'})
    expect(event.targetEventHookIds).to.deep.equal([hookId])
    emittedUuid = event.uuid

    const delivery = await receiver.waitForMessage(
      (m) => m.type === 'delivery' && m.events?.[0]?.uuid === emittedUuid,
      'the emitted event',
      from,
    )
    expect(delivery).to.include({auth: 'ok', batchSize: 1, method: 'POST', status: 204})
    expect(delivery.envelope).to.include({
      cloudEventsVersion: '0.1',
      contentType: 'application/json',
      eventType: 'com.okta.event_hook',
      eventTypeVersion: '1.0',
    })
    expect(delivery.envelope.source).to.equal(`${sandbox.orgUrl}/api/v1/eventHooks/${hookId}`)
    const [logEvent] = delivery.envelope.data.events
    expect(logEvent.target[0].alternateId).to.equal('grace.hopper@example.com')
    expect(logEvent.actor.alternateId).to.equal('it.admin@example.com')

    const shown = ok(await cli(['deliveries', 'show', delivery.id as string, ...record(), '--json'])).json().delivery
    const headers = Object.fromEntries(Object.entries(shown.request.headers).map(([k, v]) => [k.toLowerCase(), v]))
    expect(headers['x-team']).to.equal('identity')
    expect(headers.authorization).not.to.include(SECRET)
    expect(JSON.stringify(shown)).not.to.include(SECRET)
  })

  it('sandbox emit: uuids on stdout one per line; --count events arrive (batched); an unsubscribed type goes nowhere', async () => {
    const before = receiver.eventCount()
    const plain = ok(await cli(['sandbox', 'emit', 'user.lifecycle.create', '--wait']))
    expect(plain.stdout.trim()).to.match(/^[\da-f-]{36}$/)
    expect(plain.stderr).to.include(hookId)

    const many = ok(await cli(['sandbox', 'emit', 'user.lifecycle.create', '--count', '5', '--wait', '--json'])).json()
    expect(many.events).to.have.length(5)
    await receiver.waitForEvents(before + 6)
    const uuids = new Set(receiver.messages.flatMap((m) => (m.events ?? []).map((e) => e.uuid)))
    for (const event of many.events) expect(uuids.has(event.uuid)).to.equal(true)

    const elsewhere = ok(await cli(['sandbox', 'emit', 'user.session.start', '--wait', '--json'])).json()
    expect(elsewhere.events[0].targetEventHookIds).to.deep.equal([])
  })

  it("a failing receiver (500): Okta's one retry, then an event_hook.delivery event in `logs --type delivery`", async () => {
    const from = failing.messages.length
    const emitted = await cli(['sandbox', 'emit', 'group.user_membership.add', '--wait'])
    expect(emitted.code, describeRun(emitted)).to.equal(5)
    expect(emitted.stderr).to.contain(
      `${failingHookId}: FAILED (1 of 1 POST): HTTP 500 from the event hook endpoint, 2 attempts`,
    )
    await failing.process.waitUntil(
      () => (failing.messages.slice(from).filter((m) => m.type === 'delivery').length >= 2 ? true : undefined),
      'two delivery attempts',
    )
    const attempts = failing.messages.slice(from).filter((m) => m.type === 'delivery')
    expect(attempts.map((m) => m.status)).to.deep.equal([500, 500])
    expect(attempts[0].eventId).to.equal(attempts[1].eventId)

    const {events} = ok(await cli(['logs', failingHookId, '--type', 'delivery', '--json'])).json()
    expect(events).to.have.length(1)
    expect(events[0]).to.include({eventType: 'event_hook.delivery'})
    expect(events[0].outcome.result).to.equal('FAILURE')
  })

  it('deliveries list: the recorded verification and deliveries, newest last (table and --json)', async () => {
    const {deliveries, more} = ok(await cli(['deliveries', 'list', ...record(), '--limit', '0', '--json'])).json()
    expect(more).to.equal(false)
    expect(ok(await cli(['deliveries', 'list', ...record(), '--limit', '1', '--json'])).json().more).to.equal(
      deliveries.length > 1,
    )
    expect(deliveries[0]).to.include({kind: 'verification', method: 'GET', status: 200})
    const posts = deliveries.filter((d: any) => d.kind === 'delivery')
    expect(posts.reduce((sum: number, d: any) => sum + d.events, 0)).to.equal(receiver.eventCount())
    const times = deliveries.map((d: any) => d.receivedAt)
    expect(times).to.deep.equal([...times].sort())

    const table = ok(await cli(['deliveries', 'list', ...record()]))
    expect(table.stdout).to.include('verify').and.to.include('POST').and.to.include('204')
  })

  it('deliveries replay: resends a recorded delivery (auth given again, --set applied) and judges the answer; exit 5 on a 500', async () => {
    const from = receiver.messages.length
    const replayed = ok(
      await cli([
        'deliveries',
        'replay',
        'last',
        ...record(),
        '--to',
        receiver.url,
        '--auth-secret-env',
        'HOOK_SECRET',
        '--set',
        'eventId="replayed-by-e2e"',
        '--json',
      ]),
    ).json()
    expect(replayed.verdict).to.equal('accepted')
    expect(replayed.response.status).to.equal(204)
    const arrived = await receiver.waitForMessage(
      (m) => m.type === 'delivery' && m.eventId === 'replayed-by-e2e',
      'the replayed delivery',
      from,
    )
    expect(arrived.auth).to.equal('ok')

    const rejected = await cli([
      'deliveries',
      'replay',
      'last',
      ...record(),
      '--to',
      failing.url,
      '--auth-secret-env',
      'HOOK_SECRET',
    ])
    expect(rejected.code, describeRun(rejected)).to.equal(5)
  })

  it("preview: the System Log event, changed with --set, reaches the hook's URL; --dry-run sends nothing", async () => {
    const from = receiver.messages.length
    const result = ok(
      await cli([
        'preview',
        'Deliveries',
        '--auth-secret-env',
        'HOOK_SECRET',
        '--event-id',
        emittedUuid,
        '--set',
        'data.events[0].target[0].alternateId="ada.lovelace@example.com"',
        '--json',
      ]),
    )
    const preview = result.json()
    expect(preview).to.include({dryRun: false, events: 1, target: receiver.url, verdict: 'accepted'})
    const arrived = await receiver.waitForMessage((m) => m.type === 'delivery', 'the preview delivery', from)
    expect(arrived.auth).to.equal('ok')
    const [event] = arrived.envelope.data.events
    expect(event.uuid).to.equal(emittedUuid)
    expect(event.target[0].alternateId).to.equal('ada.lovelace@example.com')
    expect(arrived.envelope.source).to.equal(`${sandbox.orgUrl}/api/v1/eventHooks/${hookId}`)

    const count = receiver.messages.length
    const dry = ok(await cli(['preview', hookId, '--sample', '--dry-run', '--json'])).json()
    expect(dry).to.include({dryRun: true, events: 1})
    expect(dry.deliveries[0].attempts).to.deep.equal([])
    const human = ok(await cli(['preview', hookId, '--auth-secret-env', 'HOOK_SECRET']))
    expect(human.stdout).to.include('ACCEPTED')
    await receiver.waitForMessage((m) => m.type === 'delivery', 'the human preview delivery', count)
    expect(receiver.messages.slice(count).filter((m) => m.type === 'delivery')).to.have.length(1)
  })

  it("preview to a receiver answering 500: exit 5; with --retry Okta's second attempt is made", async () => {
    const from = failing.messages.length
    const once = await cli([
      'preview',
      '--to',
      failing.url,
      '--sample',
      '--event-type',
      'user.lifecycle.create',
      '--auth-secret-env',
      'HOOK_SECRET',
      '--json',
    ])
    expect(once.code, describeRun(once)).to.equal(5)
    const report = once.json()
    expect(report.verdict).to.not.equal('accepted')
    expect(report.deliveries[0].attempts).to.have.length(1)

    const twice = await cli([
      'preview',
      '--to',
      failing.url,
      '--sample',
      '--event-type',
      'user.lifecycle.create',
      '--auth-secret-env',
      'HOOK_SECRET',
      '--retry',
      '--json',
    ])
    expect(twice.code, describeRun(twice)).to.equal(5)
    expect(twice.json().deliveries[0].attempts).to.have.length(2)
    await failing.process.waitUntil(
      () => (failing.messages.slice(from).filter((m) => m.type === 'delivery').length >= 3 ? true : undefined),
      'three attempts',
    )
  })

  it('check-endpoint: passes against listen with the right secret, fails (exit 5) with a wrong one', async () => {
    const good = ok(await cli(['check-endpoint', receiver.url, '--auth-secret-env', 'HOOK_SECRET', '--json'])).json()
    expect(good.ok).to.equal(true)
    expect(good.counts.fail).to.equal(0)
    const verification = good.checks.find((c: any) => c.id === 'verification')
    expect(verification.status).to.equal('pass')

    const bad = await cli(['check-endpoint', receiver.url, '--auth-secret-env', 'HOOK_SECRET'], {
      HOOK_SECRET: 'not-the-secret',
    })
    expect(bad.code, describeRun(bad)).to.equal(5)
    expect(bad.stdout).to.match(/FAIL\s+verification GET/)
  })

  it('deliveries clear: exit 2 without --yes under CI; with --yes the record is empty', async () => {
    const refused = await cli(['deliveries', 'clear', ...record()])
    expect(refused.code, describeRun(refused)).to.equal(2)
    ok(await cli(['deliveries', 'clear', ...record(), '--yes']))
    const {deliveries, more} = ok(await cli(['deliveries', 'list', ...record(), '--json'])).json()
    expect(more).to.equal(false)
    expect(deliveries).to.deep.equal([])
  })
})
