import {expect} from 'chai'
import http from 'node:http'
import type {AddressInfo} from 'node:net'
import {
  appendFileSync,
  closeSync,
  existsSync,
  ftruncateSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {BaseCommand} from '../../../src/cli/base-command.js'
import DeliveriesClear from '../../../src/commands/deliveries/clear.js'
import DeliveriesList from '../../../src/commands/deliveries/list.js'
import DeliveriesReplay from '../../../src/commands/deliveries/replay.js'
import DeliveriesShow from '../../../src/commands/deliveries/show.js'
import {buildEnvelope} from '../../../src/lib/delivery/envelope.js'
import {sendRequest} from '../../../src/lib/delivery/http-delivery.js'
import {sampleEvent} from '../../../src/lib/delivery/sample-events.js'
import {DeliveryStore} from '../../../src/lib/receiver/delivery-store.js'
import {startReceiver} from '../../../src/lib/receiver/server.js'
import {runCommand} from '../../helpers/run-command.js'

const SECRET = 'recorded-secret-5555'
const GIB = 1024 ** 3

/** Records real traffic through the receiver: a verification, a delivery of 2 events, a 401 and a malformed body. */
async function recordTraffic(record: string, forwardTo?: string): Promise<DeliveryStore> {
  const store = new DeliveryStore(record)
  const receiver = await startReceiver({auth: {key: 'X-Hook-Key', value: SECRET}, forwardTo, port: 0, store})
  try {
    const headers = {'Content-Type': 'application/json', 'X-Hook-Key': SECRET, 'X-Tenant': 'acme'}
    await sendRequest({
      headers: {'X-Hook-Key': SECRET, 'X-Okta-Verification-Challenge': 'rec-challenge'},
      method: 'GET',
      url: receiver.url,
    })
    const body = JSON.stringify(
      buildEnvelope({
        eventId: 'evt-rec-1',
        events: [sampleEvent('user.lifecycle.create'), sampleEvent('user.lifecycle.create')],
        source: 'https://org/api/v1/eventHooks/who1',
      }),
    )
    await sendRequest({body, headers, method: 'POST', url: receiver.url})
    await sendRequest({body, headers: {'Content-Type': 'application/json'}, method: 'POST', url: receiver.url})
    await sendRequest({body: '{nope', headers, method: 'POST', url: receiver.url})
  } finally {
    await receiver.close()
  }

  return store
}

async function app(
  status = 204,
  delayMs = 0,
): Promise<{close: () => Promise<void>; received: {body: string; headers: http.IncomingHttpHeaders}[]; url: string}> {
  const received: {body: string; headers: http.IncomingHttpHeaders}[] = []
  const server = http.createServer((req, res) => {
    let body = ''
    req.on('data', (c) => (body += c))
    req.on('end', () => {
      received.push({body, headers: req.headers})
      setTimeout(() => res.writeHead(status).end(), delayMs)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
    received,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
  }
}

describe('deliveries', () => {
  let record: string

  beforeEach(() => {
    record = join(mkdtempSync(join(tmpdir(), 'okta-hooks-deliveries-')), 'deliveries.ndjson')
  })

  it('the store holds no secret at rest', async () => {
    await recordTraffic(record)
    const raw = readFileSync(record, 'utf8')
    expect(raw.trim().split('\n')).to.have.length(4)
    expect(raw).not.to.contain(SECRET)
    expect(raw).to.contain('"x-hook-key":"****"')
  })

  it('list shows a table of id, time, method, path, status, events, latency; --json the rows', async () => {
    const store = await recordTraffic(record)
    const ids = store.readAll().map((r) => r.id)
    const {error, exitCode, stdout} = await runCommand(DeliveriesList, ['--record', record])
    expect(error).to.equal(undefined)
    expect(exitCode).to.equal(0)
    expect(stdout).to.match(/ID\s.*TIME\s.*METHOD\s.*PATH\s.*STATUS\s.*EVENTS\s.*LATENCY/)
    for (const id of ids) expect(stdout).to.contain(id)
    expect(stdout).to.contain('401 UNAUTHORIZED').and.contain('400 MALFORMED_JSON')
    const json = await runCommand(DeliveriesList, ['--record', record, '--json', '--limit', '2'])
    expect(json.exitCode).to.equal(0)
    expect(json.json.more).to.equal(true)
    expect(json.json.deliveries.map((d: any) => [d.method, d.status, d.events])).to.deep.equal([
      ['POST', 401, undefined],
      ['POST', 400, undefined],
    ])
    const text = await runCommand(DeliveriesList, ['--record', record, '--limit', '3'])
    expect(text.stderr).to.contain('Showing the newest 3; older ones are recorded too: --limit 0 shows all.')
    expect(text.stdout.trimEnd().split('\n')).to.have.length(4, 'stdout: the header and 3 rows, nothing else')
    const all = await runCommand(DeliveriesList, ['--record', record, '--limit', '0', '--json'])
    expect([all.json.deliveries.length, all.json.more]).to.deep.equal([4, false])
    expect(all.json.deliveries.map((d: any) => d.id)).to.deep.equal(ids)
  })

  it('list on an empty store says how to fill it', async () => {
    const {exitCode, stderr, stdout} = await runCommand(DeliveriesList, ['--record', record])
    expect(exitCode).to.equal(0)
    expect(stderr).to.contain('No deliveries recorded').and.contain('listen')
    expect(stdout).to.equal('')
  })

  it('show prints the full request and response with headers masked; "last", prefixes and unknown ids', async () => {
    const store = await recordTraffic(record)
    const delivery = store.readAll()[1]
    const {exitCode, stdout} = await runCommand(DeliveriesShow, [delivery.id, '--record', record])
    expect(exitCode).to.equal(0)
    expect(stdout)
      .to.contain(`Delivery ${delivery.id}`)
      .and.contain('> POST /')
      .and.contain('> x-hook-key: ****')
      .and.contain('> x-tenant: acme')
    expect(stdout).to.contain('"eventId": "evt-rec-1"').and.contain('< 204')
    expect(stdout).to.contain('Envelope: eventId evt-rec-1, 2 event(s): user.lifecycle.create')
    expect(stdout).not.to.contain(SECRET)
    const last = await runCommand(DeliveriesShow, ['last', '--record', record, '--json'])
    expect(last.json.delivery.problem.code).to.equal('MALFORMED_JSON')
    const missing = await runCommand(DeliveriesShow, ['zzzzzzzz', '--record', record])
    expect(missing.exitCode).to.equal(4)
    expect(missing.stderr).to.contain('deliveries list')
  })

  it("replay resends to --to with --set edits and the auth header from the flags, judged by Okta's rules", async () => {
    const store = await recordTraffic(record)
    const target = await app(204)
    try {
      const id = store.readAll()[1].id
      const {error, exitCode, json, stderr} = await runCommand(
        DeliveriesReplay,
        [
          id,
          '--record',
          record,
          '--to',
          target.url,
          '--auth-header',
          'X-Hook-Key',
          '--auth-secret-env',
          'HOOK_SECRET',
          '--set',
          'data.events[0].target[0].alternateId=changed@example.com',
          '--set',
          'eventId="evt-replayed"',
          '--json',
        ],
        {env: {HOOK_SECRET: SECRET}},
      )
      expect(error).to.equal(undefined)
      expect(exitCode).to.equal(0)
      expect(stderr).to.equal('')
      expect(json).to.deep.include({
        droppedHeaders: [],
        method: 'POST',
        modified: ['data.events[0].target[0].alternateId', 'eventId'],
        to: target.url,
      })
      expect(json.verdict).to.equal('accepted')
      const sent = JSON.parse(target.received[0].body)
      expect(sent.eventId).to.equal('evt-replayed')
      expect(sent.data.events[0].target[0].alternateId).to.equal('changed@example.com')
      expect(sent.data.events).to.have.length(2)
      expect(target.received[0].headers).to.include({'x-hook-key': SECRET, 'x-tenant': 'acme'})
    } finally {
      await target.close()
    }
  })

  it('replay without the auth flags warns that the masked header was not resent, and exits 5 when the app refuses', async () => {
    const store = await recordTraffic(record)
    const target = await app(500)
    try {
      const {exitCode, stderr, stdout} = await runCommand(DeliveriesReplay, [
        store.readAll()[1].id,
        '--record',
        record,
        '--to',
        target.url,
      ])
      expect(exitCode).to.equal(5)
      expect(stderr).to.contain('not resent (masked when recorded): x-hook-key')
      expect(stdout).to.contain('FAILED: 500: Okta retries a 5xx once')
      expect(target.received[0].headers['x-hook-key']).to.equal(undefined)
    } finally {
      await target.close()
    }
  })

  it("replay gives the app --receiver-timeout to answer (Okta's 3s by default): slower is failed, exit 5", async () => {
    const store = await recordTraffic(record)
    const target = await app(204, 300)
    try {
      const argv = [
        store.readAll()[1].id,
        '--record',
        record,
        '--to',
        target.url,
        '--receiver-timeout',
        '100ms',
        '--json',
      ]
      const {exitCode, json} = await runCommand(DeliveriesReplay, argv)
      expect(exitCode).to.equal(5)
      expect(json).to.include({verdict: 'failed'})
      expect(json.explanation).to.match(/^no answer within 100ms/)
      expect(DeliveriesReplay.flags['receiver-timeout'].default).to.equal(3000)
    } finally {
      await target.close()
    }
  })

  it('replay goes to the --forward-to app by default, and refuses what it cannot do', async () => {
    const target = await app(204)
    try {
      const store = await recordTraffic(record, target.url)
      const replay = await runCommand(DeliveriesReplay, ['last', '--record', record, '--json'])
      expect(replay.exitCode).to.equal(0) // forwarded traffic is judged by the app, and this one says 204
      expect(replay.json.to).to.equal(target.url)
      const verification = store.readAll()[0]
      const setOnGet = await runCommand(DeliveriesReplay, [verification.id, '--record', record, '--set', 'a=1'])
      expect(setOnGet.exitCode).to.equal(2)
      expect(setOnGet.stderr).to.contain('without a body')
      const setOnBad = await runCommand(DeliveriesReplay, ['last', '--record', record, '--set', 'a=1'])
      expect(setOnBad.exitCode).to.equal(2)
      expect(setOnBad.stderr).to.contain('not JSON')
      const badSet = await runCommand(DeliveriesReplay, ['last', '--record', record, '--set', 'novalue'])
      expect(badSet.exitCode).to.equal(2)
    } finally {
      await target.close()
    }
  })

  it("replay takes several ids, numbers and ranges from the list's # (oldest first, each once), checks them all before sending any", async () => {
    const store = await recordTraffic(record)
    const listed = await runCommand(DeliveriesList, ['--record', record, '--json'])
    expect(listed.json.deliveries.map((d: any) => d.n)).to.deep.equal([1, 2, 3, 4])
    const target = await app(204)
    const failing = await app(500)
    try {
      const {error, exitCode, json, stdout} = await runCommand(DeliveriesReplay, [
        '2..3',
        '4',
        '3',
        store.readAll()[1].id,
        '--record',
        record,
        '--to',
        target.url,
        '--json',
      ])
      expect([error, exitCode]).to.deep.equal([undefined, 0])
      expect(json.replays.map((r: any) => r.id)).to.deep.equal(
        store
          .readAll()
          .slice(1)
          .map((r) => r.id),
      )
      expect(json.verdict).to.equal('accepted')
      expect(target.received).to.have.length(3)
      expect(stdout).not.to.contain('replayed:') // --json: the one document only

      const text = await runCommand(DeliveriesReplay, ['2', 'last', '--record', record, '--to', target.url])
      expect(text.stdout).to.contain('(replay of #2 ').and.contain('2 replayed: 2 of 2 answers accepted.')
      expect(text.stderr.match(/not resent/g)).to.have.length(1) // the masked header, said once for both

      const refused = await runCommand(DeliveriesReplay, ['2', '4', '--record', record, '--to', failing.url, '--json'])
      expect(refused.exitCode).to.equal(5)
      expect(refused.json.verdict).to.equal('failed')
      expect(refused.json.replays).to.have.length(2)
      expect(refused.json.error.code).to.equal('DELIVERY_FAILED')

      const before = target.received.length
      const setOnGet = await runCommand(DeliveriesReplay, [
        '2',
        '1',
        '--record',
        record,
        '--to',
        target.url,
        '--set',
        'a=1',
      ])
      expect(setOnGet.exitCode).to.equal(2)
      expect(target.received.length).to.equal(before) // #2 was not sent: #1 (a GET) was refused first

      const missing = await runCommand(DeliveriesReplay, ['3..6', '--record', record, '--to', target.url])
      expect(missing.exitCode).to.equal(4)
      expect(missing.stderr).to.contain('No delivery numbered 5, 6').and.contain('nothing was replayed')
      const backwards = await runCommand(DeliveriesReplay, ['3..1', '--record', record, '--to', target.url])
      expect(backwards.exitCode).to.equal(2)
      expect(backwards.stderr).to.contain('lower number first')
      const huge = await runCommand(DeliveriesReplay, ['1..20000', '--record', record, '--to', target.url])
      expect(huge.exitCode).to.equal(2)
      expect(huge.stderr).to.contain('more than 10000')
      expect(target.received.length).to.equal(before)
    } finally {
      await Promise.all([target.close(), failing.close()])
    }
  })

  it('clear needs --yes without a terminal, asks at one, and empties the store', async () => {
    await recordTraffic(record)
    const refused = await runCommand(DeliveriesClear, ['--record', record])
    expect(refused.exitCode).to.equal(2)
    expect(refused.stderr).to.contain('--yes')
    const saved = DeliveriesClear.confirm
    const canPrompt = Object.getOwnPropertyDescriptor(BaseCommand.prototype, 'canPrompt')!
    try {
      // A person at a terminal (stdin's isTTY is read-only when stdin is a file, as in CI).
      Object.defineProperty(BaseCommand.prototype, 'canPrompt', {...canPrompt, value: () => true})
      DeliveriesClear.confirm = async () => false
      const declined = await runCommand(DeliveriesClear, ['--record', record])
      expect(declined.stdout).to.contain('Nothing deleted.')
      expect(new DeliveryStore(record).readAll()).to.have.length(4)
    } finally {
      DeliveriesClear.confirm = saved
      Object.defineProperty(BaseCommand.prototype, 'canPrompt', canPrompt)
    }

    const {exitCode, json} = await runCommand(DeliveriesClear, ['--record', record, '--yes', '--json'])
    expect(exitCode).to.equal(0)
    expect(json).to.deep.equal({cleared: 4, record})
    expect(new DeliveryStore(record).readAll()).to.have.length(0)
  })

  it('every command works on a 1 GiB record (sparse: a huge unreadable line between real records), in constant memory', async function () {
    this.timeout(60_000)
    await recordTraffic(record)
    const [oldest, ...rest] = readFileSync(record, 'utf8').trim().split('\n')
    const fd = openSync(record, 'w')
    writeSync(fd, oldest + '\n')
    ftruncateSync(fd, GIB) // a hole of zeros: one 1 GiB "line" that is skipped unread
    closeSync(fd)
    appendFileSync(record, '\n' + rest.join('\n') + '\n')
    expect(statSync(record).size).to.be.greaterThan(GIB)
    const rssBefore = process.memoryUsage().rss
    const target = await app(204)
    try {
      const list = await runCommand(DeliveriesList, ['--record', record, '--json'])
      expect([list.error, list.exitCode, list.json.deliveries.length, list.json.more]).to.deep.equal([
        undefined,
        0,
        4,
        false,
      ])
      const last = await runCommand(DeliveriesShow, ['last', '--record', record, '--json'])
      expect([last.exitCode, last.json.delivery.problem.code]).to.deep.equal([0, 'MALFORMED_JSON'])
      const oldestId = JSON.parse(oldest).id
      const byPrefix = await runCommand(DeliveriesShow, [oldestId.slice(0, 10), '--record', record, '--json'])
      expect([byPrefix.exitCode, byPrefix.json.delivery.kind]).to.deep.equal([0, 'verification'])
      const replay = await runCommand(DeliveriesReplay, [
        JSON.parse(rest[0]).id,
        '--record',
        record,
        '--to',
        target.url,
        '--json',
      ])
      expect([replay.exitCode, replay.json.verdict]).to.deep.equal([0, 'accepted'])
      expect(process.memoryUsage().rss - rssBefore).to.be.below(256 * 1024 * 1024) // nothing read the GiB into memory
      const clear = await runCommand(DeliveriesClear, ['--record', record, '--yes', '--json'])
      expect([clear.exitCode, clear.json.cleared]).to.deep.equal([0, 4])
      expect(existsSync(record)).to.equal(false)
    } finally {
      await target.close()
      rmSync(record, {force: true})
    }
  })
})
