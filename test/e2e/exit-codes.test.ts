/**
 * The exit codes okta-hooks promises, from the built binary: 0 ok, 2 usage, 3 auth, 4 not found,
 * 6 Okta/network failure (5 is covered where verification and deliveries fail). Under --json,
 * stdout is exactly one JSON document, errors included; human errors go to stderr.
 */
import {expect} from 'chai'
import http from 'node:http'
import type {AddressInfo} from 'node:net'

import {assertBuilt, type CliResult, describeRun, type Env, runCli, stopAllProcesses, Workspace} from './helpers/cli.js'
import {type Sandbox, startSandbox} from './helpers/processes.js'

/** A 127.0.0.1 port with nothing listening on it (bound, then released). */
async function freePort(): Promise<number> {
  const server = http.createServer()
  await new Promise<void>((resolve) => {
    server.listen(0, '127.0.0.1', resolve)
  })
  const {port} = server.address() as AddressInfo
  await new Promise<void>((resolve) => {
    server.close(() => resolve())
  })
  return port
}

function expectExit(result: CliResult, code: number): void {
  expect(result.code, describeRun(result)).to.equal(code)
  expect(result.timedOut).to.equal(false)
}

/** The --json error document: one JSON value on stdout whose exitCode matches the process's. */
function jsonError(
  result: CliResult,
  code: number,
): {code: string; exitCode: number; message: string; suggestions?: string[]} {
  expectExit(result, code)
  const {error} = result.json()
  expect(error.exitCode).to.equal(code)
  expect(error.message).to.be.a('string').that.is.not.empty
  return error
}

describe('e2e: exit codes and --json error documents', function () {
  this.timeout(60_000)
  let workspace: Workspace
  let sandbox: Sandbox
  const cli = (args: string[], extra: Env = {}): Promise<CliResult> =>
    runCli(args, {env: workspace.env({...sandbox.connection, ...extra})})

  before(async () => {
    assertBuilt()
    workspace = new Workspace('e2e-exit')
    sandbox = await startSandbox(workspace)
  })

  after(async () => {
    await sandbox?.stop()
    await stopAllProcesses()
    workspace?.remove()
  })

  describe('0: the commands that need no org', () => {
    it('--version, --help and <command> --help', async () => {
      const version = await cli(['--version'])
      expectExit(version, 0)
      expect(version.stdout).to.match(/^okta-hooks\/\d+\.\d+\.\d+ /)
      const help = await cli(['--help'])
      expectExit(help, 0)
      for (const command of ['create', 'verify', 'preview', 'replay', 'listen', 'deliveries', 'sandbox'])
        expect(help.stdout).to.include(command)
      const createHelp = await cli(['create', '--help'])
      expectExit(createHelp, 0)
      expect(createHelp.stdout).to.include('--auth-secret-env')
    })

    it('event-types works offline: --json catalog, a search, --all', async () => {
      const env = {OKTA_CLIENT_ORGURL: undefined, OKTA_CLIENT_TOKEN: undefined}
      const all = await cli(['event-types', '--json'], env)
      expectExit(all, 0)
      const catalog = all.json()
      expect(catalog.count).to.equal(catalog.eventTypes.length).and.to.be.greaterThan(100)
      expect(catalog.eventTypes.every((t: any) => t.eventHookEligible === true)).to.equal(true)
      expect(catalog.eventTypes.map((t: any) => t.id)).to.include('user.lifecycle.create')

      const search = (await cli(['event-types', 'user lifecycle', '--json'], env)).json()
      expect(search.eventTypes.map((t: any) => t.id)).to.include.members([
        'user.lifecycle.create',
        'user.lifecycle.deactivate',
      ])
      expect(
        search.eventTypes.every((t: any) => t.id.startsWith('user.lifecycle.') || /user|lifecycle/.test(t.category)),
      ).to.equal(true)

      const withIneligible = (await cli(['event-types', '--all', '--json'], env)).json()
      expect(withIneligible.count).to.be.greaterThan(catalog.count)

      const table = await cli(['event-types', 'user lifecycle'], env)
      expectExit(table, 0)
      expect(table.stdout).to.include('user.lifecycle.create')
    })
  })

  describe('2: usage', () => {
    it('an unknown flag: the message on stderr, nothing on stdout; under --json one error document', async () => {
      const human = await cli(['list', '--bogus'])
      expectExit(human, 2)
      expect(human.stdout).to.equal('')
      expect(human.stderr).to.include('Nonexistent flag: --bogus')
      expect(jsonError(await cli(['list', '--bogus', '--json']), 2).code).to.equal('USAGE')
    })

    it('a bad option value, missing required flags, create without its values under CI, no org URL at all', async () => {
      const badStatus = await cli(['list', '--status', 'BOGUS'])
      expectExit(badStatus, 2)
      expect(badStatus.stderr).to.include('ACTIVE, INACTIVE')
      expect(jsonError(await cli(['replay', 'x', '--json']), 2).message).to.include('since')
      expect(jsonError(await cli(['create', '--name', 'Half a hook', '--json']), 2).message).to.include('--url')
      expect(jsonError(await cli(['list', '--json'], {OKTA_CLIENT_ORGURL: undefined}), 2).message).to.include('org URL')
      expect(
        jsonError(await cli(['list', '--json'], {OKTA_CLIENT_ORGURL: 'http://example.com'}), 2).message,
      ).to.include('plain-http')
    })
  })

  describe('3: auth', () => {
    it('a wrong token: Okta 401 E0000011 for the API commands, and for sandbox emit', async () => {
      const wrong = {OKTA_CLIENT_TOKEN: 'not-the-sandbox-token'}
      const list = jsonError(await cli(['list', '--json'], wrong), 3)
      expect(list.code).to.equal('E0000011')
      const human = await cli(['get', 'anything'], wrong)
      expectExit(human, 3)
      expect(human.stderr).to.include('Okta rejected the credentials')
      expectExit(await cli(['sandbox', 'emit', 'user.lifecycle.create'], wrong), 3)
    })

    it('no token at all', async () => {
      expect(jsonError(await cli(['list', '--json'], {OKTA_CLIENT_TOKEN: undefined}), 3).code).to.equal(
        'CREDENTIALS_MISSING',
      )
    })

    it('--token-stdin: the right token from stdin works, a wrong one is exit 3', async () => {
      const env = workspace.env({OKTA_CLIENT_ORGURL: sandbox.orgUrl})
      const good = await runCli(['list', '--token-stdin', '--json'], {env, input: `${sandbox.token}\n`})
      expectExit(good, 0)
      expect(good.json().hooks).to.be.an('array')
      const bad = await runCli(['list', '--token-stdin', '--json'], {env, input: 'wrong-token\n'})
      expectExit(bad, 3)
    })
  })

  describe('4: not found', () => {
    for (const args of [
      ['get'],
      ['verify'],
      ['activate'],
      ['deactivate'],
      ['delete', '--yes'],
      ['update', '--description', 'x'],
      ['logs'],
      ['preview', '--sample'],
    ]) {
      it(`${args[0]} of an unknown hook`, async () => {
        const [command, ...rest] = args
        const error = jsonError(await cli([command, 'No such hook', ...rest, '--json']), 4)
        expect(error.code).to.equal('NOT_FOUND')
        expect(error.message).to.include('No such hook')
      })
    }

    it('replay of an unknown hook id', async () => {
      expectExit(await cli(['replay', 'who0000000000000000000', '--since', '1h', '--until', 'now']), 4)
    })
  })

  describe('6: nothing listening at the org URL', () => {
    it('the API commands retry (said on stderr), then give up with NETWORK', async () => {
      const port = await freePort()
      const result = await cli(['list', '--json'], {OKTA_CLIENT_ORGURL: `http://127.0.0.1:${port}`})
      const error = jsonError(result, 6)
      expect(error.code).to.equal('NETWORK')
      expect(error.message).to.include('ECONNREFUSED')
      expect(result.stderr).to.match(/retrying in/)

      const human = await cli(['get', 'x'], {OKTA_CLIENT_ORGURL: `http://127.0.0.1:${port}`})
      expectExit(human, 6)
      expect(human.stderr).to.include('Could not reach Okta')
    })

    it('sandbox emit says no sandbox answered', async () => {
      const port = await freePort()
      const error = jsonError(
        await cli(['sandbox', 'emit', 'user.lifecycle.create', '--json'], {
          OKTA_CLIENT_ORGURL: `http://127.0.0.1:${port}`,
        }),
        6,
      )
      expect(error.code).to.equal('SANDBOX_UNREACHABLE')
    })
  })
})
