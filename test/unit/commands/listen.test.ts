import {expect} from 'chai'
import {existsSync, mkdtempSync, readFileSync, statSync, writeFileSync} from 'node:fs'
import {hostname, tmpdir} from 'node:os'
import {dirname, join} from 'node:path'

import DeliveriesList from '../../../src/commands/deliveries/list.js'
import Listen from '../../../src/commands/listen.js'
import {buildEnvelope} from '../../../src/lib/delivery/envelope.js'
import {sendRequest} from '../../../src/lib/delivery/http-delivery.js'
import {sampleEvent} from '../../../src/lib/delivery/sample-events.js'
import {DeliveryStore} from '../../../src/lib/receiver/delivery-store.js'
import {startReceiver} from '../../../src/lib/receiver/server.js'
import {runCommand} from '../../helpers/run-command.js'
import {startCli} from '../receiver/cli-process.js'

const SECRET = 'listen-secret-98765'

function delivery(count: number): string {
  const events = Array.from({length: count}, (_, i) =>
    sampleEvent('user.lifecycle.create', {
      target: {alternateId: `new.user${i}@example.com`, displayName: `New User${i}`},
    }),
  )
  return JSON.stringify(
    buildEnvelope({
      eventId: 'delivery-id-0001',
      events,
      source: 'https://test-org.okta.example/api/v1/eventHooks/who1',
    }),
  )
}

describe('listen', function () {
  this.timeout(30_000)
  let record: string

  beforeEach(() => {
    record = join(mkdtempSync(join(tmpdir(), 'okta-hooks-listen-')), 'deliveries.ndjson')
  })

  it('prints a ready line, one line per event with who was created, and a summary on SIGTERM', async () => {
    const cli = startCli(['listen', '--port', '0', '--record', record])
    try {
      const [, url] = await cli.waitFor(/Ready: listening on (http:\/\/127\.0\.0\.1:\d+\/)/)
      expect(cli.stderr()).to.contain('anyone who can reach')
      const verify = await sendRequest({
        headers: {'X-Okta-Verification-Challenge': 'cli-challenge'},
        method: 'GET',
        url,
      })
      expect(JSON.parse(verify.body)).to.deep.equal({verification: 'cli-challenge'})
      const posted = await sendRequest({
        body: delivery(2),
        headers: {'Content-Type': 'application/json'},
        method: 'POST',
        url,
      })
      expect(posted.status).to.equal(204)
      await cli.waitFor(/recorded as \w+/, 'stdout')
      cli.child.kill('SIGTERM')
      expect(await cli.exited).to.equal(0)
      const lines = cli.stdout().trim().split('\n')
      expect(lines[0]).to.match(/GET \/\s+200\s+verification challenge answered/)
      expect(lines[1]).to.match(
        /Z\s+user\.lifecycle\.create\s+by Admin Example <admin@example\.com>\s+created New User0 <new\.user0@example\.com>\s+\[delivery delivery-id-0001 1\/2\]/,
      )
      expect(lines[2]).to.contain('created New User1 <new.user1@example.com>').and.contain('2/2]')
      expect(lines[3]).to.match(/↳ 204 in \d+ ms/)
      expect(cli.stdout()).to.contain('2 requests: 1 verification, 1 delivery with 2 events, 0 failures.')
      expect(cli.stderr()).to.contain('Stopped (SIGTERM).')
      expect(new DeliveryStore(record).readAll()).to.have.length(2)
    } finally {
      cli.child.kill('SIGKILL')
    }
  })

  it('--json writes NDJSON only: ready, one object per request, summary; auth checked and masked', async () => {
    const cli = startCli(['listen', '--port', '0', '--record', record, '--json', '--auth-secret-env', 'HOOK_SECRET'], {
      HOOK_SECRET: SECRET,
    })
    try {
      await cli.waitFor(/"type":"ready"/, 'stdout')
      const ready = JSON.parse(cli.stdout().split('\n')[0])
      expect(ready).to.include({record, type: 'ready'})
      expect(cli.stderr()).not.to.contain('anyone who can reach')
      const bad = await sendRequest({
        body: delivery(1),
        headers: {'Content-Type': 'application/json'},
        method: 'POST',
        url: ready.url,
      })
      const good = await sendRequest({
        body: delivery(3),
        headers: {Authorization: SECRET, 'Content-Type': 'application/json'},
        method: 'POST',
        url: ready.url,
      })
      expect([bad.status, good.status]).to.deep.equal([401, 204])
      await cli.waitFor(/"batchSize":3/, 'stdout')
      const deep = delivery(1).replace(
        '"eventType":"user.lifecycle.create"',
        `"eventType":"user.lifecycle.create","nested":${'['.repeat(100_000)}${']'.repeat(100_000)}`,
      )
      expect(
        (
          await sendRequest({
            body: deep,
            headers: {Authorization: SECRET, 'Content-Type': 'application/json'},
            method: 'POST',
            url: ready.url,
          })
        ).status,
      ).to.equal(204)
      await cli.waitFor(/"status":204[^\n]*\n[^\n]*"status":204/, 'stdout')
      cli.child.kill('SIGINT')
      expect(await cli.exited).to.equal(0)
      const objects = cli
        .stdout()
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line))
      expect(objects.map((o) => o.type)).to.deep.equal(['ready', 'delivery', 'delivery', 'delivery', 'summary'])
      expect(objects[3]).to.include({batchSize: 1, status: 204})
      expect(objects[3].envelope.data.events[0].nested).to.be.an('array')
      expect(cli.stderr()).not.to.contain('showing a request failed')
      expect(objects[1]).to.include({auth: 'missing', status: 401})
      expect(objects[1].problem.code).to.equal('UNAUTHORIZED')
      expect(objects[2]).to.include({auth: 'ok', batchSize: 3, eventId: 'delivery-id-0001', status: 204})
      expect(objects[2].events[2].targets[0].alternateId).to.equal('new.user2@example.com')
      expect(objects[2].envelope.data.events).to.have.length(3)
      expect(objects[4]).to.include({deliveries: 2, events: 4, failures: 1, requests: 3, type: 'summary'})
      expect(cli.stdout()).not.to.contain(SECRET)
    } finally {
      cli.child.kill('SIGKILL')
    }
  })

  it('--respond-delay and --body-timeout are durations; a bare number is seconds (2 is 2s, not 2 ms)', async () => {
    const serve = Object.getOwnPropertyDescriptor(Listen.prototype, 'serve')!
    const seen: Record<string, unknown>[] = []
    Object.defineProperty(Listen.prototype, 'serve', {
      configurable: true,
      value: async (options: Record<string, unknown>) => seen.push(options),
    })
    try {
      const bare = await runCommand(Listen, [
        '--port',
        '0',
        '--record',
        record,
        '--respond-delay',
        '2',
        '--body-timeout',
        '1.5',
      ])
      expect(bare.exitCode, bare.stderr).to.equal(0)
      const units = await runCommand(Listen, ['--port', '0', '--record', record, '--respond-delay', '4s'])
      expect(units.exitCode, units.stderr).to.equal(0)
    } finally {
      Object.defineProperty(Listen.prototype, 'serve', serve)
    }

    expect(seen[0]).to.include({bodyTimeoutMs: 1500, respondDelayMs: 2000})
    expect(seen[1]).to.include({bodyTimeoutMs: 5000, respondDelayMs: 4000})
  })

  it('refuses bad flags with exit 2 before listening', async () => {
    const delay = await runCommand(Listen, ['--port', '0', '--respond-delay', 'soon'])
    expect(delay.exitCode).to.equal(2)
    expect(delay.stderr).to.contain('--respond-delay "soon" is not a duration')
    const size = await runCommand(Listen, ['--port', '0', '--max-body', 'lots'])
    expect(size.exitCode).to.equal(2)
    const both = await runCommand(Listen, [
      '--port',
      '0',
      '--forward-to',
      'http://127.0.0.1:3000/',
      '--respond-status',
      '500',
    ])
    expect(both.exitCode).to.equal(2)
    expect(both.stderr).to.contain('--respond-status')
    const path = await runCommand(Listen, ['--port', '0', '--path', 'no-slash'])
    expect(path.exitCode).to.equal(2)
    expect(path.stderr).to.contain('must start with "/"')
    const dots = await runCommand(Listen, ['--port', '0', '--path', '/okta/../events'])
    expect(dots.exitCode).to.equal(2)
    expect(dots.stderr).to.contain('"." or ".." segment').and.contain('--path /events')
    const timeout = await runCommand(Listen, ['--port', '0', '--body-timeout', 'forever'])
    expect(timeout.exitCode).to.equal(2)
    expect(timeout.stderr).to.contain('--body-timeout "forever" is not a duration')
    const cap = await runCommand(Listen, ['--port', '0', '--record-max', 'big'])
    expect(cap.exitCode).to.equal(2)
    expect(cap.stderr).to.contain('--record-max "big" is not a size')
  })

  it('refuses a --record that is a folder or cannot be written (exit 2), before listening', async () => {
    const folder = await runCommand(Listen, ['--port', '0', '--record', dirname(record), '--json'])
    expect(folder.exitCode).to.equal(2)
    expect(JSON.parse(folder.stdout).error.message).to.contain('it is a folder')
    writeFileSync(record, '')
    const underAFile = await runCommand(Listen, ['--port', '0', '--record', join(record, 'deliveries.ndjson')])
    expect(underAFile.exitCode).to.equal(2)
    expect(underAFile.stderr).to.contain(`Cannot record to ${join(record, 'deliveries.ndjson')}`)
  })

  it("refuses a second listen on the same --record naming the first one's pid, and takes over a stale lock", async () => {
    writeFileSync(
      `${record}.lock`,
      JSON.stringify({host: hostname(), pid: 999_999_999, started: '2026-11-30T10:00:00.000Z'}),
    )
    const first = startCli(['listen', '--port', '0', '--record', record])
    try {
      await first.waitFor(/Ready: listening on/)
      expect(first.stderr()).to.contain(`Took over the lock on ${record}: its owner (pid 999999999`)
      const second = await runCommand(Listen, ['--port', '0', '--record', record])
      expect(second.exitCode).to.equal(2)
      expect(second.stderr).to.contain(`in use by another okta-hooks process (pid ${first.child.pid} `)
      first.child.kill('SIGTERM')
      expect(await first.exited).to.equal(0)
      expect(existsSync(`${record}.lock`)).to.equal(false)
    } finally {
      first.child.kill('SIGKILL')
    }
  })

  it('--record-max rotates the record to <file>.1, and deliveries lists across both', async () => {
    const cli = startCli(['listen', '--port', '0', '--record', record, '--record-max', '8k'])
    try {
      const [, url] = await cli.waitFor(/Ready: listening on (http:\/\/127\.0\.0\.1:\d+\/)/)
      await cli.waitFor(/rotated to .*\.1 past 8 KiB/)
      expect(cli.stderr()).to.contain(`rotated to ${record}.1 past 8 KiB`)
      for (let i = 0; i < 8; i++)
        await sendRequest({body: delivery(1), headers: {'Content-Type': 'application/json'}, method: 'POST', url})
      cli.child.kill('SIGTERM')
      expect(await cli.exited).to.equal(0)
    } finally {
      cli.child.kill('SIGKILL')
    }

    expect(statSync(record).size).to.be.at.most(8 * 1024)
    expect(statSync(`${record}.1`).size).to.be.at.most(8 * 1024)
    const list = await runCommand(DeliveriesList, ['--record', record, '--limit', '0', '--json'])
    expect(list.exitCode).to.equal(0)
    const kept =
      readFileSync(record, 'utf8').split('\n').length - 1 + readFileSync(`${record}.1`, 'utf8').split('\n').length - 1
    expect(list.json.deliveries).to.have.length(kept)
    expect(kept).to.be.within(3, 7) // the oldest went with the rotation before last
  })

  it('names --port when the port is taken (exit 2, JSON error line under --json)', async () => {
    const other = await startReceiver({port: 0})
    try {
      const {exitCode, stdout} = await runCommand(Listen, ['--port', String(other.port), '--json', '--record', record])
      expect(exitCode).to.equal(2)
      const line = JSON.parse(stdout.trim())
      expect(line.error.message).to.contain('already in use')
      expect(stdout.trim().split('\n')).to.have.length(1)
    } finally {
      await other.close()
    }
  })
})
