/**
 * The event hook lifecycle end to end: the built CLI against a sandbox over real HTTP, with a real
 * `listen` receiver that answers the verification (and one with a different secret that refuses it).
 */
import {expect} from 'chai'

import {
  assertBuilt,
  CliProcess,
  type CliResult,
  describeRun,
  type Env,
  runCli,
  stopAllProcesses,
  Workspace,
} from './helpers/cli.js'
import {type Listener, type Sandbox, startListen, startSandbox} from './helpers/processes.js'

const SECRET = 'e2e-lifecycle-secret-7f3a9c'
const OTHER_SECRET = 'e2e-some-other-secret-1b2c'

describe('e2e: event hook lifecycle (create, get, list, verify, update, activate, deactivate, logs, delete)', function () {
  this.timeout(60_000)
  let workspace: Workspace
  let sandbox: Sandbox
  let receiver: Listener
  let stranger: Listener
  let hookId: string

  const cli = (args: string[], extra: Env = {}): Promise<CliResult> =>
    runCli(args, {env: workspace.env({...sandbox.connection, HOOK_SECRET: SECRET, ...extra})})
  const ok = (result: CliResult): CliResult => {
    expect(result.code, describeRun(result)).to.equal(0)
    return result
  }

  before(async () => {
    assertBuilt()
    workspace = new Workspace('e2e-lifecycle')
    ;[sandbox, receiver, stranger] = await Promise.all([
      startSandbox(workspace),
      startListen(workspace, ['--auth-secret-env', 'HOOK_SECRET'], {HOOK_SECRET: SECRET}),
      startListen(workspace, ['--auth-secret-env', 'HOOK_SECRET'], {HOOK_SECRET: OTHER_SECRET}),
    ])
  })

  after(async () => {
    await Promise.all([sandbox?.stop(), receiver?.stop(), stranger?.stop()])
    await stopAllProcesses()
    workspace?.remove()
  })

  it('create --json: one JSON document, the hook ACTIVE and UNVERIFIED, secret not echoed, header masked', async () => {
    const result = ok(
      await cli([
        'create',
        '--name',
        'E2E users',
        '--url',
        receiver.url,
        '--event',
        'user.lifecycle.create,user.lifecycle.deactivate',
        '--auth-secret-env',
        'HOOK_SECRET',
        '--header',
        'X-Team: identity',
        '--description',
        'made by the e2e suite',
        '--json',
      ]),
    )
    const {created, hook} = result.json()
    expect(created).to.equal(true)
    expect(hook.id).to.match(/^who\w+$/)
    expect(hook).to.include({
      description: 'made by the e2e suite',
      name: 'E2E users',
      status: 'ACTIVE',
      verificationStatus: 'UNVERIFIED',
    })
    expect(hook.events.items).to.deep.equal(['user.lifecycle.create', 'user.lifecycle.deactivate'])
    expect(hook.channel.config.uri).to.equal(receiver.url)
    expect(hook.channel.config.headers).to.deep.equal([{key: 'X-Team', value: '****'}])
    expect(result.stdout + result.stderr).not.to.include(SECRET)
    expect(result.stderr).to.match(/plain http on a loopback host/)
    hookId = hook.id
  })

  it('create --if-not-exists reports the existing hook; --dry-run calls nothing', async () => {
    const again = ok(
      await cli([
        'create',
        '--name',
        'E2E users',
        '--url',
        receiver.url,
        '--event',
        'user.lifecycle.create',
        '--auth-secret-env',
        'HOOK_SECRET',
        '--if-not-exists',
        '--json',
      ]),
    )
    expect(again.json()).to.deep.include({created: false, existed: true})
    expect(again.json().hook.id).to.equal(hookId)

    const dry = ok(
      await cli([
        'create',
        '--name',
        'Dry run',
        '--url',
        receiver.url,
        '--event',
        'user.lifecycle.create',
        '--auth-secret-env',
        'HOOK_SECRET',
        '--dry-run',
        '--json',
      ]),
    )
    const {dryRun, request} = dry.json()
    expect(dryRun).to.equal(true)
    expect(request).to.include({method: 'POST', path: '/api/v1/eventHooks'})
    expect(request.body.channel.config.authScheme.value).to.equal('****')
    expect(dry.stdout).not.to.include(SECRET)

    const list = ok(await cli(['list', '--json'])).json()
    expect(list.hooks.map((h: any) => h.name)).to.deep.equal(['E2E users'])
  })

  it('get by name and by id; --reveal-headers shows header values; the human view names the hook', async () => {
    const byName = ok(await cli(['get', 'E2E users', '--json'])).json()
    const byId = ok(await cli(['get', hookId, '--json'])).json()
    expect(byName.hook.id).to.equal(hookId)
    expect(byId.hook).to.deep.equal(byName.hook)
    expect(byName.hook.channel.config.authScheme).to.deep.equal({key: 'Authorization', type: 'HEADER'})

    const revealed = ok(await cli(['get', hookId, '--reveal-headers', '--json'])).json()
    expect(revealed.hook.channel.config.headers).to.deep.equal([{key: 'X-Team', value: 'identity'}])

    const human = ok(await cli(['get', hookId]))
    expect(human.stdout).to.include('E2E users').and.to.include(hookId).and.to.include('UNVERIFIED')
  })

  it('list: table, --json, and the --status / --verification filters', async () => {
    const table = ok(await cli(['list']))
    expect(table.stdout).to.include(hookId).and.to.include('E2E users')
    expect(
      ok(await cli(['list', '--status', 'ACTIVE', '--verification', 'UNVERIFIED', '--json'])).json().hooks,
    ).to.have.length(1)
    expect(ok(await cli(['list', '--status', 'INACTIVE', '--json'])).json().hooks).to.deep.equal([])
    expect(ok(await cli(['list', '--verification', 'VERIFIED', '--json'])).json().hooks).to.deep.equal([])
  })

  it('verify succeeds against a real `listen`: the challenge GET arrives with the right auth, the hook becomes VERIFIED', async () => {
    const from = receiver.messages.length
    const result = ok(await cli(['verify', hookId, '--json']))
    expect(result.json().hook).to.include({id: hookId, verificationStatus: 'VERIFIED'})
    const seen = await receiver.waitForMessage((m) => m.type === 'verification', 'the verification request', from)
    expect(seen).to.include({auth: 'ok', method: 'GET', status: 200})

    const human = ok(await cli(['verify', 'E2E users']))
    expect(human.stdout).to.match(/is VERIFIED/)
  })

  it('verify fails with exit 5 against a receiver that expects a different secret; create --verify too (the hook stays created)', async () => {
    const created = await cli([
      'create',
      '--name',
      'E2E stranger',
      '--url',
      stranger.url,
      '--event',
      'user.lifecycle.create',
      '--auth-secret-env',
      'HOOK_SECRET',
      '--verify',
      '--json',
    ])
    expect(created.code, describeRun(created)).to.equal(5)
    const {error} = created.json()
    expect(error).to.include({code: 'VERIFICATION_FAILED', exitCode: 5})
    expect(error.details).to.include({created: true})
    const strangerId = error.details.hookId as string

    const from = stranger.messages.length
    const verify = await cli(['verify', strangerId])
    expect(verify.code, describeRun(verify)).to.equal(5)
    expect(verify.stdout).to.equal('')
    expect(verify.stderr)
      .to.match(/could not verify/)
      .and.to.include('check-endpoint')
    const refused = await stranger.waitForMessage((m) => m.type === 'verification', 'the refused verification', from)
    expect(refused.status).to.equal(401)
    expect(refused.auth).not.to.equal('ok')

    const hook = ok(await cli(['get', strangerId, '--json'])).json().hook
    expect(hook.verificationStatus).to.equal('UNVERIFIED')
    ok(await cli(['delete', strangerId, '--yes']))
  })

  it('update: changes shown before → after; a new URL resets verification, --verify restores it; no secret given is exit 2', async () => {
    const described = ok(
      await cli([
        'update',
        hookId,
        '--description',
        'changed',
        '--add-event',
        'user.lifecycle.activate',
        '--auth-secret-env',
        'HOOK_SECRET',
        '--json',
      ]),
    ).json()
    const fields = described.changes.map((c: any) => c.field)
    expect(fields).to.include('description')
    expect(described.hook.description).to.equal('changed')
    expect(described.hook.events.items).to.include('user.lifecycle.activate')

    const moved = ok(
      await cli(['update', hookId, '--url', `${receiver.url}?moved=1`, '--auth-secret-env', 'HOOK_SECRET', '--json']),
    ).json()
    expect(moved.hook.verificationStatus).to.equal('UNVERIFIED')
    const back = ok(
      await cli(['update', hookId, '--url', receiver.url, '--auth-secret-env', 'HOOK_SECRET', '--verify', '--json']),
    ).json()
    expect(back).to.include({verified: true})
    expect(back.hook.verificationStatus).to.equal('VERIFIED')

    const noSecret = await cli(['update', hookId, '--description', 'x', '--json'])
    expect(noSecret.code, describeRun(noSecret)).to.equal(2)
    expect(noSecret.json().error.exitCode).to.equal(2)
  })

  it('deactivate and activate: changed, then "already" (not an error)', async () => {
    const off = ok(await cli(['deactivate', hookId, '--json'])).json()
    expect(off.results).to.deep.equal([{changed: true, id: hookId, name: 'E2E users', status: 'INACTIVE'}])
    const offAgain = ok(await cli(['deactivate', 'E2E users', '--json'])).json()
    expect(offAgain.results[0]).to.include({changed: false, status: 'INACTIVE'})
    const on = ok(await cli(['activate', hookId]))
    expect(on.stdout + on.stderr).to.match(/Activated/)
    const onAgain = ok(await cli(['activate', hookId, '--json'])).json()
    expect(onAgain.results[0]).to.include({changed: false, status: 'ACTIVE'})
  })

  it("logs: the hook's own event_hook.* story from the System Log, newest first, and --type", async () => {
    const {events, hook} = ok(await cli(['logs', hookId, '--json'])).json()
    expect(hook).to.deep.equal({id: hookId, name: 'E2E users'})
    const types = events.map((e: any) => e.eventType)
    for (const type of ['created', 'verified', 'updated', 'activated', 'deactivated'])
      expect(types).to.include(`event_hook.${type}`)
    expect(types.at(-1)).to.equal('event_hook.created')
    const published = events.map((e: any) => e.published)
    expect(published).to.deep.equal([...published].sort().reverse())

    const verified = ok(await cli(['logs', 'E2E users', '--type', 'verified', '--json'])).json()
    expect(verified.events.length).to.be.greaterThan(0)
    expect(verified.events.every((e: any) => e.eventType === 'event_hook.verified')).to.equal(true)

    const table = ok(await cli(['logs', hookId, '--limit', '3']))
    expect(table.stdout).to.include('EVENT TYPE').and.to.include('event_hook.')
  })

  it('logs --follow --json: one NDJSON line per new event_hook.* event as it happens; SIGINT stops it, exit 0', async () => {
    // --since now: only what happens from here on follows.
    const follow = new CliProcess(
      ['logs', hookId, '--follow', '--interval', '200ms', '--since', new Date().toISOString(), '--json'],
      workspace.env(sandbox.connection),
    )
    const events = () =>
      follow.lines
        .filter((line) => line.stream === 'stdout' && line.text.startsWith('{'))
        .map((line) => JSON.parse(line.text) as {eventType: string})
    ok(await cli(['deactivate', hookId]))
    await follow.waitUntil(
      () => (events().some((e) => e.eventType === 'event_hook.deactivated') ? true : undefined),
      'the deactivated event',
    )
    ok(await cli(['activate', hookId]))
    await follow.waitUntil(
      () => (events().some((e) => e.eventType === 'event_hook.activated') ? true : undefined),
      'the activated event',
    )
    expect(await follow.stop('SIGINT')).to.deep.equal({code: 0, signal: null})
    expect(events().map((e) => e.eventType)).to.deep.equal(['event_hook.deactivated', 'event_hook.activated'])
  })

  it('delete: without --yes exit 2 and nothing deleted; with --yes an ACTIVE hook is deactivated first, then get is exit 4', async () => {
    const refused = await cli(['delete', hookId])
    expect(refused.code, describeRun(refused)).to.equal(2)
    expect(refused.stderr).to.include('--yes')
    ok(await cli(['get', hookId]))

    const deleted = ok(await cli(['delete', hookId, '--yes', '--json'])).json()
    expect(deleted.results).to.deep.equal([{deactivatedFirst: true, id: hookId, name: 'E2E users', status: 'DELETED'}])
    const gone = await cli(['get', hookId, '--json'])
    expect(gone.code, describeRun(gone)).to.equal(4)
    expect(gone.json().error.code).to.equal('NOT_FOUND')
    expect(ok(await cli(['list', '--json'])).json().hooks).to.deep.equal([])
  })
})
