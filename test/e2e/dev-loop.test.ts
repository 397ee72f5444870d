/**
 * The local dev loop end to end, with the BUILT CLI: `listen --register` against the sandbox, with
 * a loopback reverse proxy standing in for the user's tunnel (--public-url): the dev hook becomes
 * VERIFIED and active, `sandbox emit` reaches the app through the proxy and listen (an app with no
 * verification handler: --answer-verification), SIGTERM removes the hook, a session killed with -9
 * leaves it behind for the next one to reuse and for `dev cleanup` to remove. Then --tunnel with
 * fake tunnel commands (one prints a URL, one never does) against a stand-in for Okta's API that
 * never calls the tunnel's URL.
 */
import {expect} from 'chai'
import {readFileSync} from 'node:fs'
import http from 'node:http'
import type {AddressInfo} from 'node:net'

import {assertBuilt, type CliResult, describeRun, type Env, runCli, stopAllProcesses, Workspace} from './helpers/cli.js'
import {type Listener, type Sandbox, startListen, startSandbox} from './helpers/processes.js'
import {alive, ended} from '../helpers/pids.js'
import {type Receiver as App, startReceiver as startApp, stopAll} from '../helpers/sandbox.js'

/** A reverse proxy on loopback, as a tunnel is: every request relayed to listen, once listen's port is known. */
class LoopbackProxy {
  forwarded = 0
  target?: number
  private readonly server = http.createServer((request, response) => void this.relay(request, response))

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve))
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`
  }

  close(): void {
    this.server.closeAllConnections()
    this.server.close()
  }

  private async relay(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    for (let i = 0; i < 500 && this.target === undefined; i++) await new Promise((resolve) => setTimeout(resolve, 10))
    this.forwarded++
    const upstream = http.request(
      {
        headers: {...request.headers, 'x-forwarded-for': '203.0.113.7'},
        host: '127.0.0.1',
        method: request.method,
        path: request.url,
        port: this.target,
      },
      (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers)
        answer.pipe(response)
      },
    )
    upstream.on('error', () => response.writeHead(502).end())
    request.pipe(upstream)
  }
}

/** A stand-in for Okta's Event Hooks API that accepts everything and verifies without calling the hook's URI. */
async function standInOrg(): Promise<{calls: string[]; close: () => void; created: any[]; url: string}> {
  const hooks = new Map<string, any>()
  const created: any[] = []
  const calls: string[] = []
  const server = http.createServer((request, response) => {
    let text = ''
    request.on('data', (chunk) => (text += chunk))
    request.on('end', () => {
      calls.push(`${request.method} ${request.url}`)
      const [, id, action] = /^\/api\/v1\/eventHooks(?:\/(\w+))?(?:\/lifecycle\/(\w+))?/.exec(request.url ?? '') ?? []
      const reply = (status: number, body?: unknown) => {
        response.writeHead(status, {'Content-Type': 'application/json'})
        response.end(body === undefined ? '' : JSON.stringify(body))
      }

      if (request.method === 'GET') return reply(200, [...hooks.values()])
      if (request.method === 'POST' && !id) {
        const hook = {
          ...JSON.parse(text),
          id: `whoStandIn${hooks.size}0000000000`,
          status: 'ACTIVE',
          verificationStatus: 'UNVERIFIED',
        }
        created.push(hook)
        hooks.set(hook.id, hook)
        return reply(200, hook)
      }

      if (request.method === 'DELETE') {
        hooks.delete(id)
        return reply(204)
      }

      const hook = {
        ...hooks.get(id),
        ...(action === 'verify'
          ? {verificationStatus: 'VERIFIED'}
          : {status: action === 'activate' ? 'ACTIVE' : 'INACTIVE'}),
      }
      hooks.set(id, hook)
      reply(200, hook)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    calls,
    close: () => server.close(),
    created,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
  }
}

describe('e2e: the dev loop (listen --register, dev cleanup, --tunnel, --answer-verification)', function () {
  this.timeout(120_000)
  let workspace: Workspace
  let sandbox: Sandbox
  let proxy: LoopbackProxy
  let publicUrl: string
  let app: App

  const cli = (args: string[], extra: Env = {}): Promise<CliResult> =>
    runCli(args, {env: workspace.env({...sandbox.connection, ...extra})})
  const ok = (result: CliResult): CliResult => {
    expect(result.code, describeRun(result)).to.equal(0)
    return result
  }

  /** listen --register through the proxy, resolved once Okta has verified the dev hook. */
  async function register(args: string[] = []): Promise<{hook: any; listener: Listener}> {
    proxy.target = undefined
    const listener = await startListen(
      workspace,
      ['--register', '--public-url', publicUrl, '--event', 'user.lifecycle.create', '--inspect-port', '0', ...args],
      sandbox.connection,
    )
    proxy.target = Number(new URL(listener.url).port)
    const registered = await listener.waitForMessage((m) => m.type === 'registered', 'the registered line')
    return {hook: registered.hook, listener}
  }

  const hooksInOrg = async () => ok(await cli(['list', '--json'])).json().hooks as any[]

  before(async () => {
    assertBuilt()
    workspace = new Workspace('e2e-dev-loop')
    proxy = new LoopbackProxy()
    ;[sandbox, publicUrl] = await Promise.all([startSandbox(workspace), proxy.start()])
    // An app with no verification handler, like Okta's Hookdeck sample: POST only.
    app = await startApp((request, response) => response.writeHead(request.method === 'POST' ? 200 : 404).end())
  })

  after(async () => {
    await sandbox?.stop()
    proxy?.close()
    await stopAllProcesses()
    await stopAll()
    workspace?.remove()
  })

  it('registers a verified, active dev hook through the proxy; sandbox emit reaches the app; SIGTERM removes the hook', async () => {
    const {hook, listener} = await register(['--forward-to', app.url, '--answer-verification'])
    expect(hook.uri).to.equal(`${publicUrl}/`)
    const inOrg = ok(await cli(['get', hook.id, '--json'])).json().hook
    expect(inOrg).to.include({status: 'ACTIVE', verificationStatus: 'VERIFIED'})
    expect(inOrg.description).to.match(/^\[okta-hooks dev\]/)
    expect(inOrg.name).to.match(/^okta-hooks dev /)
    expect(listener.process.output('stderr')).to.contain(`Okta now sends user.lifecycle.create to ${publicUrl}/`)
    expect(app.requests).to.have.length(0) // the verification was answered by listen, not the app

    const emitted = ok(
      await cli([
        'sandbox',
        'emit',
        'user.lifecycle.create',
        '--target',
        'grace.hopper@example.com',
        '--wait',
        '--json',
      ]),
    ).json()
    const uuid = emitted.events[0].uuid
    const [posted] = await app.waitFor(1)
    expect(posted.method).to.equal('POST')
    expect(posted.json.data.events[0].uuid).to.equal(uuid)
    expect(posted.headers['x-forwarded-for']).to.equal('203.0.113.7') // it came through the proxy
    expect(posted.headers.authorization).to.match(/^[\w-]{40,}$/) // the dev hook's random secret, as Okta sends it
    const delivered = await listener.waitForMessage((m) => m.type === 'delivery', 'the delivery')
    expect(delivered).to.include({auth: 'ok', status: 200})
    expect(JSON.stringify(listener.messages)).not.to.contain(posted.headers.authorization)

    const {code, summary} = await listener.stop()
    expect(code).to.equal(0)
    expect(summary?.hook).to.deep.equal({id: hook.id, kept: false, name: hook.name, removed: true})
    expect(listener.process.output('stderr')).to.contain(
      `Removed the dev hook "${hook.name}" (${hook.id}) from the org.`,
    )
    expect((await hooksInOrg()).map((h) => h.id)).not.to.include(hook.id)
  })

  it('after kill -9 the dev hook stays; the next session reuses it; dev cleanup removes it', async () => {
    const first = await register()
    await first.listener.stop('SIGKILL')
    expect((await hooksInOrg()).map((h) => h.id)).to.deep.equal([first.hook.id])

    const second = await register()
    expect(second.hook.id).to.equal(first.hook.id) // reused, not another hook
    expect(second.listener.process.output('stderr')).to.contain('an earlier session left behind')
    await second.listener.stop('SIGKILL')

    const refused = await cli(['dev', 'cleanup'])
    expect(refused.code, describeRun(refused)).to.equal(2)
    const cleaned = ok(await cli(['dev', 'cleanup', '--yes', '--json'])).json()
    expect(cleaned.results.map((r: any) => r.id)).to.deep.equal([first.hook.id])
    expect(await hooksInOrg()).to.deep.equal([])
  })

  describe('--tunnel (fake tunnel commands, a stand-in for Okta that never calls the tunnel)', () => {
    let org: Awaited<ReturnType<typeof standInOrg>>
    before(async () => {
      org = await standInOrg()
    })
    after(() => org?.close())

    it('starts the tunnel with the port, registers its URL, and stops it with listen', async () => {
      const pidFile = workspace.path('tunnel.pid')
      const tunnel = `"${process.execPath}" -e "require('fs').writeFileSync('${pidFile}', process.pid + ' ' + process.argv[1]); console.log('forwarding https://fake-tunnel.example.com -> http://127.0.0.1:' + process.argv[1]); setInterval(() => {}, 1000)" {port}`
      const listener = await startListen(
        workspace,
        ['--register', '--tunnel', tunnel, '--event', 'user.lifecycle.create', '--path', '/okta', '--no-inspect'],
        {OKTA_CLIENT_ORGURL: org.url, OKTA_CLIENT_TOKEN: 'stand-in-token-0000'},
      )
      const registered = await listener.waitForMessage((m) => m.type === 'registered', 'the registered line')
      expect(registered.hook.uri).to.equal('https://fake-tunnel.example.com/okta')
      expect(org.created[0].channel.config.uri).to.equal('https://fake-tunnel.example.com/okta')
      const [pid, port] = readFileSync(pidFile, 'utf8').split(' ').map(Number)
      expect(port).to.equal(Number(new URL(listener.url).port)) // {port} was listen's
      expect(alive(pid)).to.equal(true)
      expect((await listener.stop()).code).to.equal(0)
      expect(org.calls.at(-1)).to.equal(`DELETE /api/v1/eventHooks/${registered.hook.id}`)
      expect(await ended(pid)).to.equal(true)
    })

    it('a tunnel that never prints a URL: exit 2 with its output, and nothing asked of Okta', async () => {
      const before = org.calls.length
      const silent = `"${process.execPath}" -e "console.log('tunnel agent starting, waiting for a session...'); setInterval(() => {}, 1000)"`
      const result = await runCli(
        [
          'listen',
          '--port',
          '0',
          '--no-inspect',
          '--register',
          '--tunnel',
          silent,
          '--tunnel-timeout',
          '1s',
          '--event',
          'user.lifecycle.create',
          '--json',
        ],
        {
          env: workspace.env({OKTA_CLIENT_ORGURL: org.url, OKTA_CLIENT_TOKEN: 'stand-in-token-0000'}),
        },
      )
      expect(result.code, describeRun(result)).to.equal(2)
      const last = JSON.parse(result.stdout.trim().split('\n').at(-1) as string)
      expect(last.error.code).to.equal('TUNNEL_FAILED')
      expect(last.error.message)
        .to.contain('printed no public https URL within 1 s')
        .and.contain('tunnel agent starting')
      expect(org.calls.length).to.equal(before)
    })
  })
})
