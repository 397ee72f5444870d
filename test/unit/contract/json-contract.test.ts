/**
 * The --json contract with scripts (schemas/, checked by test/helpers/json-contract.ts): one schema
 * per command, the checker itself, and every command run for real, in-process, against the sandbox
 * and local receivers, in success and in failure. runCommand checks each of these runs (and every
 * other --json run of the suite) against the command's schema; the streams (listen, sandbox start,
 * logs --follow) and oclif's own failures are checked against the built CLI in
 * test/e2e/json-contract.test.ts.
 */
import {expect} from 'chai'
import {mkdtempSync} from 'node:fs'
import type http from 'node:http'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {pathToFileURL} from 'node:url'

import Activate from '../../../src/commands/activate.js'
import CheckEndpoint from '../../../src/commands/check-endpoint.js'
import Create from '../../../src/commands/create.js'
import Deactivate from '../../../src/commands/deactivate.js'
import Delete from '../../../src/commands/delete.js'
import DeliveriesClear from '../../../src/commands/deliveries/clear.js'
import DeliveriesList from '../../../src/commands/deliveries/list.js'
import DeliveriesReplay from '../../../src/commands/deliveries/replay.js'
import DeliveriesShow from '../../../src/commands/deliveries/show.js'
import EventTypes from '../../../src/commands/event-types.js'
import Get from '../../../src/commands/get.js'
import List from '../../../src/commands/list.js'
import Logs from '../../../src/commands/logs.js'
import Preview from '../../../src/commands/preview.js'
import Replay from '../../../src/commands/replay.js'
import SandboxEmit from '../../../src/commands/sandbox/emit.js'
import Update from '../../../src/commands/update.js'
import Verify from '../../../src/commands/verify.js'
import {sendRequest} from '../../../src/lib/delivery/http-delivery.js'
import {DeliveryStore} from '../../../src/lib/receiver/delivery-store.js'
import {startReceiver as startListener} from '../../../src/lib/receiver/server.js'
import {
  checkJsonOutput,
  className,
  commandIds,
  outputSchemaFiles,
  readSchema,
  SCHEMAS_DIR,
  schemaFileFor,
  verdictOf,
} from '../../helpers/json-contract.js'
import {type RunResult, runCommand} from '../../helpers/run-command.js'
import {
  okReceiver,
  type Receiver,
  startReceiver,
  startSandbox,
  stopAll,
  type TestSandbox,
} from '../../helpers/sandbox.js'

const SECRET = 'contract-hook-secret-7d41'
const NOT_COMMANDS = ['error.json', 'shared.json', 'version.json']

/** Answers Okta's verification challenge, then refuses every delivery with 500. */
const failingDeliveries = (request: Parameters<typeof okReceiver>[0], response: http.ServerResponse) => {
  if (request.method === 'GET') okReceiver(request, response)
  else response.writeHead(500).end()
}

describe('contract: --json output against schemas/', () => {
  it('ships one schema per command, named by its id, plus error.json, shared.json and version.json', () => {
    const files = outputSchemaFiles().sort()
    const expected = [...commandIds().map((id) => schemaFileFor(id)), ...NOT_COMMANDS].sort()
    expect(files).to.deep.equal(expected)
    for (const file of files) {
      const schema = readSchema(file)
      expect(schema.$id, file).to.equal(`https://okta-hooks.invalid/schemas/${file}`)
      expect(schema.$schema, file).to.equal('https://json-schema.org/draft/2019-09/schema')
      expect(schema.title, file).to.be.a('string')
    }
  })

  it('maps each command class to its id by the naming convention (deliveries replay → DeliveriesReplay)', async () => {
    for (const id of commandIds()) {
      // import(), not require(): a CommonJS second copy of each module would garble the coverage.
      const {default: Cmd} = await import(
        pathToFileURL(join(SCHEMAS_DIR, '..', 'src', 'commands', `${id.split(' ').join('/')}.ts`)).href
      )
      expect(Cmd.name, id).to.equal(className(id))
    }
  })

  it('names each verdict in one place: $defs.verdict (type, passing value) and the one property that refers to it', () => {
    const verdicts = Object.fromEntries(
      commandIds()
        .map((id) => [id, verdictOf(readSchema(schemaFileFor(id)))] as const)
        .filter(([, verdict]) => verdict !== undefined),
    )
    expect(verdicts).to.deep.equal({
      'check-endpoint': {pass: true, path: ['ok']},
      'deliveries replay': {pass: 'accepted', path: ['verdict']},
      preview: {pass: 'accepted', path: ['verdict']},
      reconcile: {pass: true, path: ['complete']},
      replay: {pass: 'accepted', path: ['verdict']},
      'sandbox emit': {pass: 'accepted', path: ['verdict']},
      verify: {pass: true, path: ['verified']},
    })
  })

  describe('the checker refuses what a script must never get', () => {
    const hook = {
      channel: {config: {uri: 'https://h.example.com/okta'}, type: 'HTTP'},
      events: {items: ['user.lifecycle.create'], type: 'EVENT_TYPE'},
      id: 'who1',
      name: 'A',
      status: 'ACTIVE',
      verificationStatus: 'VERIFIED',
    }
    const check = (id: string, exitCode: number, document: unknown) =>
      checkJsonOutput({exitCode, id, stdout: JSON.stringify(document)})

    it('accepts the documents it should', () => {
      expect(check('get', 0, {hook})).to.deep.equal([])
      expect(check('get', 4, {error: {code: 'NOT_FOUND', exitCode: 4, message: 'Not found'}})).to.deep.equal([])
      expect(
        check('verify', 5, {error: {code: 'E0000001', exitCode: 5, message: 'no'}, hook, verified: false}),
      ).to.deep.equal([])
    })

    it('a failure without `error`, an error with another exit code, and a success with `error`', () => {
      expect(
        check('preview', 5, {deliveries: [], dryRun: false, events: 1, target: 'https://x/', verdict: 'failed'}).join(),
      ).to.contain("exit 5, but the last document's error.exitCode is undefined")
      expect(check('get', 3, {error: {code: 'E0000011', exitCode: 2, message: 'x'}}).join()).to.contain(
        'error.exitCode is 2',
      )
      expect(
        check('verify', 0, {error: {code: 'X', exitCode: 5, message: 'x'}, hook, verified: false}).join(),
      ).to.contain('exit 0, yet a document has `error`')
    })

    it("a failing verdict with exit 0, and a verdict command's result that lost its fields", () => {
      expect(check('verify', 0, {hook, verified: false})).to.deep.equal([
        'exit 0 with a failing verdict: verified is false',
      ])
      expect(check('verify', 5, {error: {code: 'X', exitCode: 5, message: 'x'}, verified: false}).join()).to.contain(
        "must have required property 'hook'",
      )
    })

    it('a field the schema does not know (a change scripts would see must be a visible decision)', () => {
      expect(check('get', 0, {extra: 1, hook}).join()).to.contain('must NOT have additional properties')
    })

    it("a secret or a URL's password in the output", () => {
      const withSecret = {
        ...hook,
        channel: {
          ...hook.channel,
          config: {
            ...hook.channel.config,
            authScheme: {key: 'Authorization', type: 'HEADER', value: 'Bearer s3cr3t-value'},
          },
        },
      }
      expect(check('get', 0, {hook: withSecret}).join()).to.contain('/hook/channel/config/authScheme')
      const withPassword = {...hook, channel: {...hook.channel, config: {uri: 'https://user:pass@h.example.com/'}}}
      expect(check('get', 0, {hook: withPassword}).join()).to.contain('/hook/channel/config/uri')
      const masked = {...hook, channel: {...hook.channel, config: {uri: 'https://****:****@h.example.com/'}}}
      expect(check('get', 0, {hook: masked})).to.deep.equal([])
    })

    it('stdout that is not one JSON document (a stream only where the schema says NDJSON)', () => {
      expect(checkJsonOutput({exitCode: 0, id: 'list', stdout: '{"hooks":[]}\n{"hooks":[]}\n'}).join()).to.contain(
        'stdout is not one JSON document',
      )
      const lines = [
        '{"record":"r","type":"ready","url":"http://127.0.0.1:1/"}',
        '{"error":{"code":"USAGE","exitCode":2,"message":"x"}}',
      ].join('\n')
      expect(checkJsonOutput({exitCode: 2, id: 'listen', stdout: lines})).to.deep.equal([])
    })
  })

  describe('every command for real, success and failure (each run checked by runCommand)', function () {
    this.timeout(60_000)
    let t: TestSandbox
    let env: Record<string, string>
    let good: Receiver
    let failing: Receiver
    const run = async (
      Cmd: any,
      argv: string[],
      expected: number,
      extraEnv: Record<string, string> = {},
    ): Promise<RunResult> => {
      const result = await runCommand(Cmd, [...argv, '--json'], {env: {...env, HOOK_SECRET: SECRET, ...extraEnv}})
      expect(result.exitCode, `${Cmd.name} ${argv.join(' ')}\n${result.stdout}\n${result.stderr}`).to.equal(expected)
      expect(result.json, 'stdout is one JSON document').to.not.equal(undefined)
      expect(result.stdout + result.stderr).to.not.contain(SECRET)
      return result
    }

    before(async () => {
      t = await startSandbox()
      env = {OKTA_CLIENT_ORGURL: t.url, OKTA_CLIENT_TOKEN: t.sandbox.token}
      good = await startReceiver()
      failing = await startReceiver(failingDeliveries)
    })

    after(async () => {
      await stopAll()
    })

    it('hooks: create, verify, get, list, update, deactivate, activate, delete', async () => {
      await run(EventTypes, ['user lifecycle'], 0)
      await run(
        Create,
        [
          '--name',
          'Good',
          '--url',
          good.url,
          '--event',
          'user.lifecycle.create',
          '--auth-secret-env',
          'HOOK_SECRET',
          '--dry-run',
        ],
        0,
      )
      const {json: created} = await run(
        Create,
        ['--name', 'Good', '--url', good.url, '--event', 'user.lifecycle.create', '--auth-secret-env', 'HOOK_SECRET'],
        0,
      )
      await run(
        Create,
        [
          '--name',
          'Good',
          '--url',
          good.url,
          '--event',
          'user.lifecycle.create',
          '--auth-secret-env',
          'HOOK_SECRET',
          '--if-not-exists',
        ],
        0,
      )
      await run(Create, ['--name', 'Bad URL', '--url', 'ftp://x', '--event', 'user.lifecycle.create'], 2)
      const id = created.hook.id
      expect((await run(Verify, [id], 0)).json.verified).to.equal(true)
      await run(Get, [id], 0)
      await run(Get, ['no-such-hook'], 4)
      await run(List, [], 0)
      await run(List, [], 3, {OKTA_CLIENT_TOKEN: 'not-the-sandbox-token'})
      await run(Update, [id, '--description', 'changed', '--auth-secret-env', 'HOOK_SECRET', '--dry-run'], 0)
      await run(Update, [id, '--description', 'changed', '--auth-secret-env', 'HOOK_SECRET'], 0)
      await run(Deactivate, [id], 0)
      await run(Activate, [id], 0)
      await run(Deactivate, [id], 0)
      await run(Delete, [id, '--yes'], 0)
      await run(Delete, [id, '--yes'], 4)
    })

    it('verdicts: verify, preview, replay, check-endpoint, sandbox emit --wait, logs', async () => {
      const {json: goodHook} = await run(
        Create,
        [
          '--name',
          'Verdict good',
          '--url',
          good.url,
          '--event',
          'user.lifecycle.create',
          '--auth-secret-env',
          'HOOK_SECRET',
          '--verify',
        ],
        0,
      )
      const {json: badHook} = await run(
        Create,
        ['--name', 'Verdict failing', '--url', failing.url, '--event', 'user.lifecycle.create', '--verify'],
        0,
      )
      const noChallenge = await startReceiver((_, response) => response.writeHead(200).end())
      const {json: unverifiable} = await run(
        Create,
        ['--name', 'Unverifiable', '--url', noChallenge.url, '--event', 'user.lifecycle.create'],
        0,
      )
      const refused = await run(Verify, [unverifiable.hook.id], 5)
      expect(refused.json).to.include({verified: false}).and.have.property('hook')

      expect(
        (await run(Preview, [goodHook.hook.id, '--sample', '--auth-secret-env', 'HOOK_SECRET'], 0)).json.verdict,
      ).to.equal('accepted')
      expect((await run(Preview, [badHook.hook.id, '--sample', '--no-auth'], 5)).json.verdict).to.equal('failed')
      await run(Preview, ['--to', good.url, '--sample', '--event-type', 'user.lifecycle.create', '--dry-run'], 0)

      const since = new Date(Date.now() - 60_000).toISOString()
      const emitted = await run(SandboxEmit, ['user.lifecycle.create', '--wait'], 5)
      expect(emitted.json.verdict).to.equal('failed')
      expect(emitted.json.deliveries.map((hook: any) => hook.verdict)).to.include('failed')
      await run(SandboxEmit, ['user.lifecycle.activate'], 0)
      const until = new Date(Date.now() + 60_000).toISOString()
      const window = ['--since', since, '--until', until]
      const accepted = (await run(Replay, [goodHook.hook.id, ...window, '--auth-secret-env', 'HOOK_SECRET'], 0)).json
      expect(accepted).to.deep.include({verdict: 'accepted'})
      expect(accepted.stats).to.include({failed: 0, rejected: 0})
      const failed = (await run(Replay, [badHook.hook.id, ...window, '--no-auth'], 5)).json
      expect(failed.verdict).to.equal('failed')
      expect(failed.stats.failed).to.be.above(0)
      expect(failed.stats.failures[0].verdict).to.equal('failed')
      await run(Replay, [goodHook.hook.id, '--since', '1h', '--until', '2h'], 2)

      await run(Logs, [badHook.hook.id, '--type', 'delivery'], 0)
      const checked = (await run(CheckEndpoint, [good.url, '--auth-secret-env', 'HOOK_SECRET'], 0)).json
      expect(checked.ok).to.equal(true)
      const verdicts = Object.fromEntries(checked.checks.map((check: any) => [check.id, check.verdict]))
      expect(verdicts).to.deep.equal({
        batch: 'accepted',
        delivery: 'accepted',
        duplicate: 'accepted',
        'no-auth': 'accepted',
        scheme: undefined,
        verification: undefined,
      })
      expect((await run(CheckEndpoint, [failing.url, '--auth-secret-env', 'HOOK_SECRET'], 5)).json.ok).to.equal(false)
    })

    it('deliveries: list, show, replay (accepted and failed), clear', async () => {
      const record = join(mkdtempSync(join(tmpdir(), 'okta-hooks-contract-')), 'deliveries.ndjson')
      const listener = await startListener({
        auth: {key: 'Authorization', value: SECRET},
        port: 0,
        store: new DeliveryStore(record),
      })
      try {
        await sendRequest({
          body: '{"eventType":"com.okta.event_hook","data":{"events":[]}}',
          headers: {Authorization: SECRET, 'Content-Type': 'application/json'},
          method: 'POST',
          url: listener.url,
        })
      } finally {
        await listener.close()
      }

      await run(DeliveriesList, ['--record', record], 0)
      await run(DeliveriesShow, ['last', '--record', record], 0)
      await run(DeliveriesShow, ['nope', '--record', record], 4)
      await run(DeliveriesReplay, ['last', '--record', record, '--to', good.url, '--auth-secret-env', 'HOOK_SECRET'], 0)
      const refused = await run(DeliveriesReplay, ['last', '--record', record, '--to', failing.url], 5)
      expect(refused.json.verdict).to.equal('failed')
      await run(DeliveriesClear, ['--record', record, '--yes'], 0)
    })
  })
})
