import {expect} from 'chai'

import {deliveryFailure, reconcile} from '../../../src/lib/reconcile/reconcile.js'
import {
  FILTERED_HOOK_ID,
  filteredHook,
  MEMBERSHIP,
  membershipEvent,
  OTHER_HOOK_ID,
  uuidFor,
} from '../../fixtures/syslog/routed-events.js'
import {fakeTransport} from '../../helpers/fake-transport.js'

const SINCE = '2026-11-20T00:00:00.000Z'
const UNTIL = '2026-11-20T01:00:00.000Z'
const window = {since: SINCE, until: UNTIL}
const hook = filteredHook('https://hooks.example.com/okta')
const routed = [FILTERED_HOOK_ID]

/** An event_hook.delivery event as the sandbox writes it (Okta's own fields are undocumented). */
function deliveryFailed(at: number, hookId: string, eventIds: string[], reason = 'Read timed out') {
  return {
    debugContext: {debugData: {attempts: '2', deliveredEventIds: eventIds.join(','), reason}},
    displayMessage: 'Event hook delivery failed',
    eventType: 'event_hook.delivery',
    outcome: {reason, result: 'FAILURE'},
    published: new Date(Date.parse(SINCE) + at * 1000).toISOString(),
    target: [{id: hookId, type: 'EventHook'}],
    uuid: `ffffffff-0000-4000-8000-${String(at).padStart(12, '0')}`,
  }
}

describe('reconcile/reconcile', () => {
  it("routed by Okta's record, received, missing (with the failure Okta logged), duplicated and unexpected", async () => {
    const events = [
      membershipEvent(0, SINCE, {group: 'Sales', routedTo: routed}),
      membershipEvent(1, SINCE, {group: 'Support', routedTo: [OTHER_HOOK_ID, FILTERED_HOOK_ID]}),
      membershipEvent(2, SINCE, {group: 'Sales', routedTo: [OTHER_HOOK_ID]}),
      membershipEvent(3, SINCE, {group: 'Sales', routedTo: routed}),
      deliveryFailed(10, FILTERED_HOOK_ID, [uuidFor(3)], 'Service unavailable: 500'),
      deliveryFailed(11, FILTERED_HOOK_ID, [], 'Read timed out'),
    ]
    const received = [0, 0, 2].map((i) => ({uuid: uuidFor(i)}))
    const found = await reconcile(fakeTransport(events), {eventTypes: [MEMBERSHIP], hook, received, window})
    expect(found.counts).to.deep.equal({
      deliveryFailures: 2,
      duplicated: 1,
      missing: 2,
      outsideWindow: 0,
      received: 2,
      routed: 3,
      unexpected: 1,
    })
    expect(found.routing).to.deep.equal({byFilters: 0, byOkta: 3, undecided: 0, unrecorded: 0})
    expect(found.missing).to.deep.equal([
      {eventType: MEMBERSHIP, published: '2026-11-20T00:00:01.000Z', routedBy: 'okta', uuid: uuidFor(1)},
      {
        eventType: MEMBERSHIP,
        failure: {published: '2026-11-20T00:00:10.000Z', reason: 'Service unavailable: 500'},
        published: '2026-11-20T00:00:03.000Z',
        routedBy: 'okta',
        uuid: uuidFor(3),
      },
    ])
    expect(found.duplicated).to.deep.equal([{times: 2, uuid: uuidFor(0)}])
    expect(found.unexpected).to.deep.equal([uuidFor(2)])
    expect(found.deliveryFailures[1]).to.deep.include({eventIds: [], reason: 'Read timed out'})
  })

  it("a window without any routing record: the hook's types and filters decide; one it cannot evaluate, routed", async () => {
    const events = [
      membershipEvent(0, SINCE, {group: 'Sales'}),
      membershipEvent(1, SINCE, {group: 'Support'}),
      membershipEvent(2, SINCE, {group: 'Sales'}),
    ]
    const transport = fakeTransport(events)
    const found = await reconcile(transport, {eventTypes: [MEMBERSHIP], hook, received: [{uuid: uuidFor(2)}], window})
    expect(found.missing).to.deep.equal([
      {eventType: MEMBERSHIP, published: '2026-11-20T00:00:00.000Z', routedBy: 'filters', uuid: uuidFor(0)},
    ])
    expect(found.routing).to.deep.equal({byFilters: 2, byOkta: 0, undecided: 0, unrecorded: 0})

    const odd = filteredHook('https://hooks.example.com/okta', "event.actor.id matches '00u.*'")
    const undecided = await reconcile(transport, {eventTypes: [MEMBERSHIP], hook: odd, received: [], window})
    expect(undecided.routing).to.deep.equal({byFilters: 3, byOkta: 0, undecided: 3, unrecorded: 0})
    expect(undecided.counts.missing).to.equal(3)
  })

  it('a window where Okta records routing: an event without a record was routed to no hook (not missing)', async () => {
    const events = [
      membershipEvent(0, SINCE, {group: 'Sales'}),
      membershipEvent(1, SINCE, {group: 'Sales', routedTo: []}),
      membershipEvent(2, SINCE, {group: 'Support', routedTo: routed}),
    ]
    const found = await reconcile(fakeTransport(events), {eventTypes: [MEMBERSHIP], hook, received: [], window})
    expect(found.missing.map((e) => [e.uuid, e.routedBy])).to.deep.equal([[uuidFor(2), 'okta']])
    expect(found.routing).to.deep.equal({byFilters: 0, byOkta: 1, undecided: 0, unrecorded: 1})
  })

  it('receipts of events published outside the window are not compared; those without a time are', async () => {
    const events = [membershipEvent(0, SINCE, {group: 'Sales', routedTo: routed})]
    const received = [
      {published: '2026-11-19T23:59:59.000Z', uuid: 'early'},
      {published: UNTIL, uuid: 'at-the-end'},
      {uuid: 'timeless'},
      {published: '2026-11-20T00:00:00.000Z', uuid: uuidFor(0)},
    ]
    const found = await reconcile(fakeTransport(events), {eventTypes: [MEMBERSHIP], hook, received, window})
    expect(found.counts).to.include({missing: 0, outsideWindow: 2, received: 2, unexpected: 1})
    expect(found.unexpected).to.deep.equal(['timeless'])
  })

  it('reads failures a little past the window (Okta logs one after its retry), never past now', async () => {
    const transport = fakeTransport([])
    const now = new Date('2026-11-20T01:02:00.000Z')
    await reconcile(transport, {eventTypes: [MEMBERSHIP], hook, received: [], window}, {now})
    const [routedQuery, failures] = transport.requests.map(
      (request) => new URL(request.replace(/^GET /, ''), 'https://x.example').searchParams,
    )
    expect(routedQuery.get('filter')).to.equal(`eventType eq "${MEMBERSHIP}"`)
    expect(routedQuery.get('until')).to.equal(UNTIL)
    expect(failures.get('filter')).to.equal(`eventType eq "event_hook.delivery" and target.id eq "${FILTERED_HOOK_ID}"`)
    expect(failures.get('until')).to.equal('2026-11-20T01:02:00.000Z')
    const later = fakeTransport([])
    await reconcile(later, {eventTypes: [MEMBERSHIP], hook, received: [], window}, {now: new Date('2026-11-21')})
    expect(later.requests[1]).to.contain(`until=${encodeURIComponent('2026-11-20T01:05:00.000Z')}`)
  })

  it('a failure event: the uuids its debugData names, its reason, and its message when it has no reason', () => {
    const failure = deliveryFailure({
      debugContext: {debugData: {note: `sent ${uuidFor(7)} and ${uuidFor(8)}`, count: 2}},
      displayMessage: 'Event hook delivery failed',
      outcome: {reason: null, result: 'FAILURE'},
      published: SINCE,
    })
    expect(failure).to.deep.include({eventIds: [uuidFor(7), uuidFor(8)], reason: 'Event hook delivery failed'})
    expect(deliveryFailure({}).reason).to.equal('delivery failed')
  })
})
