/**
 * Okta's headers on every path that imitates Okta: each path's requests, as a real local endpoint
 * receives them, carry what Okta sends (User-Agent: Okta-Integrations, a 27-character
 * X-Okta-Request-Id, Accept and Content-Type JSON, the custom headers and the auth header; the
 * verification GET: Accept, the challenge, no Content-Type), each request with its own id.
 */
import {expect} from 'chai'
import type {IncomingHttpHeaders} from 'node:http'

import {buildEnvelope} from '../../../../src/lib/delivery/envelope.js'
import {
  oktaDeliveryHeaders,
  oktaRequestId,
  oktaVerificationHeaders,
  randomAlphanumeric,
  withNewRequestId,
} from '../../../../src/lib/delivery/okta-headers.js'
import {sendPreviews} from '../../../../src/lib/delivery/preview-deliveries.js'
import {sampleEvent} from '../../../../src/lib/delivery/sample-events.js'
import {checkEndpoint} from '../../../../src/lib/endpoint-check/check-endpoint.js'
import type {DeliveryRecord} from '../../../../src/lib/receiver/delivery-store.js'
import {replayDelivery} from '../../../../src/lib/receiver/replay.js'
import {Replayer} from '../../../../src/lib/replay/replayer.js'
import {SandboxOrg} from '../../../../src/lib/sandbox/sandbox-org.js'
import {verifyEndpoint} from '../../../../src/lib/sandbox/verifier.js'
import {useClock, realClock} from '../../../../src/lib/clock.js'
import {hookFixture} from '../../../fixtures/hooks/index.js'
import {fakeTransport} from '../../../helpers/fake-transport.js'
import {type TestEndpoint, testEndpoint} from '../../endpoint-check/endpoints.js'

const SECRET = 'okta-headers-test-secret'
const CUSTOM = [{key: 'X-Team', value: 'identity'}]
const AUTH = {key: 'Authorization', value: SECRET}
const REQUEST_ID = /^[A-Za-z0-9]{27}$/

/** What Okta sends with a delivery POST (or, `verification`, with the challenge GET). */
function expectOktaHeaders(headers: IncomingHttpHeaders, kind: 'delivery' | 'verification' = 'delivery'): void {
  expect(headers['user-agent']).to.equal('Okta-Integrations')
  expect(headers['x-okta-request-id']).to.match(REQUEST_ID)
  expect(headers.accept).to.equal('application/json')
  expect(headers['x-team']).to.equal('identity')
  expect(headers.authorization).to.equal(SECRET)
  if (kind === 'delivery') expect(headers['content-type']).to.equal('application/json')
  else {
    expect(headers['content-type']).to.equal(undefined)
    expect(headers['x-okta-verification-challenge']).to.be.a('string').and.not.equal('')
  }
}

/** A recorded exchange as `listen` stores it. */
function recorded(kind: DeliveryRecord['kind'], request: Partial<DeliveryRecord['request']>): DeliveryRecord {
  return {
    auth: 'ok',
    id: `rec${kind}`,
    kind,
    latencyMs: 1,
    receivedAt: '2026-11-20T00:00:00.000Z',
    request: {bodyBytes: 0, headers: {}, method: 'POST', path: '/', ...request},
    response: {body: '', headers: {}, status: 200},
    version: 1,
  }
}

function distinctIds(endpoint: TestEndpoint): number {
  return new Set(endpoint.requests.map((r) => r.headers['x-okta-request-id'])).size
}

describe('okta-headers: what Okta sends, built once', () => {
  it('a request id is 27 letters and digits, as Okta writes them (XOZfPkReFFZ10KWyGkzAMwAAADA), new every time', () => {
    const ids = Array.from({length: 200}, () => oktaRequestId())
    for (const id of ids) expect(id).to.match(REQUEST_ID)
    expect(new Set(ids).size).to.equal(ids.length)
    expect(randomAlphanumeric(5)).to.match(/^[A-Za-z0-9]{5}$/)
  })

  const table: {auth?: {key: string; value: string}; expected: string[]; kind: string}[] = [
    {expected: ['User-Agent', 'Accept', 'Content-Type', 'X-Okta-Request-Id'], kind: 'delivery, no hook headers'},
    {
      auth: AUTH,
      expected: ['User-Agent', 'Accept', 'Content-Type', 'X-Okta-Request-Id', 'X-Team', 'Authorization'],
      kind: 'delivery with a custom header and the auth header (last)',
    },
  ]
  for (const {auth, expected, kind} of table) {
    it(`${kind}: ${expected.join(', ')}`, () => {
      const headers = oktaDeliveryHeaders(auth ? CUSTOM : [], auth)
      expect(Object.keys(headers)).to.deep.equal(expected)
      expect(headers['User-Agent']).to.equal('Okta-Integrations')
    })
  }

  it("the verification GET, in the support article's order: User-Agent, Accept, request id, challenge, custom, auth", () => {
    const headers = oktaVerificationHeaders(CUSTOM, AUTH, 'the-challenge')
    expect(Object.keys(headers)).to.deep.equal([
      'User-Agent',
      'Accept',
      'X-Okta-Request-Id',
      'X-Okta-Verification-Challenge',
      'X-Team',
      'Authorization',
    ])
    expect(headers['X-Okta-Verification-Challenge']).to.equal('the-challenge')
  })

  it("a custom header never replaces one of Okta's own; the auth header replaces a same-named custom one", () => {
    const headers = oktaDeliveryHeaders(
      [
        {key: 'user-agent', value: 'curl'},
        {key: 'authorization', value: 'old'},
      ],
      AUTH,
    )
    expect(headers['User-Agent']).to.equal('Okta-Integrations')
    expect(headers).to.not.have.property('user-agent')
    expect(headers).to.not.have.property('authorization')
    expect(headers.Authorization).to.equal(SECRET)
  })

  it('withNewRequestId replaces the id in place (any case) or adds one', () => {
    const renewed = withNewRequestId({'x-okta-request-id': 'old', Accept: 'application/json'})
    expect(Object.keys(renewed.headers)).to.deep.equal(['X-Okta-Request-Id', 'Accept'])
    expect(renewed.headers['X-Okta-Request-Id']).to.equal(renewed.requestId).and.match(REQUEST_ID)
    expect(withNewRequestId({}).headers).to.have.property('X-Okta-Request-Id')
  })
})

describe("okta-headers: every path sends Okta's headers", () => {
  let endpoint: TestEndpoint
  beforeEach(async () => {
    useClock(realClock) // real servers and real sockets: timers must run
    endpoint = await testEndpoint('good', {secret: SECRET})
  })
  afterEach(async () => endpoint.close())

  it('preview: each delivery, its request id shown as sent', async () => {
    const body = JSON.stringify(buildEnvelope({events: [sampleEvent('user.lifecycle.create')], source: 'https://x'}))
    const headers = oktaDeliveryHeaders(CUSTOM, AUTH)
    const result = await sendPreviews([{body, envelope: JSON.parse(body), events: 1}], {
      headers,
      shownHeaders: headers,
      url: {shown: endpoint.url, target: endpoint.url},
    })
    expect(endpoint.requests).to.have.length(1)
    expectOktaHeaders(endpoint.requests[0].headers)
    const sent = endpoint.requests[0].headers['x-okta-request-id']
    expect(result.deliveries[0].attempts[0].requestId).to.equal(sent)
    expect(result.deliveries[0].request.headers['X-Okta-Request-Id']).to.equal(sent)
  })

  it('replay: every POST, each with its own request id', async () => {
    const events = [0, 1, 2].map((i) => ({
      ...sampleEvent('user.lifecycle.create'),
      published: `2026-11-20T00:00:0${i}.000Z`,
    }))
    const replayer = new Replayer(fakeTransport(events), {
      batchSize: 1,
      concurrency: 1,
      headers: oktaDeliveryHeaders(CUSTOM, AUTH),
      query: {since: '2026-11-20T00:00:00Z', until: '2026-11-21T00:00:00Z'},
      source: 'https://x',
      timeoutMs: 3000,
      url: endpoint.url,
    })
    const stats = await replayer.run()
    expect(stats.accepted).to.equal(3)
    for (const request of endpoint.requests) expectOktaHeaders(request.headers)
    expect(distinctIds(endpoint)).to.equal(3)
  })

  it('check-endpoint: the verification GET and every delivery (the no-auth one without the auth header)', async () => {
    const report = await checkEndpoint({auth: AUTH, headers: CUSTOM, url: endpoint.url})
    expect(report.ok).to.equal(true)
    const [verification, ...posts] = endpoint.requests
    expectOktaHeaders(verification.headers, 'verification')
    const noAuth = posts.filter((p) => p.headers.authorization === undefined)
    expect(noAuth).to.have.length(1)
    for (const post of posts.filter((p) => p !== noAuth[0])) expectOktaHeaders(post.headers)
    expect(noAuth[0].headers['user-agent']).to.equal('Okta-Integrations')
    expect(distinctIds(endpoint)).to.equal(endpoint.requests.length)
  })

  it("deliveries replay: Okta's own headers rebuilt (a new request id), the recorded custom header kept", async () => {
    const record = recorded('delivery', {
      body: '{"eventType":"com.okta.event_hook","data":{"events":[]}}',
      headers: {
        accept: 'application/json',
        authorization: '********',
        'user-agent': 'curl/8.0',
        'x-okta-request-id': 'recorded-id',
        'x-team': 'identity',
      },
    })
    const result = await replayDelivery(record, {auth: AUTH, to: endpoint.url})
    expect(result.verdict).to.equal('accepted')
    expectOktaHeaders(endpoint.requests[0].headers)
    expect(endpoint.requests[0].headers['x-okta-request-id']).to.not.equal('recorded-id')
  })

  it('deliveries replay of a verification GET: the recorded challenge, as Okta sends it', async () => {
    const record = recorded('verification', {
      headers: {'x-okta-verification-challenge': 'recorded-challenge', 'x-team': 'identity'},
      method: 'GET',
    })
    const result = await replayDelivery(record, {auth: AUTH, to: endpoint.url})
    expect(result.verdict).to.equal('accepted')
    expectOktaHeaders(endpoint.requests[0].headers, 'verification')
    expect(endpoint.requests[0].headers['x-okta-verification-challenge']).to.equal('recorded-challenge')
  })

  it('the sandbox: its verification GET and its deliveries', async () => {
    const base = hookFixture()
    const hook = hookFixture({
      channel: {
        ...base.channel,
        config: {authScheme: {...AUTH, type: 'HEADER'}, headers: CUSTOM, method: 'POST', uri: endpoint.url},
      },
    })
    const verification = await verifyEndpoint(hook)
    expect(verification.ok).to.equal(true)
    expectOktaHeaders(endpoint.requests[0].headers, 'verification')

    const org = new SandboxOrg({delivery: {batchWindowMs: 1}})
    const created = org.create({
      channel: hook.channel,
      events: {items: ['user.lifecycle.create'], type: 'EVENT_TYPE'},
      name: 'h',
    })
    await org.verify(created.id)
    org.emit({count: 2, eventType: 'user.lifecycle.create'})
    await org.deliveries.idle()
    const posts = endpoint.requests.filter((r) => r.method === 'POST')
    expect(posts).to.have.length.greaterThan(0)
    for (const post of posts) expectOktaHeaders(post.headers)
    expect(distinctIds(endpoint)).to.equal(endpoint.requests.length)
  })
})
