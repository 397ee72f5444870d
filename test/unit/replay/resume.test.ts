/**
 * The crash test: a real `okta-hooks replay` process against a local System Log stand-in, killed
 * with SIGKILL mid-window, then resumed from its checkpoint. Every event must arrive at least
 * once, and the events sent twice must fit in the batches that were in flight.
 */
import {expect} from 'chai'
import {type ChildProcess, spawn} from 'node:child_process'
import {mkdtempSync, readFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {hookFixture} from '../../fixtures/hooks/index.js'
import {DEV_BIN} from '../receiver/cli-process.js'
import {type Receiver, type Standin, startReceiver, startSyslogStandin, uuidFor} from '../../helpers/syslog-standin.js'

const HOOK_ID = 'who8vt36qfNpCGz9H1e6'
const TOKEN = '00standin-token-not-real-000000000000000'
const EVENTS = 1500
const BATCH = 10
const CONCURRENCY = 4

function childEnv(orgUrl: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith('OKTA_CLIENT_')) env[key] = value
  return {
    ...env,
    HOME: mkdtempSync(join(tmpdir(), 'okta-hooks-resume-home-')),
    OKTA_CLIENT_ORGURL: orgUrl,
    OKTA_CLIENT_TOKEN: TOKEN,
  }
}

function exited(child: ChildProcess): Promise<{code: null | number; signal: null | string}> {
  return new Promise((resolve) => {
    child.on('exit', (code, signal) => resolve({code, signal}))
  })
}

describe('replay: killed mid-window and resumed from the checkpoint (subprocess)', function () {
  this.timeout(90_000)
  let standin: Standin | undefined
  let receiver: Receiver | undefined
  afterEach(async () => {
    await standin?.close()
    await receiver?.close()
  })

  it('delivers every event at least once, and at most the in-flight batches twice', async () => {
    receiver = await startReceiver()
    const base = hookFixture()
    const hook = hookFixture({
      channel: {...base.channel, config: {...base.channel.config, authScheme: null, uri: receiver.url}},
    })
    standin = await startSyslogStandin({
      eventCount: EVENTS,
      firstPublished: '2026-11-20T00:00:00.000Z',
      hooks: [hook as any],
      stepMs: 1000,
      token: TOKEN,
    })
    const checkpoint = join(mkdtempSync(join(tmpdir(), 'okta-hooks-resume-')), 'replay.ckpt')
    const args = [
      DEV_BIN,
      'replay',
      HOOK_ID,
      '--since',
      '2026-11-20T00:00:00Z',
      '--until',
      '2026-11-21T00:00:00Z',
      '--checkpoint',
      checkpoint,
      '--batch-size',
      String(BATCH),
      '--concurrency',
      String(CONCURRENCY),
    ]
    const env = childEnv(standin.url)

    // First run: SIGKILL once 1,100 events (into the second page of 1,000) have arrived.
    const first = spawn(process.execPath, args, {env, stdio: ['ignore', 'pipe', 'pipe']})
    let firstErr = ''
    first.stderr?.on('data', (chunk) => {
      firstErr += chunk
    })
    const firstExit = exited(first)
    await Promise.race([
      receiver.waitFor(1100 / BATCH),
      firstExit.then(() => Promise.reject(new Error(`first run ended by itself: ${firstErr}`))),
    ])
    first.kill('SIGKILL')
    expect((await firstExit).signal).to.equal('SIGKILL')
    const arrivedBeforeKill = receiver.received.length
    expect(arrivedBeforeKill).to.be.lessThan(EVENTS / BATCH)
    const state = JSON.parse(readFileSync(checkpoint, 'utf8').split('\n')[0])
    expect(state.cursor).to.contain('after=') // it was on the second page

    // Second run: same command, resumes.
    const second = spawn(process.execPath, args, {env, stdio: ['ignore', 'pipe', 'pipe']})
    let out = ''
    let err = ''
    second.stdout?.on('data', (chunk) => {
      out += chunk
    })
    second.stderr?.on('data', (chunk) => {
      err += chunk
    })
    const {code} = await exited(second)
    expect(code, err).to.equal(0)
    expect(out).to.contain('Resumed from')

    const counts = new Map<string, number>()
    for (const request of receiver.received)
      for (const event of request.json.data.events) counts.set(event.uuid, (counts.get(event.uuid) ?? 0) + 1)
    const missing = Array.from({length: EVENTS}, (_, i) => uuidFor(i)).filter((uuid) => !counts.has(uuid))
    expect(missing, 'events never delivered').to.deep.equal([])
    const duplicates = [...counts.values()].reduce((sum, n) => sum + n - 1, 0)
    expect(duplicates, 'events sent twice').to.be.at.most(BATCH * CONCURRENCY)
    expect(counts.size).to.equal(EVENTS)
    expect(JSON.parse(readFileSync(checkpoint, 'utf8').split('\n')[0]).done).to.equal(true)
  })
})
