import {expect} from 'chai'

import {hostAllowed, writeAllowed} from '../../../../src/lib/inspector/guard.js'
import {
  deliveryVerdict,
  filterFrom,
  isFiltered,
  matches,
  requestDetail,
  requestSummary,
  verdictOf,
} from '../../../../src/lib/inspector/requests.js'
import {buildEnvelope} from '../../../../src/lib/delivery/envelope.js'
import {sampleEvent} from '../../../../src/lib/delivery/sample-events.js'
import type {DeliveryRecord} from '../../../../src/lib/receiver/delivery-store.js'

function record(
  overrides: Partial<DeliveryRecord> = {},
  request: Partial<DeliveryRecord['request']> = {},
  response: Partial<DeliveryRecord['response']> = {},
): DeliveryRecord {
  return {
    auth: 'ok',
    id: 'mx1234abcd',
    kind: 'delivery',
    latencyMs: 12,
    n: 3,
    receivedAt: '2026-12-01T10:00:00.000Z',
    ...overrides,
    request: {bodyBytes: 2, headers: {authorization: '****'}, method: 'POST', path: '/', ...request},
    response: {body: '', headers: {}, status: 204, ...response},
    version: 1,
  }
}

describe('inspector/requests and guard', () => {
  it("gives Okta's verdict: accepted (2xx in time), rejected (other non-2xx), failed (5xx, past 3 s, no answer)", () => {
    const cases: [number, number, string][] = [
      [204, 12, 'accepted'],
      [200, 2999, 'accepted'],
      [200, 3300, 'failed'],
      [401, 5, 'rejected'],
      [302, 5, 'rejected'],
      [500, 5, 'failed'],
      [502, 5, 'failed'],
      [504, 10_000, 'failed'],
    ]
    for (const [status, latency, verdict] of cases)
      expect(deliveryVerdict(status, latency).verdict, `${status} in ${latency} ms`).to.equal(verdict)
    expect(deliveryVerdict(200, 3300).detail).to.contain("past Okta's 3 s")

    const challenge = {'x-okta-verification-challenge': 'c-1'}
    const good = record(
      {kind: 'verification'},
      {headers: challenge, method: 'GET'},
      {body: '{"verification":"c-1"}', headers: {'Content-Type': 'application/json'}, status: 200},
    )
    expect(verdictOf(good).verdict).to.equal('accepted')
    const wrong = record({kind: 'verification'}, {headers: challenge, method: 'GET'}, {body: 'c-1', status: 200})
    expect(verdictOf(wrong)).to.deep.include({verdict: 'rejected'})
    const down = record(
      {kind: 'verification'},
      {headers: challenge, method: 'GET'},
      {body: '{"error":"x"}', status: 502},
    )
    expect(verdictOf(down).verdict).to.equal('failed')
    expect(verdictOf(record({kind: 'other'}, {method: 'PUT'}, {status: 405})).verdict).to.equal(null)
    expect(verdictOf(record({kind: 'verification'}, {method: 'GET'}, {status: 400})).verdict).to.equal(null) // a GET without a challenge is not Okta's
  })

  it("summarises a request for the list (the row of deliveries list, the verdict, a replay's origin) and details it with each event as listen prints it", () => {
    const envelope = buildEnvelope({
      eventId: 'evt-1',
      events: [
        sampleEvent('user.lifecycle.create', {target: {alternateId: 'grace@example.com', displayName: 'Grace Hopper'}}),
      ],
      source: 'https://o/api/v1/eventHooks/who1',
    })
    const r = record(
      {
        delivery: {eventId: 'evt-1', events: 1, eventTypes: ['user.lifecycle.create']},
        forward: {latencyMs: 9, status: 204, url: 'http://app/', withinBudget: true},
      },
      {body: JSON.stringify(envelope), headers: {'x-okta-hooks-replay-of': 'mx0000aaaa'}},
    )
    const summary = requestSummary(r)
    expect(summary).to.deep.include({
      budgetMs: 3000,
      events: 1,
      eventTypes: ['user.lifecycle.create'],
      id: 'mx1234abcd',
      n: 3,
      replayOf: 'mx0000aaaa',
      status: 204,
      verdict: 'accepted',
      withinBudget: true,
    })
    const detail = requestDetail(r)
    expect(detail.events[0]).to.deep.include({
      actorText: 'Admin Example <admin@example.com>',
      eventType: 'user.lifecycle.create',
      targetText: 'created Grace Hopper <grace@example.com>',
    })
    expect(detail.events[0].line).to.contain('[delivery evt-1 1/1]')
    expect((detail.body as any).eventId).to.equal('evt-1')
    expect(requestDetail(record({}, {body: '{not json'})).body).to.equal(undefined)
    expect(requestDetail(record({}, {body: '{"a":1}'})).events).to.deep.equal([])
  })

  it('filters by event type, kind, status (code or class), verdict and text; ignores values it does not know', () => {
    const filter = filterFrom(
      new URLSearchParams('eventType=user.lifecycle.create&kind=delivery&status=2xx&verdict=accepted&q=Grace'),
    )
    expect(filter).to.deep.equal({
      eventType: 'user.lifecycle.create',
      kind: 'delivery',
      q: 'grace',
      status: '2xx',
      verdict: 'accepted',
    })
    expect(filterFrom(new URLSearchParams('kind=nope&status=abc&verdict=maybe&q='))).to.deep.equal({
      eventType: undefined,
      q: undefined,
    })
    expect(isFiltered(filterFrom(new URLSearchParams('')))).to.equal(false)
    const r = record({delivery: {events: 1, eventTypes: ['user.lifecycle.create']}}, {body: '{"name":"Grace"}'})
    const s = requestSummary(r)
    expect(matches(r, s, filter)).to.equal(true)
    expect(matches(r, s, {status: '204'})).to.equal(true)
    expect(matches(r, s, {status: '4xx'})).to.equal(false)
    expect(matches(r, s, {eventType: 'group.user_membership.add'})).to.equal(false)
    expect(matches(r, s, {kind: 'verification'})).to.equal(false)
    expect(matches(r, s, {verdict: 'failed'})).to.equal(false)
    expect(matches(r, s, {q: 'ada'})).to.equal(false)
  })

  it('answers only its own loopback Host, and takes a replay only with the token and from its own origin', () => {
    expect(
      ['127.0.0.1:8788', 'localhost:8788', '[::1]:8788', 'LOCALHOST:8788'].map((host) => hostAllowed(host, 8788)),
    ).to.deep.equal([true, true, true, true])
    expect(
      ['evil.example:8788', '127.0.0.1:9999', '127.0.0.1', undefined].map((host) => hostAllowed(host, 8788)),
    ).to.deep.equal([false, false, false, false])
    expect(writeAllowed({'x-okta-hooks-token': 'tok'}, 8788, 'tok')).to.deep.equal({ok: true})
    expect(writeAllowed({origin: 'http://localhost:8788', 'x-okta-hooks-token': 'tok'}, 8788, 'tok')).to.deep.equal({
      ok: true,
    })
    expect(writeAllowed({origin: 'https://evil.example', 'x-okta-hooks-token': 'tok'}, 8788, 'tok')).to.deep.include({
      ok: false,
    })
    expect(writeAllowed({}, 8788, 'tok')).to.deep.include({ok: false})
    expect(writeAllowed({'x-okta-hooks-token': 'to'}, 8788, 'tok')).to.deep.include({ok: false})
  })
})
