import {expect} from 'chai'

import {ENVELOPE_KEYS} from '../../../src/lib/delivery/envelope.js'
import {assertSchema} from '../../helpers/sandbox-schemas.js'
import {
  hookBody,
  okReceiver,
  type ReceiverHandler,
  startReceiver,
  startSandbox,
  stopAll,
  type TestSandbox,
} from '../../helpers/sandbox.js'

describe('sandbox: delivery engine', () => {
  let t: TestSandbox
  afterEach(stopAll)

  /** A verified hook on a receiver that answers deliveries with `answer`. */
  async function verifiedHook(answer: ReceiverHandler = okReceiver, overrides: Record<string, any> = {}) {
    const receiver = await startReceiver((request, response) => {
      if (request.method === 'GET') okReceiver(request, response)
      else answer(request, response)
    })
    const {body: hook} = await t.api('POST', '/api/v1/eventHooks', hookBody(receiver.url, overrides))
    expect((await t.api('POST', `/api/v1/eventHooks/${hook.id}/lifecycle/verify`)).status).to.equal(200)
    receiver.requests.length = 0
    return {hook, receiver}
  }

  const emit = async (eventType: string, count = 1, extra: Record<string, unknown> = {}) => {
    const response = await t.api('POST', '/__sandbox/events', {count, eventType, ...extra})
    expect(response.status, response.text).to.equal(200)
    return response.body.events as {eventType: string; targetEventHookIds: string[]; uuid: string}[]
  }

  const logOf = async (filter: string) => (await t.api('GET', `/api/v1/logs?filter=${encodeURIComponent(filter)}`)).body

  it("delivers Okta's envelope with the hook's headers, batching events close in time, to active verified hooks only", async () => {
    t = await startSandbox()
    const {hook, receiver} = await verifiedHook()
    const {body: unverified} = await t.api('POST', '/api/v1/eventHooks', hookBody(receiver.url, {name: 'Unverified'}))
    const emitted = [
      ...(await emit('user.lifecycle.create', 3)),
      ...(await emit('user.lifecycle.deactivate')),
      ...(await emit('user.session.start')),
    ]
    expect(emitted.map((event) => event.targetEventHookIds)).to.deep.equal([
      [hook.id],
      [hook.id],
      [hook.id],
      [hook.id],
      [],
    ])
    await t.sandbox.idle()
    expect(receiver.requests).to.have.length(1)
    const [delivery] = receiver.requests
    expect(delivery.method).to.equal('POST')
    expect(delivery.headers).to.include({
      accept: 'application/json',
      authorization: 'hook-secret-value',
      'content-type': 'application/json',
      'user-agent': 'Okta-Integrations',
      'x-other-header': 'other-value',
    })
    expect(Object.keys(delivery.json)).to.have.members([...ENVELOPE_KEYS])
    expect(delivery.json).to.include({
      cloudEventsVersion: '0.1',
      contentType: 'application/json',
      eventType: 'com.okta.event_hook',
      eventTypeVersion: '1.0',
    })
    expect(delivery.json.source).to.equal(`${t.url}/api/v1/eventHooks/${hook.id}`)
    const events = delivery.json.data.events
    assertSchema('LogEvent[]', events)
    expect(events.map((event: any) => event.uuid)).to.deep.equal(emitted.slice(0, 4).map((event) => event.uuid))
    expect(events[0].debugContext.debugData.targetEventHookIds).to.equal(hook.id)
    expect(unverified.id).not.to.equal(hook.id)
    expect(t.sandbox.summary().deliveries).to.deep.equal({accepted: 1, batches: 1, events: 4, failed: 0, rejected: 0})

    // Deactivated: no more deliveries.
    await t.api('POST', `/api/v1/eventHooks/${hook.id}/lifecycle/deactivate`)
    expect((await emit('user.lifecycle.create'))[0].targetEventHookIds).to.deep.equal([])
    await t.sandbox.idle()
    expect(receiver.requests).to.have.length(1)
  })

  it('caps a batch and sends the rest in another POST', async () => {
    t = await startSandbox({delivery: {batchWindowMs: 200, maxBatchSize: 10}})
    const {receiver} = await verifiedHook()
    await emit('user.lifecycle.create', 25)
    await t.sandbox.idle()
    expect(receiver.requests.map((request) => request.json.data.events.length)).to.deep.equal([10, 10, 5])
    expect(new Set(receiver.requests.map((request) => request.json.eventId)).size).to.equal(3)
  })

  it('retries a 5xx once and then writes an event_hook.delivery FAILURE naming the hook', async () => {
    t = await startSandbox()
    const {hook, receiver} = await verifiedHook((request, response) => {
      response.writeHead(503).end()
    })
    const [emitted] = await emit('user.lifecycle.create')
    await t.sandbox.idle()
    expect(receiver.requests).to.have.length(2)
    expect(receiver.requests[1].json.data.events[0].uuid).to.equal(emitted.uuid)
    const [failure] = await logOf('eventType eq "event_hook.delivery"')
    expect(failure.outcome).to.deep.equal({reason: 'HTTP 503 from the event hook endpoint', result: 'FAILURE'})
    expect(failure.target).to.deep.equal([
      {alternateId: receiver.url, detailEntry: null, displayName: 'Test hook', id: hook.id, type: 'EventHook'},
    ])
    expect(failure.debugContext.debugData).to.include({attempts: '2', deliveredEventIds: emitted.uuid, status: '503'})
  })

  it('does not retry a 4xx; a 5xx then 200 counts as delivered with no failure event', async () => {
    t = await startSandbox()
    const {receiver: rejecting} = await verifiedHook((request, response) => {
      response.writeHead(400).end()
    })
    let calls = 0
    const {receiver: flaky} = await verifiedHook(
      (request, response) => {
        response.writeHead(++calls === 1 ? 500 : 200).end()
      },
      {name: 'Flaky'},
    )
    await emit('user.lifecycle.create')
    await t.sandbox.idle()
    expect(rejecting.requests).to.have.length(1)
    expect(flaky.requests).to.have.length(2)
    const failures = await logOf('eventType eq "event_hook.delivery"')
    expect(failures.map((event: any) => event.target[0].displayName)).to.deep.equal(['Test hook'])
    expect(failures[0].debugContext.debugData).to.include({attempts: '1', status: '400'})
  })

  it('counts a slow receiver as a timeout, retried once', async () => {
    t = await startSandbox({delivery: {timeoutMs: 100}})
    const {receiver} = await verifiedHook((request, response) => {
      setTimeout(() => response.writeHead(200).end(), 300)
    })
    await emit('user.lifecycle.create')
    await t.sandbox.idle()
    expect(receiver.requests).to.have.length(2)
    const [failure] = await logOf('eventType eq "event_hook.delivery"')
    expect(failure.outcome.reason).to.match(/^Timeout/)
  })

  it("emit refuses unknown types and bad counts with Okta's 400, and takes actor and target fields", async () => {
    t = await startSandbox()
    const unknown = await t.api('POST', '/__sandbox/events', {eventType: 'no.such.event', count: 0})
    expect(unknown.status).to.equal(400)
    expect(unknown.body.errorCauses.map((cause: any) => cause.errorSummary)).to.deep.equal([
      'eventType: no.such.event is not in the event-type catalog',
      'count: must be an integer from 1 to 1000',
    ])
    expect(
      (await t.api('POST', '/__sandbox/events', {eventType: 'user.lifecycle.create'}, {token: 'nope'})).status,
    ).to.equal(401)
    const [event] = await emit('user.lifecycle.create', 1, {
      actor: {alternateId: 'ops@example.com'},
      target: {alternateId: 'kim@example.com', displayName: 'Kim'},
    })
    const [stored] = await logOf(`uuid eq "${event.uuid}"`)
    expect(stored.actor.alternateId).to.equal('ops@example.com')
    expect(stored.target[0]).to.include({alternateId: 'kim@example.com', displayName: 'Kim', type: 'User'})
  })
})
