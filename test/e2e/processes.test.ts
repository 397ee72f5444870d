/**
 * The two long-running commands as processes: `listen` (ready line, what it answers, clean stop with
 * a summary on SIGINT and SIGTERM) and `sandbox start` (ready line, clean stop, --data kept across a
 * restart, --token, a port already taken).
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
import {startListen, startSandbox} from './helpers/processes.js'

describe('e2e: listen and sandbox start as processes', function () {
  this.timeout(60_000)
  let workspace: Workspace
  const cli = (args: string[], extra: Env = {}): Promise<CliResult> => runCli(args, {env: workspace.env(extra)})

  before(() => {
    assertBuilt()
    workspace = new Workspace('e2e-processes')
  })

  after(async () => {
    await stopAllProcesses()
    workspace?.remove()
  })

  describe('listen', () => {
    it('human mode: "Ready: listening on URL" on stderr; answers the challenge, refuses a wrong secret; SIGINT stops it with a summary, exit 0', async () => {
      const record = workspace.path('human.ndjson')
      const proc = new CliProcess(
        ['listen', '--port', '0', '--auth-secret-env', 'HOOK_SECRET', '--record', record],
        workspace.env({HOOK_SECRET: 'listen-secret-1'}),
      )
      const ready = await proc.waitForLine((text) => text.startsWith('Ready: listening on '), {
        stream: 'stderr',
        what: 'the ready line',
      })
      const url = ready.slice('Ready: listening on '.length)
      expect(url).to.match(/^http:\/\/127\.0\.0\.1:\d+\/$/)

      const challenge = await fetch(url, {
        headers: {Authorization: 'listen-secret-1', 'X-Okta-Verification-Challenge': 'e2e-challenge'},
      })
      expect(challenge.status).to.equal(200)
      expect(await challenge.json()).to.deep.equal({verification: 'e2e-challenge'})
      const wrong = await fetch(url, {
        body: '{}',
        headers: {Authorization: 'nope', 'Content-Type': 'application/json'},
        method: 'POST',
      })
      expect(wrong.status).to.equal(401)
      await proc.waitForLine((text) => text.includes('POST /') && text.includes('401'), {
        stream: 'stdout',
        what: 'the refused POST',
      })
      await proc.waitForLine((text) => text.includes('verification challenge answered'), {
        stream: 'stdout',
        what: 'the verification line',
      })

      const {code, signal} = await proc.stop('SIGINT')
      expect({code, signal}).to.deep.equal({code: 0, signal: null})
      expect(proc.output('stdout')).to.match(/2 requests: 1 verification, 0 deliveries with 0 events, 1 failure\./)
      expect(proc.output('stderr')).to.include('Stopped (SIGINT)')
      expect(proc.output()).not.to.include('listen-secret-1')
    })

    it('--json: NDJSON from the ready line to the summary line on SIGTERM, exit 0; no auth configured is warned about', async () => {
      const listener = await startListen(workspace)
      expect(listener.messages[0]).to.include({record: listener.record, type: 'ready', url: listener.url})
      expect(listener.process.output('stderr')).to.match(/no auth header configured/)
      const response = await fetch(listener.url, {
        body: JSON.stringify({data: {events: []}, eventType: 'com.okta.event_hook'}),
        headers: {'Content-Type': 'application/json'},
        method: 'POST',
      })
      expect(response.status).to.equal(204)
      await listener.waitForMessage((m) => m.type === 'delivery', 'the delivery line')

      const {code, summary} = await listener.stop()
      expect(code).to.equal(0)
      expect(summary).to.include({deliveries: 1, failures: 0, requests: 1, type: 'summary', url: listener.url})
      for (const line of listener.process.output('stdout').split('\n'))
        expect(() => JSON.parse(line), line).not.to.throw()
    })

    it('a port already in use: exit 2 with a clear message', async () => {
      const listener = await startListen(workspace)
      const port = new URL(listener.url).port
      const result = await cli(['listen', '--port', port, '--json'])
      expect(result.code, describeRun(result)).to.equal(2)
      expect(result.json().error.message).to.include(`Port ${port}`)
      expect((await listener.stop()).code).to.equal(0)
    })
  })

  describe('sandbox start', () => {
    it('human mode prints the org URL and token to export; SIGTERM stops it, exit 0', async () => {
      const proc = new CliProcess(['sandbox', 'start', '--port', '0', '--token', 'e2e-fixed-token-42'], workspace.env())
      const line = await proc.waitForLine((text) => text.includes('export OKTA_CLIENT_ORGURL='), {
        what: 'the export line',
      })
      const orgUrl = /OKTA_CLIENT_ORGURL=(\S+)/.exec(line)![1]
      expect(line).to.include('OKTA_CLIENT_TOKEN=e2e-fixed-token-42')
      const list = await cli(['list', '--json'], {OKTA_CLIENT_ORGURL: orgUrl, OKTA_CLIENT_TOKEN: 'e2e-fixed-token-42'})
      expect(list.code, describeRun(list)).to.equal(0)
      expect(list.json()).to.deep.equal({hooks: []})
      expect(await proc.stop()).to.deep.equal({code: 0, signal: null})
    })

    it('--data keeps hooks and the System Log across a restart (stopped with SIGTERM, exit 0 and a summary)', async () => {
      const dataFile = workspace.path('sandbox-data.json')
      const args = ['--data', dataFile, '--token', 'e2e-data-token-42']
      const first = await startSandbox(workspace, args)
      expect(first.dataFile).to.equal(dataFile)
      const created = await cli(
        [
          'create',
          '--name',
          'Kept',
          '--url',
          'https://hooks.example.com/okta',
          '--event',
          'user.lifecycle.create',
          '--inactive',
          '--json',
        ],
        first.connection,
      )
      expect(created.code, describeRun(created)).to.equal(0)
      const hookId = created.json().hook.id
      const emitted = await cli(['sandbox', 'emit', 'user.lifecycle.create', '--json'], first.connection)
      const uuid = emitted.json().events[0].uuid
      const stopped = await first.stop()
      expect(stopped.code).to.equal(0)
      expect(stopped.summary).to.include({stopped: true})

      const second = await startSandbox(workspace, args)
      try {
        const hooks = (await cli(['list', '--json'], second.connection)).json().hooks
        expect(hooks.map((h: any) => [h.id, h.name, h.status])).to.deep.equal([[hookId, 'Kept', 'INACTIVE']])
        const logs = (await cli(['logs', hookId, '--json'], second.connection)).json()
        expect(logs.events.map((e: any) => e.eventType)).to.include('event_hook.created')
        const preview = await cli(['preview', hookId, '--event-id', uuid, '--dry-run', '--json'], second.connection)
        expect(preview.code, describeRun(preview)).to.equal(0)
        expect(preview.json().deliveries[0].envelope.data.events[0].uuid).to.equal(uuid)
      } finally {
        expect((await second.stop()).code).to.equal(0)
      }
    })

    it('a port already in use: exit 2', async () => {
      const sandbox = await startSandbox(workspace)
      const result = await cli(['sandbox', 'start', '--port', String(sandbox.port), '--json'])
      expect(result.code, describeRun(result)).to.equal(2)
      expect(result.json().error.message).to.include('already in use')
      expect((await sandbox.stop()).code).to.equal(0)
    })
  })
})
