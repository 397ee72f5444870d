import {expect} from 'chai'

import {DevLoop, type DevLoopOptions} from '../../../../src/lib/dev-loop/dev-loop.js'
import {CliError} from '../../../../src/lib/errors.js'
import {EventHooksApi} from '../../../../src/lib/hooks/event-hooks-api.js'
import type {EventHook, EventHookBody} from '../../../../src/lib/hooks/types.js'
import type {OktaTransport} from '../../../../src/lib/okta/okta-sdk.js'
import {connectOkta} from '../../../../src/lib/okta/okta-sdk.js'
import {startReceiver as startListen} from '../../../../src/lib/receiver/server.js'
import {startSandbox, stopAll} from '../../../helpers/sandbox.js'

const AUTH = {key: 'Authorization', value: 'dev-loop-secret-0077'}

/**
 * An org that accepts everything and verifies without calling the URI (a tunnel's URL here is not
 * reachable from a test): the calls it got, and a switch to make DELETE fail.
 */
function fakeOrg(): {calls: string[]; failDelete: boolean; transport: OktaTransport} {
  const hooks = new Map<string, EventHook>()
  const org = {
    calls: [] as string[],
    failDelete: false,
    transport: {
      orgUrl: 'https://fake.okta.example',
      async request<T>(method: string, path: string, options: {body?: unknown} = {}) {
        org.calls.push(`${method} ${path}`)
        const [, id, action] = /^\/api\/v1\/eventHooks(?:\/(\w+))?(?:\/lifecycle\/(\w+))?$/.exec(path) ?? []
        const reply = (body: unknown) => ({body: body as T, headers: {}, status: 200})
        if (method === 'GET') return reply([...hooks.values()])
        if (method === 'POST' && !id) {
          const hook = {
            ...(options.body as EventHookBody),
            id: `who${hooks.size}fake00`,
            status: 'ACTIVE',
            verificationStatus: 'UNVERIFIED',
          } as EventHook
          hooks.set(hook.id, hook)
          return reply(hook)
        }

        const hook = hooks.get(id) as EventHook
        if (method === 'DELETE') {
          if (org.failDelete) throw new CliError('Okta is down', {code: 'E0000009', exitCode: 6})
          hooks.delete(id)
          return {body: undefined as T, headers: {}, status: 204}
        }

        const changed = {
          ...hook,
          ...(action === 'verify'
            ? {verificationStatus: 'VERIFIED'}
            : {status: action === 'activate' ? 'ACTIVE' : 'INACTIVE'}),
        } as EventHook
        hooks.set(id, changed)
        return reply(changed)
      },
    },
  }
  return org
}

function options(overrides: Partial<DevLoopOptions>): DevLoopOptions & {lines: string[]} {
  const lines: string[] = []
  return {
    api: async () => {
      throw new Error('no org')
    },
    auth: AUTH,
    events: ['user.lifecycle.create'],
    keep: false,
    lines,
    listenPath: '/okta',
    listenPort: 8787,
    name: 'okta-hooks dev test',
    notice: (line) => lines.push(line),
    ...overrides,
  }
}

describe('dev-loop/dev-loop', function () {
  this.timeout(20_000)
  afterEach(() => stopAll())

  it('--tunnel: starts the tunnel, points the dev hook at its URL plus --path, and at the end removes the hook and stops the tunnel', async () => {
    const org = fakeOrg()
    const tunnel = `"${process.execPath}" -e "console.log('ready at https://fake-tunnel.example.com'); setInterval(() => {}, 1000)"`
    const opts = options({
      api: async () => new EventHooksApi(org.transport),
      tunnel: {command: tunnel, timeoutMs: 10_000},
    })
    const loop = new DevLoop(opts)
    const hook = await loop.start()
    expect(hook).to.deep.include({
      events: ['user.lifecycle.create'],
      name: 'okta-hooks dev test',
      uri: 'https://fake-tunnel.example.com/okta',
    })
    expect(opts.lines[0]).to.contain('→ https://fake-tunnel.example.com')
    expect(opts.lines.slice(1)).to.deep.equal([
      `Created the dev hook "okta-hooks dev test" (${hook.id}).`,
      'Okta is verifying https://fake-tunnel.example.com/okta …',
    ])
    let tunnelEnded = false
    void loop.tunnelExited.then(() => (tunnelEnded = true))
    const end = await loop.end()
    expect(end).to.deep.equal({hook: {id: hook.id, kept: false, name: 'okta-hooks dev test', removed: true}})
    expect(org.calls.slice(-2)).to.deep.equal([
      `POST /api/v1/eventHooks/${hook.id}/lifecycle/deactivate`,
      `DELETE /api/v1/eventHooks/${hook.id}`,
    ])
    await loop.tunnelExited
    expect(tunnelEnded).to.equal(true)
  })

  it('--keep keeps the hook; a removal that fails is reported, never thrown; a loop that never started has nothing to end', async () => {
    const org = fakeOrg()
    const kept = new DevLoop(
      options({
        api: async () => new EventHooksApi(org.transport),
        keep: true,
        publicUrl: 'https://hooks-dev.example.com',
      }),
    )
    const hook = await kept.start()
    expect(hook.uri).to.equal('https://hooks-dev.example.com/okta')
    expect(await kept.end()).to.deep.equal({
      hook: {id: hook.id, kept: true, name: 'okta-hooks dev test', removed: false},
    })
    expect(org.calls.filter((call) => call.startsWith('DELETE'))).to.deep.equal([])

    const failing = new DevLoop(
      options({api: async () => new EventHooksApi(org.transport), publicUrl: 'https://hooks-dev.example.com'}),
    )
    await failing.start()
    org.failDelete = true
    const end = await failing.end()
    expect(end.hook?.removed).to.equal(false)
    expect(end.removalError).to.contain('Okta is down')
    expect(await new DevLoop(options({publicUrl: 'https://x.example.com'})).end()).to.deep.equal({})
    let never = false
    void new DevLoop(options({})).tunnelExited.then(() => (never = true))
    await Promise.resolve()
    expect(never).to.equal(false)
  })

  it('--public-url on loopback against the sandbox: a warning that a real org wants https, and the hook verified through listen', async () => {
    const t = await startSandbox()
    const listen = await startListen({auth: AUTH, path: '/okta', port: 0})
    try {
      const transport = await connectOkta(
        {
          authorizationMode: 'SSWS',
          orgUrl: t.url,
          requestTimeoutMs: 5000,
          scopes: [],
          sources: {},
          token: t.sandbox.token,
        },
        {notice: () => {}, userAgent: 'okta-hooks/0.0.0-test'},
      )
      const opts = options({
        api: async () => new EventHooksApi(transport),
        publicUrl: `http://127.0.0.1:${listen.port}`,
      })
      const loop = new DevLoop(opts)
      const hook = await loop.start()
      expect(hook.uri).to.equal(`http://127.0.0.1:${listen.port}/okta`)
      expect(opts.lines[0]).to.match(/^Warning: --public-url uses plain http on a loopback host/)
      expect(listen.stats.verifications).to.equal(1)
      expect((await loop.end()).hook?.removed).to.equal(true)
    } finally {
      await listen.close()
    }
  })
})
