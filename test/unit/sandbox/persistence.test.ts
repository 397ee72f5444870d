import {expect} from 'chai'
import {
  createReadStream,
  createWriteStream,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs'
import {hostname, tmpdir} from 'node:os'
import {join} from 'node:path'
import {createInterface} from 'node:readline'

import SandboxStart from '../../../src/commands/sandbox/start.js'
import {sampleEvent} from '../../../src/lib/delivery/sample-events.js'
import {fileIo, type JournalIo, STATE_VERSION} from '../../../src/lib/sandbox/persistence.js'
import {runCommand} from '../../helpers/run-command.js'
import {hookBody, startReceiver, startSandbox, stopAll} from '../../helpers/sandbox.js'
import {type CliProcess, startCli} from '../receiver/cli-process.js'

const fresh = () => join(mkdtempSync(join(tmpdir(), 'okta-hooks-data-')), 'state.ndjson')

/** The journal's lines, parsed. */
const journal = (file: string) =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((text) => JSON.parse(text))

/** The hooks the journal holds now: the last line of each, deletions applied. */
function hooksIn(file: string): Map<string, any> {
  const hooks = new Map<string, any>()
  for (const entry of journal(file)) {
    if (entry.hook) hooks.set(entry.hook.id, entry.hook)
    if (entry.deleted) hooks.delete(entry.deleted)
  }

  return hooks
}

/** A journal with `count` System Log events, written the fast way. */
async function largeJournal(file: string, count: number): Promise<void> {
  const out = createWriteStream(file, {mode: 0o600})
  out.write(JSON.stringify({sandbox: STATE_VERSION, adminUserId: '00uLargeStateAdmin01'}) + '\n')
  const template = sampleEvent('user.lifecycle.create')
  for (let i = 0; i < count; i++) {
    template.uuid = `large-${i}`
    template.published = new Date(Date.parse('2026-11-01T00:00:00Z') + i).toISOString()
    if (!out.write(JSON.stringify({event: template}) + '\n'))
      await new Promise<void>((resolve) => out.once('drain', () => resolve()))
  }

  await new Promise<void>((resolve) => out.end(() => resolve()))
}

/** A sandbox start in a child process, with its ready document. */
async function sandboxProcess(file: string): Promise<{cli: CliProcess; ready: any}> {
  const cli = startCli(['sandbox start', '--port', '0', '--json', '--data', file, '--token', 'persist-test-token'])
  const [line] = await cli.waitFor(/^\{.*"orgUrl".*\}$/m, 'stdout')
  return {cli, ready: JSON.parse(line)}
}

async function call(ready: any, method: string, path: string, body?: unknown): Promise<{body: any; status: number}> {
  const response = await fetch(ready.orgUrl + path, {
    body: body === undefined ? undefined : JSON.stringify(body),
    headers: {Accept: 'application/json', Authorization: `SSWS ${ready.token}`, 'Content-Type': 'application/json'},
    method,
  })
  const text = await response.text()
  return {body: text ? JSON.parse(text) : undefined, status: response.status}
}

describe('sandbox: --data persistence', function () {
  this.timeout(30_000)
  const children: CliProcess[] = []
  afterEach(async () => {
    for (const child of children.splice(0)) child.child.kill('SIGKILL')
    await stopAll()
  })

  it('writes every hook change (create, update, lifecycle, delete) to the file before the API answers', async () => {
    const file = fresh()
    const t = await startSandbox({dataFile: file})
    const receiver = await startReceiver()
    const {body: hook} = await t.api('POST', '/api/v1/eventHooks', hookBody(receiver.url))
    expect(hooksIn(file).get(hook.id)).to.deep.include({name: 'Test hook', status: 'ACTIVE'})
    expect(hooksIn(file).get(hook.id).channel.config.authScheme.value).to.equal('hook-secret-value') // the secret is kept (file 0600)
    await t.api('PUT', `/api/v1/eventHooks/${hook.id}`, hookBody(receiver.url, {name: 'Renamed'}))
    expect(hooksIn(file).get(hook.id).name).to.equal('Renamed')
    await t.api('POST', `/api/v1/eventHooks/${hook.id}/lifecycle/verify`)
    expect(hooksIn(file).get(hook.id).verificationStatus).to.equal('VERIFIED')
    await t.api('POST', `/api/v1/eventHooks/${hook.id}/lifecycle/deactivate`)
    expect(hooksIn(file).get(hook.id).status).to.equal('INACTIVE')
    await t.api('POST', `/api/v1/eventHooks/${hook.id}/lifecycle/activate`)
    expect(hooksIn(file).get(hook.id).status).to.equal('ACTIVE')
    await t.api('POST', `/api/v1/eventHooks/${hook.id}/lifecycle/deactivate`)
    expect((await t.api('DELETE', `/api/v1/eventHooks/${hook.id}`)).status).to.equal(204)
    expect(hooksIn(file).size).to.equal(0)
    expect(statSync(file).mode & 0o777).to.equal(0o600)
  })

  it("an acknowledged hook change survives kill -9; the next start takes over the dead sandbox's lock and says so", async () => {
    const file = fresh()
    const {cli, ready} = await sandboxProcess(file)
    children.push(cli)
    const kept = await call(
      ready,
      'POST',
      '/api/v1/eventHooks',
      hookBody('https://kept.example.com/okta', {name: 'Kept'}),
    )
    const gone = await call(
      ready,
      'POST',
      '/api/v1/eventHooks',
      hookBody('https://gone.example.com/okta', {name: 'Gone'}),
    )
    expect(
      (
        await call(
          ready,
          'PUT',
          `/api/v1/eventHooks/${kept.body.id}`,
          hookBody('https://kept.example.com/okta', {name: 'Kept and renamed'}),
        )
      ).status,
    ).to.equal(200)
    expect((await call(ready, 'POST', `/api/v1/eventHooks/${kept.body.id}/lifecycle/deactivate`)).status).to.equal(200)
    expect((await call(ready, 'POST', `/api/v1/eventHooks/${gone.body.id}/lifecycle/deactivate`)).status).to.equal(200)
    expect((await call(ready, 'DELETE', `/api/v1/eventHooks/${gone.body.id}`)).status).to.equal(204)
    cli.child.kill('SIGKILL')
    await cli.exited

    const warnings: string[] = []
    const restarted = await startSandbox({dataFile: file, onWarning: (message) => warnings.push(message)})
    expect(warnings.join('\n')).to.contain(`Took over the lock on ${file}: its owner (pid ${cli.child.pid}`)
    const {body: hooks} = await restarted.api('GET', '/api/v1/eventHooks')
    expect(hooks.map((hook: any) => [hook.id, hook.name, hook.status])).to.deep.equal([
      [kept.body.id, 'Kept and renamed', 'INACTIVE'],
    ])
  })

  it("refuses a second sandbox on the same --data file naming the first one's pid, and an unusable path, with exit 2", async () => {
    const file = fresh()
    await startSandbox({dataFile: file})
    const second = await runCommand(SandboxStart, ['--port', '0', '--data', file, '--json'])
    expect(second.exitCode).to.equal(2)
    expect(second.json.error.message).to.contain(
      `in use by another okta-hooks process (pid ${process.pid} on ${hostname()}`,
    )
    const folder = await runCommand(SandboxStart, ['--port', '0', '--data', join(file, '..')])
    expect(folder.exitCode).to.equal(2)
    expect(folder.stderr).to.contain('is a folder; it must be a file')
    const underAFile = await runCommand(SandboxStart, ['--port', '0', '--data', join(file, 'state.ndjson')])
    expect(underAFile.exitCode).to.equal(2)
    expect(underAFile.stderr).to.contain(`Cannot keep the sandbox state in ${join(file, 'state.ndjson')}`)
  })

  it('a save that fails later: the hook change is refused with 500 and not made, events are reported, and stop says what is missing', async () => {
    const file = fresh()
    let failing = false
    const io: JournalIo = {
      append: (path, text) =>
        failing ? Promise.reject(new Error('ENOSPC: no space left on device')) : fileIo.append(path, text),
      appendSync: (path, text) => {
        if (failing) throw new Error('ENOSPC: no space left on device')
        fileIo.appendSync(path, text)
      },
    }
    const warnings: string[] = []
    const t = await startSandbox({dataFile: file, dataIo: io, onWarning: (message) => warnings.push(message)})
    expect((await t.api('POST', '/api/v1/eventHooks', hookBody('https://one.example.com/okta'))).status).to.equal(200)
    failing = true
    const refused = await t.api('POST', '/api/v1/eventHooks', hookBody('https://two.example.com/okta'))
    expect([refused.status, refused.body.errorCode]).to.deep.equal([500, 'E0000009'])
    expect(refused.body.errorCauses[0].errorSummary)
      .to.contain(`could not save this change to ${file} (ENOSPC`)
      .and.contain('nothing was changed')
    expect((await t.api('GET', '/api/v1/eventHooks')).body).to.have.length(1)
    await t.api('POST', '/__sandbox/events', {count: 2, eventType: 'user.lifecycle.create'})
    await t.stop()
    expect(warnings[0]).to.contain('could not save a hook change')
    expect(warnings.some((warning) => /could not append \d+ System Log event\(s\)/.test(warning))).to.equal(true)
    expect(t.sandbox.saveFailures.length).to.be.at.least(2)
  })

  it('sandbox start: a save that fails later is reported on stderr and makes the exit non-zero', async () => {
    const folder = join(mkdtempSync(join(tmpdir(), 'okta-hooks-data-')), 'sub')
    const file = join(folder, 'state.ndjson')
    const {cli, ready} = await sandboxProcess(file)
    children.push(cli)
    expect((await call(ready, 'POST', '/api/v1/eventHooks', hookBody('https://one.example.com/okta'))).status).to.equal(
      200,
    )
    rmSync(folder, {force: true, recursive: true}) // the folder goes away under the running sandbox
    const refused = await call(ready, 'POST', '/api/v1/eventHooks', hookBody('https://two.example.com/okta'))
    expect([refused.status, refused.body.errorCode]).to.deep.equal([500, 'E0000009'])
    await call(ready, 'POST', '/__sandbox/events', {eventType: 'user.lifecycle.create'})
    cli.child.kill('SIGTERM')
    expect(await cli.exited).to.equal(1)
    expect(cli.stderr()).to.contain('Warning: could not save a hook change').and.contain('state NOT fully saved')
    const last = JSON.parse(cli.stdout().trim().split('\n').at(-1)!)
    expect(last.error).to.include({code: 'SANDBOX_SAVE_FAILED', exitCode: 1})
    expect(last.error.details.summary.hooks).to.equal(1)
  })

  it('at start: removes stale temporary files, cuts a torn last line, converts a version-1 file, compacts superseded hook lines', async () => {
    const file = fresh()
    const seed = await startSandbox({dataFile: file})
    const {body: hook} = await seed.api('POST', '/api/v1/eventHooks', hookBody('https://h.example.com/okta'))
    await seed.stop()
    const stored = hooksIn(file).get(hook.id)
    const renames = Array.from({length: 1000}, (_, i) => JSON.stringify({hook: {...stored, name: `Name ${i}`}}) + '\n')
    writeFileSync(file, readFileSync(file, 'utf8') + renames.join(''))
    const dir = join(file, '..')
    writeFileSync(join(dir, '.state.ndjson.12345.1700000000000.tmp'), '{"half')
    writeFileSync(file, readFileSync(file, 'utf8') + '{"hook":{"id":"whoTorn')
    const warnings: string[] = []
    const t = await startSandbox({dataFile: file, onWarning: (message) => warnings.push(message)})
    expect(warnings.join('\n'))
      .to.contain('Removed 1 stale temporary file')
      .and.contain('Cut a torn last line')
      .and.contain('Compacted')
    expect(readdirSync(dir).sort()).to.deep.equal(['state.ndjson', 'state.ndjson.lock'])
    expect((await t.api('GET', `/api/v1/eventHooks/${hook.id}`)).body.name).to.equal('Name 999')
    expect(journal(file).filter((entry) => entry.hook)).to.have.length(1)
    await t.stop()

    const legacy = fresh()
    const events = [sampleEvent('user.lifecycle.create')]
    writeFileSync(
      legacy,
      JSON.stringify({adminUserId: '00uLegacyAdmin000001', events, hooks: [{...hook, name: 'Legacy'}], version: 1}),
    )
    const converted = await startSandbox({dataFile: legacy, onWarning: (message) => warnings.push(message)})
    expect(warnings.at(-1)).to.contain(`Converted ${legacy} to the append-only format of version 2`)
    expect((await converted.api('GET', `/api/v1/eventHooks/${hook.id}`)).body.name).to.equal('Legacy')
    expect(
      (await converted.api('GET', `/api/v1/logs?since=2000-01-01T00:00:00Z`)).body.map((event: any) => event.uuid),
    ).to.include(events[0].uuid)
    expect(journal(legacy)[0]).to.deep.equal({adminUserId: '00uLegacyAdmin000001', sandbox: 2})
  })

  it('never blocks its API on a save: with 30,000 events stored, a GET answers while the new events are still being written', async () => {
    const file = fresh()
    await largeJournal(file, 30_000)
    const before = statSync(file)
    let appendStarted!: () => void
    const started = new Promise<void>((resolve) => {
      appendStarted = resolve
    })
    let release!: () => void
    const held = new Promise<void>((resolve) => {
      release = resolve
    })
    const appended: string[] = []
    const order: string[] = []
    const io: JournalIo = {
      async append(path, text) {
        appended.push(text)
        appendStarted()
        await held
        await fileIo.append(path, text)
        order.push('save written')
      },
      appendSync: fileIo.appendSync,
    }
    const t = await startSandbox({dataFile: file, dataIo: io})
    const {body: emitted} = await t.api('POST', '/__sandbox/events', {count: 3, eventType: 'user.lifecycle.create'})
    await started // the save of the new events is under way, and held there
    const hooks = await t.api('GET', '/api/v1/eventHooks')
    order.push(`hooks ${hooks.status}`)
    const logs = await t.api('GET', '/api/v1/logs?sortOrder=DESCENDING&limit=3')
    order.push(`logs ${logs.status}`)
    release()
    await t.stop()
    expect(order).to.deep.equal(['hooks 200', 'logs 200', 'save written'])
    expect(logs.body.map((event: any) => event.uuid)).to.deep.equal(
      emitted.events.map((event: any) => event.uuid).reverse(),
    )
    // The save appended just the new events: the file was not rewritten.
    const after = statSync(file)
    expect(after.ino).to.equal(before.ino)
    expect(after.size - before.size).to.equal(appended.reduce((sum, text) => sum + Buffer.byteLength(text), 0))
    expect(appended.join('').trim().split('\n')).to.have.length(3)
    const lines = createInterface({input: createReadStream(file)})
    let count = 0
    for await (const _ of lines) count++
    expect(count).to.equal(1 + 30_000 + 3)
    expect(existsSync(`${file}.lock`)).to.equal(false)
  })
})
