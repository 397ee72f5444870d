import {expect} from 'chai'
import nock from 'nock'

import type {OktaTransport} from '../../../src/lib/okta/okta-sdk.js'
import {connectOkta} from '../../../src/lib/okta/okta-sdk.js'
import {
  isPolling,
  logsUrl,
  pacingDelayMs,
  parseNextLink,
  readLogEvents,
  readLogPages,
} from '../../../src/lib/syslog/pager.js'
import {ORG, TEST_TOKEN} from '../../helpers/run-command.js'
import {realEvent} from '../../helpers/syslog-standin.js'

async function transport(notices: string[] = []): Promise<OktaTransport> {
  return connectOkta(
    {authorizationMode: 'SSWS', orgUrl: ORG, requestTimeoutMs: 5000, scopes: [], sources: {}, token: TEST_TOKEN},
    {notice: (line) => notices.push(line), userAgent: 'okta-hooks/0.0.0-test'},
  )
}

const rate = (remaining = 100) => ({
  'X-Rate-Limit-Limit': '120',
  'X-Rate-Limit-Remaining': String(remaining),
  'X-Rate-Limit-Reset': String(Math.floor(Date.now() / 1000) + 60),
})

describe('syslog/pager', () => {
  it('parses Link headers and builds first-page URLs', () => {
    expect(
      parseNextLink('<https://o/api/v1/logs?after=1>; rel="self", <https://o/api/v1/logs?after=2&limit=5>; rel="next"'),
    ).to.equal('https://o/api/v1/logs?after=2&limit=5')
    expect(parseNextLink('<https://o/api/v1/logs?after=1>; rel="self"')).to.equal(undefined)
    expect(parseNextLink(undefined)).to.equal(undefined)
    expect(
      logsUrl('https://o.example/', {filter: 'eventType eq "a"', limit: 5, since: '2026-11-20T00:00:00.000Z'}),
    ).to.equal('https://o.example/api/v1/logs?since=2026-11-20T00%3A00%3A00.000Z&filter=eventType+eq+%22a%22&limit=5')
    expect(isPolling({since: 'x'})).to.equal(true)
    expect(isPolling({since: 'x', until: 'y'})).to.equal(false)
    expect(isPolling({since: 'x', sortOrder: 'DESCENDING'})).to.equal(false)
    expect(pacingDelayMs({remaining: 50, reset: 10}, 0)).to.equal(0)
    expect(pacingDelayMs({remaining: 1, reset: 10}, 5000)).to.equal(5250)
  })

  it('bounded: follows the next links exactly, keeps every field of every event, and ends without next', async () => {
    const first = [realEvent({uuid: 'e1'}), realEvent({uuid: 'e2'})]
    const second = [realEvent({uuid: 'e3'})]
    const next = `${ORG}/api/v1/logs?after=1700000000000_1&limit=2&since=2026-11-20T00%3A00%3A00.000Z&until=2026-11-21T00%3A00%3A00.000Z&opaque=x%2By`
    const scope = nock(ORG, {reqheaders: {authorization: `SSWS ${TEST_TOKEN}`}})
      .get('/api/v1/logs')
      .query({limit: '2', since: '2026-11-20T00:00:00.000Z', until: '2026-11-21T00:00:00.000Z'})
      .reply(200, first, {...rate(), Link: `<${ORG}/api/v1/logs?limit=2>; rel="self", <${next}>; rel="next"`})
      .get('/api/v1/logs')
      .query({
        after: '1700000000000_1',
        limit: '2',
        opaque: 'x+y',
        since: '2026-11-20T00:00:00.000Z',
        until: '2026-11-21T00:00:00.000Z',
      })
      .reply(200, second, {...rate(), Link: `<${next}>; rel="self"`})
    const pages = []
    for await (const page of readLogPages(await transport(), {
      limit: 2,
      since: '2026-11-20T00:00:00.000Z',
      until: '2026-11-21T00:00:00.000Z',
    }))
      pages.push(page)
    expect(pages.map((p) => p.events.map((e) => e.uuid))).to.deep.equal([['e1', 'e2'], ['e3']])
    expect(pages[0].next).to.equal(next)
    expect(pages[1].next).to.equal(undefined)
    expect(pages[1].url).to.equal(next)
    expect(pages[0].events[0]).to.deep.equal(first[0])
    expect(pages[0].events[0]).to.have.nested.property(
      'authenticationContext.rootSessionId',
      'idxBager62CSveUkTxvgRtonA',
    )
    expect(pages[0].events[0]).to.have.property('device').that.is.an('object')
    expect(pages[0].events[0]).to.have.nested.property('authenticationContext.interface', null)
    expect(pages[0].rateLimit).to.deep.include({limit: 120, remaining: 100})
    scope.done()
  })

  it('polling: sleeps after an empty page, asks the same next link again, and stops when aborted', async () => {
    const next = `${ORG}/api/v1/logs?after=cursor1&since=2026-11-20T00%3A00%3A00.000Z`
    const next2 = `${ORG}/api/v1/logs?after=cursor2&since=2026-11-20T00%3A00%3A00.000Z`
    const scope = nock(ORG)
      .get('/api/v1/logs')
      .query({since: '2026-11-20T00:00:00.000Z'})
      .reply(200, [], {...rate(), Link: `<${next}>; rel="next"`})
      .get('/api/v1/logs')
      .query({after: 'cursor1', since: '2026-11-20T00:00:00.000Z'})
      .reply(200, [], {...rate(), Link: `<${next}>; rel="next"`})
      .get('/api/v1/logs')
      .query({after: 'cursor1', since: '2026-11-20T00:00:00.000Z'})
      .reply(200, [realEvent({uuid: 'p1'})], {...rate(), Link: `<${next2}>; rel="next"`})
    const sleeps: number[] = []
    const controller = new AbortController()
    const seen: string[] = []
    for await (const page of readLogPages(
      await transport(),
      {since: '2026-11-20T00:00:00.000Z'},
      {
        intervalMs: 1234,
        signal: controller.signal,
        async sleep(ms) {
          sleeps.push(ms)
        },
      },
    )) {
      for (const event of page.events) seen.push(String(event.uuid))
      if (seen.length > 0) controller.abort()
    }

    expect(seen).to.deep.equal(['p1'])
    expect(sleeps).to.deep.equal([1234, 1234])
    scope.done()
  })

  it('waits out a 429 (X-Rate-Limit-Reset) and retries a 503, saying so', async () => {
    const notices: string[] = []
    const scope = nock(ORG)
      .get('/api/v1/logs')
      .query(true)
      .reply(
        429,
        {errorCode: 'E0000047', errorSummary: 'API call exceeded rate limit due to too many requests.'},
        {
          'X-Rate-Limit-Remaining': '0',
          'X-Rate-Limit-Reset': String(Math.floor(Date.now() / 1000) + 1),
        },
      )
      .get('/api/v1/logs')
      .query(true)
      .reply(503, {errorCode: 'E0000009', errorSummary: 'Internal Server Error'})
      .get('/api/v1/logs')
      .query(true)
      .reply(200, [realEvent({uuid: 'r1'})], rate())
    const events = []
    for await (const event of readLogEvents(await transport(notices), {
      since: '2026-11-20T00:00:00.000Z',
      until: '2026-11-21T00:00:00.000Z',
    }))
      events.push(event)
    expect(events.map((e) => e.uuid)).to.deep.equal(['r1'])
    expect(notices.join('\n')).to.match(/rate limit reached on GET \/api\/v1\/logs; waiting \d\.\ds/)
    expect(notices.join('\n')).to.contain('Okta answered 503 on GET /api/v1/logs; retrying')
    scope.done()
  })

  it('slows down when the bucket is nearly empty, and shows the wait', async () => {
    const next = `${ORG}/api/v1/logs?after=c1&until=2026-11-21T00%3A00%3A00.000Z`
    const scope = nock(ORG)
      .get('/api/v1/logs')
      .query(true)
      .reply(200, [realEvent({uuid: 'a'})], {...rate(1), Link: `<${next}>; rel="next"`})
      .get('/api/v1/logs')
      .query({after: 'c1', until: '2026-11-21T00:00:00.000Z'})
      .reply(200, [realEvent({uuid: 'b'})], rate())
    const waits: string[] = []
    const sleeps: number[] = []
    const events = []
    for await (const event of readLogEvents(
      await transport(),
      {until: '2026-11-21T00:00:00.000Z'},
      {
        onWait: (message) => waits.push(message),
        async sleep(ms) {
          sleeps.push(ms)
        },
      },
    ))
      events.push(event)
    expect(events.map((e) => e.uuid)).to.deep.equal(['a', 'b'])
    expect(waits[0]).to.match(/rate limit is nearly used \(1 of 120 calls left\); waiting \d+\.\ds/)
    expect(sleeps[0]).to.be.greaterThan(50_000)
    scope.done()
  })

  it('stops after max events, and refuses a next link to another host', async () => {
    const scope = nock(ORG)
      .get('/api/v1/logs')
      .query(true)
      .reply(200, [realEvent({uuid: 'a'})], {...rate(), Link: '<https://evil.example/api/v1/logs?after=1>; rel="next"'})
    const events = []
    let error: Error | undefined
    try {
      for await (const event of readLogEvents(await transport(), {until: '2026-11-21T00:00:00.000Z'}, {max: 5}))
        events.push(event)
    } catch (error_) {
      error = error_ as Error
    }

    expect(events).to.have.length(1)
    expect(error?.message).to.contain('Refusing to follow a System Log link to https://evil.example')
    scope.done()
  })
})
