/**
 * listen --register in-process, against a nock'd org (the tunnel's URL is never called: Okta's
 * verification is Okta's to make, here a mocked API call), with fake tunnel commands; and the
 * checks made before anything starts. The whole loop against the sandbox, through a real proxy,
 * is in test/e2e/dev-loop.test.ts.
 */
import {expect} from 'chai'
import {mkdtempSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {setTimeout as sleep} from 'node:timers/promises'

import nock from 'nock'

import Listen from '../../../src/commands/listen.js'
import {DEV_HOOK_MARKER} from '../../../src/lib/dev-loop/dev-hook.js'
import {hookFixture} from '../../fixtures/hooks/index.js'
import {ORG, orgEnv, runCommand} from '../../helpers/run-command.js'

const ID = 'who8vt36qfNpCGz9H1e6'
const HOOKS = '/api/v1/eventHooks'
const TUNNEL_URL = 'https://fake-tunnel.example.com'
const node = (script: string) => `"${process.execPath}" -e ${JSON.stringify(script)}`
/** A tunnel that prints its URL and runs until stopped. */
const TUNNEL = node(`console.log('url=${TUNNEL_URL}'); setInterval(() => {}, 1000)`)

/** The dev hook as Okta answers: whatever was sent, with Okta's fields. */
function devHook(body: any, overrides: Record<string, unknown> = {}) {
  return hookFixture({
    ...body,
    channel: {
      ...body.channel,
      config: {...body.channel.config, authScheme: {key: 'Authorization', type: 'HEADER'}, method: 'POST'},
    },
    id: ID,
    status: 'ACTIVE',
    verificationStatus: 'UNVERIFIED',
    ...overrides,
  })
}

/** Runs listen in-process; `stopWhen` is polled, and once true listen gets a SIGTERM as from Ctrl-C's neighbour. */
async function listen(args: string[], stopWhen?: () => boolean) {
  const record = join(mkdtempSync(join(tmpdir(), 'okta-hooks-register-')), 'deliveries.ndjson')
  const running = runCommand(Listen, ['--port', '0', '--inspect-port', '0', '--record', record, ...args], {env: orgEnv})
  let done = false
  void running.then(() => (done = true))
  if (stopWhen) {
    while (!done && !stopWhen()) await sleep(10)
    if (!done) process.emit('SIGTERM', 'SIGTERM')
  }

  return running
}

describe("listen --register (in-process, nock'd org)", function () {
  this.timeout(30_000)
  let sent: any

  /** Okta's side of a session: list, create, verify (the test asserts what was created), then deactivate and delete. */
  function org(options: {verify?: 'fail'; remove?: 'fail' | 'kept'} = {}) {
    const scope = nock(ORG)
      .get(HOOKS)
      .reply(200, [hookFixture({description: 'Production', id: 'whoProd00000000000001'})])
      .post(HOOKS, (body) => (sent = body) !== undefined)
      .reply(200, () => devHook(sent))
    if (options.verify === 'fail') {
      scope.post(`${HOOKS}/${ID}/lifecycle/verify`).reply(400, {
        errorCauses: [{errorSummary: 'Unable to verify event hook. Hook okta-hooks dev execution failed'}],
        errorCode: 'E0000001',
        errorSummary: 'Api validation failed: eventHook',
      })
    } else
      scope.post(`${HOOKS}/${ID}/lifecycle/verify`).reply(200, () => devHook(sent, {verificationStatus: 'VERIFIED'}))
    if (options.remove === 'kept') return scope
    scope.post(`${HOOKS}/${ID}/lifecycle/deactivate`).reply(200, () => devHook(sent, {status: 'INACTIVE'}))
    if (options.remove === 'fail')
      scope
        .delete(`${HOOKS}/${ID}`)
        .times(3)
        .reply(503, {errorCauses: [], errorCode: 'E0000009', errorSummary: 'Service unavailable'})
    else scope.delete(`${HOOKS}/${ID}`).reply(204)
    return scope
  }

  it('starts the tunnel, creates a marked dev hook with a fresh secret for the events, has it verified, says so, and removes it on SIGTERM', async () => {
    const scope = org()
    const {error, exitCode, stderr, stdout} = await listen(
      [
        '--register',
        '--tunnel',
        TUNNEL,
        '--event',
        'user.lifecycle.create,user.lifecycle.deactivate',
        '--path',
        '/okta',
        '--json',
      ],
      () => scope.pendingMocks().length <= 2,
    )
    expect([error, exitCode]).to.deep.equal([undefined, 0])
    scope.done()
    expect(sent.name).to.match(/^okta-hooks dev .+@.+/)
    expect(sent.description.startsWith(DEV_HOOK_MARKER)).to.equal(true)
    expect(sent.events.items).to.deep.equal(['user.lifecycle.create', 'user.lifecycle.deactivate'])
    expect(sent.channel.config.uri).to.equal(`${TUNNEL_URL}/okta`)
    const secret = sent.channel.config.authScheme.value as string
    expect(secret).to.match(/^[\w-]{40,}$/)
    expect(stderr).not.to.contain(secret)
    expect(stderr).to.contain(`→ ${TUNNEL_URL}`)
    expect(stderr).to.contain(
      `Okta now sends user.lifecycle.create, user.lifecycle.deactivate to ${TUNNEL_URL}/okta (dev hook "${sent.name}", ${ID}: active, verified). Removed when listen stops.`,
    )
    expect(stderr).to.contain(`Removed the dev hook "${sent.name}" (${ID}) from the org.`)
    const lines = stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line))
    expect(lines.map((line) => line.type)).to.deep.equal(['ready', 'registered', 'summary'])
    expect(lines[0].inspector).to.match(/^http:\/\/127\.0\.0\.1:\d+\/$/)
    expect(lines[1].hook).to.deep.equal({
      events: ['user.lifecycle.create', 'user.lifecycle.deactivate'],
      id: ID,
      name: sent.name,
      uri: `${TUNNEL_URL}/okta`,
    })
    expect(lines[2].hook).to.deep.equal({id: ID, kept: false, name: sent.name, removed: true})
    expect(stdout).not.to.contain(secret)
  })

  it('with the auth flags, the hook gets that secret (the app behind --forward-to expects it); --keep keeps the hook', async () => {
    const scope = org({remove: 'kept'})
    const {error, exitCode, stderr} = await runCommandWithSecret(
      [
        '--register',
        '--public-url',
        'https://hooks-dev.example.com/',
        '--event',
        'user.lifecycle.create',
        '--auth-secret-env',
        'APP_SECRET',
        '--keep',
      ],
      scope,
    )
    expect([error, exitCode]).to.deep.equal([undefined, 0])
    scope.done()
    expect(sent.channel.config.authScheme.value).to.equal('the-apps-own-secret-77')
    expect(sent.channel.config.uri).to.equal('https://hooks-dev.example.com/')
    expect(stderr)
      .to.contain('Kept when listen stops (--keep).')
      .and.contain('Kept the dev hook')
      .and.contain('dev cleanup')
  })

  it('a failed verification behind --forward-to suggests --answer-verification, and the hook is removed again (exit 5)', async () => {
    const scope = org({verify: 'fail'})
    const {exitCode, stderr} = await listen([
      '--register',
      '--tunnel',
      TUNNEL,
      '--event',
      'user.lifecycle.create',
      '--forward-to',
      'http://127.0.0.1:9/okta',
    ])
    expect(exitCode).to.equal(5)
    scope.done()
    expect(stderr).to.contain('was removed again').and.contain('add --answer-verification')
    expect(stderr).to.contain('Stopped.')
  })

  it('stops (exit 6), removing the hook, when the tunnel ends by itself', async () => {
    const scope = org()
    const dying = node(
      `console.log('${TUNNEL_URL}'); setTimeout(() => { console.log('tunnel session closed'); process.exit(1) }, 300)`,
    )
    const {exitCode, stdout} = await listen([
      '--register',
      '--tunnel',
      dying,
      '--event',
      'user.lifecycle.create',
      '--json',
    ])
    expect(exitCode).to.equal(6)
    scope.done()
    const last = JSON.parse(stdout.trim().split('\n').at(-1) as string)
    expect(last.hook.removed).to.equal(true)
    expect(last.error.code).to.equal('TUNNEL_EXITED')
    expect(last.error.message).to.contain('tunnel session closed')
  })

  it('reports a dev hook it could not remove (exit 6, the summary beside the error)', async () => {
    const scope = org({remove: 'fail'})
    const {exitCode, stderr} = await listen(
      ['--register', '--tunnel', TUNNEL, '--event', 'user.lifecycle.create'],
      () => scope.pendingMocks().length <= 3,
    )
    expect(exitCode).to.equal(6)
    scope.done()
    expect(stderr).to.contain('Could not remove the dev hook').and.contain('dev cleanup')
  })

  it('checks everything it can before it starts (exit 2, nothing called)', async () => {
    const cases: [string[], string][] = [
      [['--org-url', ORG], 'listen talks to Okta only with --register'],
      [['--register', '--tunnel', TUNNEL], '--register needs the event types'],
      [['--register', '--event', 'user.lifecycle.create'], '--register needs the public URL'],
      [
        ['--register', '--event', 'user.lifecycle.create', '--public-url', 'http://hooks.example.com/'],
        '--public-url http://hooks.example.com/ must use https',
      ],
      [
        ['--register', '--event', 'user.lifecycle.nope', '--public-url', 'https://hooks.example.com/'],
        'user.lifecycle.nope',
      ],
      [
        ['--register', '--event', 'user.lifecycle.create', '--tunnel', TUNNEL, '--tunnel-timeout', 'soon'],
        '--tunnel-timeout "soon" is not a duration',
      ],
      [
        [
          '--register',
          '--event',
          'user.lifecycle.create',
          '--public-url',
          'https://hooks.example.com/',
          '--tunnel',
          TUNNEL,
        ],
        'cannot also be provided',
      ],
      [['--event', 'user.lifecycle.create'], '--register'],
      [['--answer-verification'], '--forward-to'],
    ]
    for (const [args, message] of cases) {
      const {exitCode, stderr} = await listen(args)
      expect(exitCode, args.join(' ')).to.equal(2)
      expect(stderr, args.join(' ')).to.contain(message)
    }
  })

  it('a tunnel that prints no URL in time: exit 2 with its output, before any call to Okta', async () => {
    const {exitCode, stderr} = await listen([
      '--register',
      '--tunnel',
      node('console.log("Starting tunnel agent v9..."); setInterval(() => {}, 1000)'),
      '--tunnel-timeout',
      '500ms',
      '--event',
      'user.lifecycle.create',
    ])
    expect(exitCode).to.equal(2)
    expect(stderr).to.contain('printed no public https URL within 0.5 s').and.contain('Starting tunnel agent v9...')
  })
})

async function runCommandWithSecret(args: string[], scope: nock.Scope) {
  process.env.APP_SECRET = 'the-apps-own-secret-77'
  try {
    return await listen(args, () => scope.pendingMocks().length === 0)
  } finally {
    delete process.env.APP_SECRET
  }
}
