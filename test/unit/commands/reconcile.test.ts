import {expect} from 'chai'
import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import nock from 'nock'

import Reconcile from '../../../src/commands/reconcile.js'
import {
  FILTERED_HOOK_ID,
  filteredHook,
  MEMBERSHIP,
  membershipEvent,
  OTHER_HOOK_ID,
  RATE_HEADERS,
  uuidFor,
} from '../../fixtures/syslog/routed-events.js'
import {ORG, orgEnv, runCommand} from '../../helpers/run-command.js'
import {type Receiver, startReceiver} from '../../helpers/syslog-standin.js'

const SINCE = '2026-11-20T00:00:00.000Z'
const UNTIL = '2026-11-20T01:00:00.000Z'
const WINDOW = [FILTERED_HOOK_ID, '--since', SINCE, '--until', UNTIL]
const rate = RATE_HEADERS
/**
 * Routed by Okta: 0 (Sales), 1 (Support, named anyway), 3 (Sales); 2 went to another hook only; 4 has no record
 * (the filter would take it, but Okta, which records routing in this window, routed it to no hook).
 */
const EVENTS = [
  membershipEvent(0, SINCE, {group: 'Sales', routedTo: [FILTERED_HOOK_ID]}),
  membershipEvent(1, SINCE, {group: 'Support', routedTo: [OTHER_HOOK_ID, FILTERED_HOOK_ID]}),
  membershipEvent(2, SINCE, {group: 'Sales', routedTo: [OTHER_HOOK_ID]}),
  membershipEvent(3, SINCE, {group: 'Sales', routedTo: [FILTERED_HOOK_ID]}),
  membershipEvent(4, SINCE, {group: 'Sales'}),
]
const FAILURE = {
  debugContext: {debugData: {deliveredEventIds: uuidFor(3), reason: 'Service unavailable: 500'}},
  displayMessage: 'Event hook delivery failed',
  eventType: 'event_hook.delivery',
  outcome: {reason: 'Service unavailable: 500', result: 'FAILURE'},
  published: '2026-11-20T00:00:09.000Z',
  target: [{id: FILTERED_HOOK_ID, type: 'EventHook'}],
  uuid: 'ffffffff-0000-4000-8000-000000000001',
}

function org(url: string, {failures = [FAILURE], windows = 1}: {failures?: unknown[]; windows?: number} = {}) {
  return nock(ORG)
    .get(`/api/v1/eventHooks/${FILTERED_HOOK_ID}`)
    .reply(200, filteredHook(url))
    .get('/api/v1/logs')
    .query({filter: `eventType eq "${MEMBERSHIP}"`, limit: '1000', since: SINCE, sortOrder: 'ASCENDING', until: UNTIL})
    .times(windows)
    .reply(200, EVENTS, rate)
    .get('/api/v1/logs')
    .query({
      filter: `eventType eq "event_hook.delivery" and target.id eq "${FILTERED_HOOK_ID}"`,
      limit: '1000',
      since: SINCE,
      sortOrder: 'ASCENDING',
      until: '2026-11-20T01:05:00.000Z',
    })
    .reply(200, failures, rate)
}

function receipts(...lines: string[]): string {
  const path = join(mkdtempSync(join(tmpdir(), 'okta-hooks-reconcile-')), 'receipts.ndjson')
  writeFileSync(path, lines.join('\n') + '\n')
  return path
}

describe('reconcile', () => {
  let receiver: Receiver | undefined
  afterEach(async () => {
    await receiver?.close()
    receiver = undefined
  })

  it('finds the routed events the receiver never got, with the failure Okta logged; exit 5 with the result', async () => {
    const scope = org('https://hooks.example.com/okta')
    const file = receipts(`{"uuid": "${uuidFor(0)}"}`, uuidFor(0), uuidFor(2))
    const {exitCode, json} = await runCommand(Reconcile, [...WINDOW, '--received', file, '--json'], {env: orgEnv})
    expect(exitCode).to.equal(5)
    expect(json.error).to.include({code: 'EVENTS_MISSING', exitCode: 5})
    expect(json.error.message).to.equal('2 routed events never reached the receiver.')
    expect(json.complete).to.equal(false)
    expect(json.counts).to.deep.equal({
      deliveryFailures: 1,
      duplicated: 1,
      missing: 2,
      outsideWindow: 0,
      received: 2,
      routed: 3,
      unexpected: 1,
    })
    expect(json.missing.map((e: any) => e.uuid)).to.deep.equal([uuidFor(1), uuidFor(3)])
    expect(json.missing[1].failure).to.deep.equal({
      published: '2026-11-20T00:00:09.000Z',
      reason: 'Service unavailable: 500',
    })
    expect(json.duplicated).to.deep.equal([{times: 2, uuid: uuidFor(0)}])
    expect(json.unexpected).to.deep.equal([uuidFor(2)])
    expect(json.routing).to.deep.equal({byFilters: 0, byOkta: 3, undecided: 0, unrecorded: 1})
    expect(json.source).to.deep.equal({path: file, type: 'received'})
    scope.done()
  })

  it('prints the counts and a table of the missing events for people', async () => {
    const scope = org('https://hooks.example.com/okta')
    const file = receipts(uuidFor(0), uuidFor(1))
    const {exitCode, stderr, stdout} = await runCommand(Reconcile, [...WINDOW, '--received', file], {env: orgEnv})
    expect(exitCode).to.equal(5)
    expect(stdout)
      .to.contain(`User sync (${FILTERED_HOOK_ID}), ${SINCE} to ${UNTIL}:`)
      .and.contain("routed 3 (3 by Okta's targetEventHookIds), received 2, missing 1, duplicated 0, unexpected 0")
      .and.contain('Okta logged 1 failed delivery (event_hook.delivery).')
      .and.match(new RegExp(`${uuidFor(3)}\\t${MEMBERSHIP}\\t2026-11-20T00:00:03.000Z\\tokta\\tService unavailable`))
    expect(stderr).to.contain('1 routed event never reached the receiver.').and.contain('--replay')
    scope.done()
  })

  it('nothing missing: exit 0', async () => {
    const scope = org('https://hooks.example.com/okta', {failures: []})
    const file = receipts(uuidFor(0), uuidFor(1), uuidFor(3))
    const {exitCode, json} = await runCommand(Reconcile, [...WINDOW, '--received', file, '--json'], {env: orgEnv})
    expect(exitCode).to.equal(0)
    expect(json).to.deep.include({complete: true, missing: []})
    scope.done()
  })

  it('--replay delivers just the missing ones to the hook; a second reconcile then shows none missing', async () => {
    receiver = await startReceiver()
    const scope = org(receiver.url, {windows: 2})
    const file = receipts(uuidFor(0))
    const {exitCode, json} = await runCommand(Reconcile, [...WINDOW, '--received', file, '--replay', '--json'], {
      env: orgEnv,
    })
    expect(exitCode).to.equal(0)
    const sent = receiver.received.flatMap((r) => r.json.data.events.map((e: any) => e.uuid))
    expect(sent.sort()).to.deep.equal([uuidFor(1), uuidFor(3)])
    expect(json.complete).to.equal(true)
    expect(json.counts.missing).to.equal(2)
    expect(json.replay.stats).to.include({accepted: 2, fetched: 5, notListed: 3})
    expect(json.replay.verdict).to.equal('accepted')
    scope.done()

    const again = org(receiver.url, {failures: []})
    const all = receipts(uuidFor(0), ...sent)
    const second = await runCommand(Reconcile, [...WINDOW, '--received', all, '--json'], {env: orgEnv})
    expect(second.exitCode).to.equal(0)
    expect(second.json.counts).to.include({missing: 0, received: 3, routed: 3})
    again.done()
  })

  it('--replay to a receiver that still fails: exit 5, not complete, the replay counts beside the error', async () => {
    receiver = await startReceiver(() => ({status: 400}))
    const scope = org(receiver.url, {windows: 2})
    const {exitCode, json} = await runCommand(
      Reconcile,
      [...WINDOW, '--received', receipts(uuidFor(0), uuidFor(1)), '--replay', '--json'],
      {env: orgEnv},
    )
    expect(exitCode).to.equal(5)
    expect(json.complete).to.equal(false)
    expect(json.replay.stats).to.include({accepted: 0, rejected: 1})
    expect(json.error.message).to.equal('1 routed event never reached the receiver (0 accepted when replayed).')
    scope.done()
  })

  it('needs exactly one of --record and --received (exit 2)', async () => {
    const none = await runCommand(Reconcile, WINDOW, {env: orgEnv})
    expect(none.exitCode).to.equal(2)
    expect(none.stderr).to.contain('--received').and.contain('--record')
    const both = await runCommand(Reconcile, [...WINDOW, '--record', 'a', '--received', 'b'], {env: orgEnv})
    expect(both.exitCode).to.equal(2)
  })

  it('--checkpoint, --failures, --to or --fail-fast without --replay: exit 2, before any call', async () => {
    const {exitCode, stderr} = await runCommand(Reconcile, [...WINDOW, '--received', 'r', '--checkpoint', 'c'], {
      env: orgEnv,
    })
    expect(exitCode).to.equal(2)
    expect(stderr).to.contain('--checkpoint takes effect only with --replay.')
  })

  it('a --received file that does not exist: exit 2 before the System Log is read', async () => {
    const scope = nock(ORG)
      .get(`/api/v1/eventHooks/${FILTERED_HOOK_ID}`)
      .reply(200, filteredHook('https://hooks.example.com/okta'))
    const {exitCode, stderr} = await runCommand(Reconcile, [...WINDOW, '--received', '/nonexistent/receipts'], {
      env: orgEnv,
    })
    expect(exitCode).to.equal(2)
    expect(stderr).to.contain('--received /nonexistent/receipts: no such file.')
    scope.done()
  })
})
