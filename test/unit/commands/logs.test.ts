import {expect} from 'chai'
import nock from 'nock'

import Logs from '../../../src/commands/logs.js'
import {hookFixture} from '../../fixtures/hooks/index.js'
import {ORG, orgEnv, runCommand} from '../../helpers/run-command.js'

const HOOK_ID = 'who8vt36qfNpCGz9H1e6'
const STORY = `eventType sw "event_hook" and target.id eq "${HOOK_ID}"`

function hookEvent(eventType: string, uuid: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    actor: {alternateId: 'system@okta.com', displayName: 'Okta System', id: '0oa1', type: 'PublicClientApp'},
    debugContext: {debugData: {}},
    displayMessage: eventType === 'event_hook.delivery' ? 'Event hook delivery failed' : 'Event hook verified',
    eventType,
    insertionTimestamp: '2026-11-24T10:00:00.100Z',
    outcome: {
      reason: eventType === 'event_hook.delivery' ? 'Read timed out' : null,
      result: eventType === 'event_hook.delivery' ? 'FAILURE' : 'SUCCESS',
    },
    published: '2026-11-24T10:00:00.000Z',
    target: [{alternateId: 'User sync', displayName: 'User sync', id: HOOK_ID, type: 'EventHook'}],
    uuid,
    ...extra,
  }
}

const delivery = hookEvent('event_hook.delivery', 'd1', {
  debugContext: {
    debugData: {deliveryErrorReason: 'timeout', requestUri: 'https://hooks.example.com/okta', undocumentedThing: 42},
  },
})
const verified = hookEvent('event_hook.verified', 'v1')

describe('logs', () => {
  it("shows the hook's event_hook.* events newest first, with event_hook.delivery's debugData raw", async () => {
    const scope = nock(ORG)
      .get(`/api/v1/eventHooks/${HOOK_ID}`)
      .reply(200, hookFixture())
      .get('/api/v1/logs')
      .query(
        (q) =>
          q.filter === STORY &&
          q.sortOrder === 'DESCENDING' &&
          Boolean(q.until) &&
          Date.now() - Date.parse(String(q.since)) > 6.9 * 86_400_000,
      )
      .reply(200, [delivery, verified])
    const {error, exitCode, stdout} = await runCommand(Logs, [HOOK_ID], {env: orgEnv})
    expect(error).to.equal(undefined)
    expect(exitCode).to.equal(0)
    expect(stdout).to.match(/TIME\s.*EVENT TYPE\s.*OUTCOME\s.*MESSAGE/)
    expect(stdout)
      .to.contain('event_hook.delivery')
      .and.contain('FAILURE: Read timed out')
      .and.contain('event_hook.verified')
    expect(stdout.replaceAll(/[\s│]+/g, '')).to.contain('"undocumentedThing":42')
    expect(stdout.indexOf('event_hook.delivery')).to.be.lessThan(stdout.indexOf('event_hook.verified'))
    scope.done()
  })

  it('--json returns the raw events; --type narrows to those kinds', async () => {
    const scope = nock(ORG)
      .get(`/api/v1/eventHooks/${HOOK_ID}`)
      .reply(200, hookFixture())
      .get('/api/v1/logs')
      .query((q) => q.filter === `eventType eq "event_hook.delivery" and target.id eq "${HOOK_ID}"`)
      .reply(200, [delivery])
    const {exitCode, json} = await runCommand(Logs, [HOOK_ID, '--type', 'delivery', '--since', '24h', '--json'], {
      env: orgEnv,
    })
    expect(exitCode).to.equal(0)
    expect(json.events).to.deep.equal([delivery])
    expect(json.hook).to.deep.equal({id: HOOK_ID, name: 'User sync'})
    scope.done()
  })

  it('says so when there is nothing, and refuses an unknown --type (exit 2)', async () => {
    const scope = nock(ORG)
      .get(`/api/v1/eventHooks/${HOOK_ID}`)
      .reply(200, hookFixture())
      .get('/api/v1/logs')
      .query(true)
      .reply(200, [])
    const empty = await runCommand(Logs, [HOOK_ID], {env: orgEnv})
    expect(empty.exitCode).to.equal(0)
    expect(empty.stderr).to.contain('No event hook events for User sync')
    expect(empty.stdout).to.equal('')
    const bad = await runCommand(Logs, [HOOK_ID, '--type', 'exploded'], {env: orgEnv})
    expect(bad.exitCode).to.equal(2)
    scope.done()
  })

  it('--follow polls (ASCENDING, no until), sleeps on empty pages, survives a 429, prints NDJSON under --json, and stops cleanly when interrupted', async () => {
    const controller = new AbortController()
    const original = Object.getOwnPropertyDescriptor(Logs.prototype, 'interruptSignal')
    Object.defineProperty(Logs.prototype, 'interruptSignal', {
      configurable: true,
      value: () => ({dispose() {}, signal: controller.signal}),
    })
    const next = (n: number) => `<${ORG}/api/v1/logs?after=c${n}&limit=100>; rel="next"`
    const scope = nock(ORG)
      .get(`/api/v1/eventHooks/${HOOK_ID}`)
      .reply(200, hookFixture())
      .get('/api/v1/logs')
      .query((q) => q.filter === STORY && q.sortOrder === 'ASCENDING' && q.until === undefined)
      .reply(200, [verified], {Link: next(1)})
      .get('/api/v1/logs')
      .query({after: 'c1', limit: '100'})
      .reply(200, [], {Link: next(1)})
      .get('/api/v1/logs')
      .query({after: 'c1', limit: '100'})
      .reply(
        429,
        {errorCode: 'E0000047', errorSummary: 'API call exceeded rate limit due to too many requests.'},
        {'X-Rate-Limit-Reset': String(Math.floor(Date.now() / 1000) + 1)},
      )
      .get('/api/v1/logs')
      .query({after: 'c1', limit: '100'})
      .reply(
        200,
        () => {
          setImmediate(() => controller.abort())
          return [delivery]
        },
        {Link: next(2)},
      )
    try {
      const {error, exitCode, stderr, stdout} = await runCommand(
        Logs,
        [HOOK_ID, '--follow', '--interval', '500ms', '--json'],
        {env: orgEnv},
      )
      expect(error).to.equal(undefined)
      expect(exitCode).to.equal(0)
      expect(
        stdout
          .trim()
          .split('\n')
          .map((line) => JSON.parse(line)),
      ).to.deep.equal([verified, delivery])
      expect(stderr).to.match(/rate limit reached on GET \/api\/v1\/logs; waiting/)
      scope.done()
    } finally {
      if (original) Object.defineProperty(Logs.prototype, 'interruptSignal', original)
    }
  })
})
