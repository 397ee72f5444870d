/** replay as Okta would have delivered: the hook's filters applied, --ignore-filters, --routed-only, and resume. */
import {expect} from 'chai'
import {mkdtempSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import nock from 'nock'

import Replay from '../../../src/commands/replay.js'
import type {EventHook} from '../../../src/lib/hooks/types.js'
import {
  FILTERED_HOOK_ID,
  filteredHook,
  MEMBERSHIP,
  type MembershipOptions,
  membershipEvent,
  OTHER_HOOK_ID,
  RATE_HEADERS,
  uuidFor,
} from '../../fixtures/syslog/routed-events.js'
import {ORG, orgEnv, runCommand} from '../../helpers/run-command.js'
import {type Receiver, startReceiver} from '../../helpers/syslog-standin.js'

const SINCE = '2026-11-20T00:00:00.000Z'
const UNTIL = '2026-11-21T00:00:00.000Z'
const WINDOW = [FILTERED_HOOK_ID, '--since', SINCE, '--until', UNTIL]
const rate = RATE_HEADERS
/** Even events are Sales, odd ones Support. */
const window = (from: number, to: number, routing: (i: number) => Partial<MembershipOptions> = () => ({})) =>
  Array.from({length: to - from}, (_, k) => {
    const i = from + k
    return membershipEvent(i, SINCE, {group: i % 2 === 0 ? 'Sales' : 'Support', ...routing(i)})
  })
const sentUuids = (receiver: Receiver) =>
  receiver.received.flatMap((r) => r.json.data.events.map((e: any) => e.uuid)).sort()
const logsQuery = {
  filter: `eventType eq "${MEMBERSHIP}"`,
  limit: '1000',
  since: SINCE,
  sortOrder: 'ASCENDING',
  until: UNTIL,
}

function onePage(hook: EventHook, events: Record<string, unknown>[]) {
  return nock(ORG)
    .get(`/api/v1/eventHooks/${FILTERED_HOOK_ID}`)
    .reply(200, hook)
    .get('/api/v1/logs')
    .query(logsQuery)
    .reply(200, events, rate)
}

describe('replay: event filters and routing', () => {
  let receiver: Receiver | undefined
  afterEach(async () => {
    await receiver?.close()
    receiver = undefined
  })

  it("applies the hook's filter by default: the Sales events go, the Support ones are skipped by filter", async () => {
    receiver = await startReceiver()
    const scope = onePage(filteredHook(receiver.url), window(0, 4))
    const {error, json} = await runCommand(Replay, [...WINDOW, '--json'], {env: orgEnv})
    expect(error).to.equal(undefined)
    expect(sentUuids(receiver)).to.deep.equal([uuidFor(0), uuidFor(2)])
    expect(json.selection).to.equal('filters')
    expect(json.stats).to.include({accepted: 2, fetched: 4, left: 0, skippedByFilter: 2})
    scope.done()
  })

  it('says "skipped by filter: N" in the summary, even when N is 0', async () => {
    receiver = await startReceiver()
    const scope = onePage(filteredHook(receiver.url), window(0, 3))
      .get(`/api/v1/eventHooks/${FILTERED_HOOK_ID}`)
      .reply(200, filteredHook(receiver.url))
      .get('/api/v1/logs')
      .query(logsQuery)
      .reply(200, window(0, 1), rate)
    const first = await runCommand(Replay, WINDOW, {env: orgEnv})
    expect(first.exitCode).to.equal(0)
    expect(first.stdout).to.contain('Replayed: 2 accepted').and.contain('Not sent: skipped by filter: 1.')
    const second = await runCommand(Replay, WINDOW, {env: orgEnv})
    expect(second.stdout).to.contain('Not sent: skipped by filter: 0.')
    scope.done()
  })

  it('--ignore-filters sends every event of the window', async () => {
    receiver = await startReceiver()
    const scope = onePage(filteredHook(receiver.url), window(0, 4))
    const {json} = await runCommand(Replay, [...WINDOW, '--ignore-filters', '--json'], {env: orgEnv})
    expect(sentUuids(receiver)).to.deep.equal([0, 1, 2, 3].map(uuidFor))
    expect(json.selection).to.equal('all')
    expect(json.stats).to.include({accepted: 4, skippedByFilter: 0})
    scope.done()
  })

  it('--routed-only sends what targetEventHookIds name (whatever the filter), warns of events without the record', async () => {
    receiver = await startReceiver()
    const routing = (i: number) =>
      i === 0 ? {routedTo: [OTHER_HOOK_ID]} : i === 3 ? {} : {routedTo: [OTHER_HOOK_ID, FILTERED_HOOK_ID]}
    const scope = onePage(filteredHook(receiver.url), window(0, 4, routing))
    const {json, stderr, stdout} = await runCommand(Replay, [...WINDOW, '--routed-only'], {env: orgEnv})
    expect(sentUuids(receiver)).to.deep.equal([uuidFor(1), uuidFor(2)])
    expect(stdout).to.contain('Not sent: not routed to the hook: 1, without a routing record: 1.')
    expect(stderr).to.contain('1 event(s) of the window carry no debugContext.debugData.targetEventHookIds where')
    expect(json).to.equal(undefined)
    scope.done()
  })

  it('--routed-only in a window where no event has a routing record sends nothing, and says to run without it', async () => {
    receiver = await startReceiver()
    const scope = onePage(filteredHook(receiver.url), window(0, 2))
    const {exitCode, json, stderr} = await runCommand(Replay, [...WINDOW, '--routed-only', '--json'], {env: orgEnv})
    expect(exitCode).to.equal(0)
    expect(receiver.received).to.have.length(0)
    expect(json.stats).to.include({accepted: 0, fetched: 2, withoutRouting: 2})
    expect(json.selection).to.equal('routed')
    expect(stderr).to.contain('none of the 2 events').and.contain("Run without it to apply the hook's filters")
    scope.done()
  })

  it('--routed-only and --ignore-filters together are refused (exit 2)', async () => {
    const {exitCode, stderr} = await runCommand(Replay, [...WINDOW, '--routed-only', '--ignore-filters'], {env: orgEnv})
    expect(exitCode).to.equal(2)
    expect(stderr).to.contain('--ignore-filters')
  })

  it('a filter the engine cannot evaluate: exit 2 before anything is read or sent, suggesting --ignore-filters', async () => {
    const scope = nock(ORG)
      .get(`/api/v1/eventHooks/${FILTERED_HOOK_ID}`)
      .reply(200, filteredHook('https://hooks.example.com/okta', "event.actor.id matches '00u.*'"))
    const {exitCode, json} = await runCommand(Replay, [...WINDOW, '--json'], {env: orgEnv})
    expect(exitCode).to.equal(2)
    expect(json.error.message).to.contain('cannot be evaluated here')
    expect(json.error.suggestions.join(' ')).to.contain('--ignore-filters')
    scope.done()
  })

  it('resumed from a checkpoint, events skipped by filter are counted once, and only the unsent ones are sent', async () => {
    let failing = true
    receiver = await startReceiver((request) => ({
      status: failing && request.json.data.events[0].uuid === uuidFor(4) ? 400 : 200,
    }))
    const hook = filteredHook(receiver.url)
    const next = `${ORG}/api/v1/logs?after=page2&limit=1000&until=${encodeURIComponent(UNTIL)}`
    const scope = nock(ORG)
      .get(`/api/v1/eventHooks/${FILTERED_HOOK_ID}`)
      .times(2)
      .reply(200, hook)
      .get('/api/v1/logs')
      .query(logsQuery)
      .times(2)
      .reply(200, window(0, 6), {...rate, Link: `<${next}>; rel="next"`})
      .get('/api/v1/logs')
      .query({after: 'page2', limit: '1000', until: UNTIL})
      .times(2)
      .reply(200, window(6, 10), rate)
    const checkpoint = join(mkdtempSync(join(tmpdir(), 'okta-hooks-replay-filters-')), 'replay.ckpt')
    const args = [...WINDOW, '--checkpoint', checkpoint, '--concurrency', '1', '--fail-fast', '--json']
    const first = await runCommand(Replay, args, {env: orgEnv})
    expect(first.exitCode).to.equal(5)
    expect(first.json.stats).to.include({accepted: 2, rejected: 1, skippedByFilter: 3, stoppedEarly: true})
    failing = false
    const before = receiver.received.length
    const second = await runCommand(Replay, args, {env: orgEnv})
    expect(second.exitCode).to.equal(0)
    expect(second.json.stats).to.include({accepted: 5, fetched: 10, left: 0, skipped: 2, skippedByFilter: 5})
    const resent = receiver.received.slice(before).map((r) => r.json.data.events[0].uuid)
    expect(resent).to.deep.equal([uuidFor(4), uuidFor(6), uuidFor(8)])
    scope.done()
  })

  it('a checkpoint of a run with --ignore-filters is refused by a run that applies the filters', async () => {
    receiver = await startReceiver()
    const scope = onePage(filteredHook(receiver.url), window(0, 2))
      .get(`/api/v1/eventHooks/${FILTERED_HOOK_ID}`)
      .reply(200, filteredHook(receiver.url))
    const checkpoint = join(mkdtempSync(join(tmpdir(), 'okta-hooks-replay-filters-')), 'replay.ckpt')
    const all = await runCommand(Replay, [...WINDOW, '--checkpoint', checkpoint, '--ignore-filters'], {env: orgEnv})
    expect(all.exitCode).to.equal(0)
    const filtered = await runCommand(Replay, [...WINDOW, '--checkpoint', checkpoint], {env: orgEnv})
    expect(filtered.exitCode).to.equal(2)
    expect(filtered.stderr).to.contain('belongs to another replay')
    scope.done()
  })
})
