import {expect} from 'chai'
import {mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {SandboxServer} from '../../../src/lib/sandbox/server.js'
import {testClock} from '../../helpers/clock.js'
import {hookBody, startReceiver, startSandbox, stopAll} from '../../helpers/sandbox.js'

describe('sandbox: rate limits and --data', () => {
  afterEach(stopAll)

  it('counts per bucket and answers 429 E0000047 past the limit until X-Rate-Limit-Reset', async () => {
    const t = await startSandbox({rateLimit: 3, rateLimitWindowMs: 1000})
    const remaining: string[] = []
    for (let i = 0; i < 3; i++) {
      const response = await t.api('GET', '/api/v1/eventHooks')
      expect(response.status).to.equal(200)
      expect(response.headers.get('x-rate-limit-limit')).to.equal('3')
      remaining.push(response.headers.get('x-rate-limit-remaining')!)
    }

    expect(remaining).to.deep.equal(['2', '1', '0'])
    const limited = await t.api('GET', '/api/v1/eventHooks')
    expect([limited.status, limited.body.errorCode, limited.body.errorSummary]).to.deep.equal([
      429,
      'E0000047',
      'API call exceeded rate limit due to too many requests.',
    ])
    const reset = Number(limited.headers.get('x-rate-limit-reset'))
    const clock = testClock()
    expect(reset * 1000).to.be.within(clock.now(), clock.now() + 2000)
    expect((await t.api('GET', '/api/v1/logs')).status, 'the System Log has its own bucket').to.equal(200)
    clock.advance(reset * 1000 - clock.now())
    const after = await t.api('GET', '/api/v1/eventHooks')
    expect(after.status).to.equal(200)
    expect(after.headers.get('x-rate-limit-remaining')).to.equal('2')
  })

  it('--data keeps hooks (with their secrets) and the System Log across a restart, in an append-only journal with mode 0600', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'okta-hooks-sandbox-'))
    const file = join(dir, 'state.json')
    const receiver = await startReceiver()
    const first = await startSandbox({dataFile: file})
    const {body: hook} = await first.api('POST', '/api/v1/eventHooks', hookBody(receiver.url))
    await first.api('POST', `/api/v1/eventHooks/${hook.id}/lifecycle/verify`)
    await first.api('POST', '/__sandbox/events', {count: 3, eventType: 'user.lifecycle.create'})
    const before = (await first.api('GET', '/api/v1/logs')).body
    await first.stop()
    expect(statSync(file).mode & 0o777).to.equal(0o600)
    expect(readdirSync(dir)).to.deep.equal(['state.json'])

    const second = await startSandbox({dataFile: file, token: 'another-token-456'})
    expect((await second.api('GET', `/api/v1/eventHooks/${hook.id}`)).body).to.deep.include({
      createdBy: hook.createdBy,
      name: 'Test hook',
      verificationStatus: 'VERIFIED',
    })
    expect((await second.api('GET', '/api/v1/logs')).body).to.deep.equal(before)
    // The secret survived: the next delivery still carries the auth header.
    receiver.requests.length = 0
    const emitted = await second.api('POST', '/__sandbox/events', {eventType: 'user.lifecycle.create'})
    await second.sandbox.idle()
    expect(receiver.requests[0].headers.authorization).to.equal('hook-secret-value')
    expect(receiver.requests[0].json.data.events[0].uuid).to.equal(emitted.body.events[0].uuid)
    await second.stop()
    const saved = readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line))
    expect(saved[0]).to.deep.equal({adminUserId: hook.createdBy, sandbox: 2})
    expect(new Set(saved.filter((entry) => entry.hook).map((entry) => entry.hook.id))).to.deep.equal(new Set([hook.id]))
    expect(saved.filter((entry) => entry.event)).to.have.length(before.length + 1)
  })

  it('refuses to start on a file that is not sandbox state, and leaves it alone', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'okta-hooks-sandbox-')), 'state.json')
    writeFileSync(file, '{"half": ')
    expect(() => new SandboxServer({dataFile: file})).to.throw(/is not a sandbox data file/)
    expect(readFileSync(file, 'utf8')).to.equal('{"half": ')
  })
})
