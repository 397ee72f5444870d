/**
 * The --json contract of the built CLI where only a real process shows it: the NDJSON streams
 * (listen, sandbox start, logs --follow) from their first line to their summary, a stream's failure
 * as one last NDJSON line holding `error`, oclif's own failures (an unknown command), and
 * `--version --json`. Every runCli --json run of the e2e suite is checked against schemas/ too.
 */
import {expect} from 'chai'

import {checkJsonOutput, schemaProblems} from '../helpers/json-contract.js'
import {assertBuilt, CliProcess, describeRun, runCli, stopAllProcesses, Workspace} from './helpers/cli.js'
import {type Sandbox, startListen, startSandbox} from './helpers/processes.js'

describe('e2e: the --json contract of streams and of oclif itself', function () {
  this.timeout(60_000)
  let workspace: Workspace
  let sandbox: Sandbox

  before(async () => {
    assertBuilt()
    workspace = new Workspace('e2e-json-contract')
    sandbox = await startSandbox(workspace)
  })

  after(async () => {
    await sandbox?.stop()
    await stopAllProcesses()
    workspace?.remove()
  })

  /** A finished process's stdout checked as the command's NDJSON stream. */
  const expectStream = (id: string, proc: CliProcess) => {
    const run = {exitCode: proc.exitCode ?? -1, id, stdout: proc.output('stdout')}
    expect(checkJsonOutput(run), `${id}:\n${run.stdout}`).to.deep.equal([])
    return run.stdout.split('\n').map((line) => JSON.parse(line))
  }

  it('--version --json is one document {name, version, node, platform, arch}', async () => {
    const result = await runCli(['--version', '--json'], {env: workspace.env()})
    expect(result.code, describeRun(result)).to.equal(0)
    expect(schemaProblems('version.json', result.json())).to.deep.equal([])
    expect(result.json()).to.include({name: 'okta-hooks'})
  })

  it('an unknown command or flag under --json: exit 2 and the error document', async () => {
    for (const args of [
      ['no-such-command', '--json'],
      ['list', '--no-such-flag', '--json'],
    ]) {
      const result = await runCli(args, {env: workspace.env()})
      expect(result.code, describeRun(result)).to.equal(2)
      expect(schemaProblems('error.json', result.json())).to.deep.equal([])
      expect(result.json().error).to.include({code: 'USAGE', exitCode: 2})
    }
  })

  it('sandbox start: the ready line, then the summary line on SIGTERM; a port in use is one NDJSON error line, exit 2', async () => {
    const other = await startSandbox(workspace)
    await other.stop()
    const lines = expectStream('sandbox start', other.process)
    expect(lines.map((line) => Object.keys(line).includes('stopped'))).to.deep.equal([false, true])

    const taken = new CliProcess(['sandbox', 'start', '--port', String(sandbox.port), '--json'], workspace.env())
    await taken.exited
    expect(taken.exitCode, taken.output()).to.equal(2)
    const [error] = expectStream('sandbox start', taken)
    expect(error.error).to.include({exitCode: 2})
    expect(taken.output('stdout').split('\n')).to.have.length(1)
  })

  it('listen: ready, one line per request, the summary; a port in use is one NDJSON error line, exit 2', async () => {
    const listener = await startListen(workspace)
    await fetch(listener.url, {headers: {'X-Okta-Verification-Challenge': 'contract'}})
    await fetch(listener.url, {
      body: JSON.stringify({data: {events: []}, eventType: 'com.okta.event_hook'}),
      headers: {'Content-Type': 'application/json'},
      method: 'POST',
    })
    await listener.waitForMessage((m) => m.type === 'delivery', 'the delivery line')
    await listener.stop()
    expect(expectStream('listen', listener.process).map((line) => line.type)).to.deep.equal([
      'ready',
      'verification',
      'delivery',
      'summary',
    ])

    const blocker = await startListen(workspace)
    const taken = new CliProcess(['listen', '--port', new URL(blocker.url).port, '--json'], workspace.env())
    await taken.exited
    await blocker.stop()
    expect(taken.exitCode, taken.output()).to.equal(2)
    expect(expectStream('listen', taken)[0].error).to.include({exitCode: 2})
  })

  it('logs --follow: one System Log event a line until SIGINT (exit 0); refused credentials are one NDJSON error line, exit 3', async () => {
    const created = await runCli(
      [
        'create',
        '--name',
        'Followed',
        '--url',
        'https://hooks.example.com/okta',
        '--event',
        'user.lifecycle.create',
        '--json',
      ],
      {env: workspace.env(sandbox.connection)},
    )
    expect(created.code, describeRun(created)).to.equal(0)
    const id = created.json().hook.id
    const follow = new CliProcess(
      ['logs', id, '--follow', '--interval', '200ms', '--json'],
      workspace.env(sandbox.connection),
    )
    await follow.waitForLine((text) => text.includes('"event_hook.created"'), {
      stream: 'stdout',
      what: 'the event_hook.created line',
    })
    await follow.stop('SIGINT')
    expect(follow.exitCode, follow.output()).to.equal(0)
    expect(expectStream('logs', follow)[0]).to.include({eventType: 'event_hook.created'})

    const refused = new CliProcess(
      ['logs', id, '--follow', '--json'],
      workspace.env({...sandbox.connection, OKTA_CLIENT_TOKEN: 'not-the-sandbox-token'}),
    )
    await refused.exited
    expect(refused.exitCode, refused.output()).to.equal(3)
    const lines = expectStream('logs', refused)
    expect(lines).to.have.length(1)
    expect(lines[0].error).to.include({code: 'E0000011', exitCode: 3})
  })
})
