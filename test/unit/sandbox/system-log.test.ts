import {expect} from 'chai'

import {sampleEvent} from '../../../src/lib/delivery/sample-events.js'
import {startSandbox, stopAll, type TestSandbox} from '../../helpers/sandbox.js'

const BASE = Date.parse('2026-08-01T10:00:00.000Z')
const at = (seconds: number) => new Date(BASE + seconds * 1000).toISOString()

function links(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {}
  for (const part of (headers.get('link') ?? '').split(/,\s*(?=<)/)) {
    const match = /^<([^>]+)>;\s*rel="(\w+)"$/.exec(part.trim())
    if (match) out[match[2]] = match[1]
  }

  return out
}

describe('sandbox: System Log API', () => {
  let t: TestSandbox
  beforeEach(async () => {
    t = await startSandbox()
  })
  afterEach(stopAll)

  /** 25 events one second apart from BASE, alternating two types. */
  function seed(count = 25): string[] {
    const uuids: string[] = []
    for (let i = 0; i < count; i++) {
      const event = sampleEvent(i % 2 ? 'user.lifecycle.deactivate' : 'user.lifecycle.create', {
        now: new Date(BASE + i * 1000),
      })
      uuids.push(String(t.sandbox.org.log.append(event).uuid))
    }

    return uuids
  }

  async function follow(first: string): Promise<{nextOnLast?: string; pages: string[][]}> {
    const pages: string[][] = []
    let url: string | undefined = first
    let last: Record<string, string> = {}
    while (url) {
      const response = await t.api('GET', url)
      expect(response.status, response.text).to.equal(200)
      last = links(response.headers)
      expect(last.self).to.equal(url.startsWith('http') ? url : t.url + url)
      if (response.body.length === 0) break
      pages.push(response.body.map((event: any) => event.uuid))
      url = last.next
    }

    return {nextOnLast: last.next, pages}
  }

  it('a bounded query (since and until) pages with Link next and ends with a page without next', async () => {
    const uuids = seed()
    const {nextOnLast, pages} = await follow(`/api/v1/logs?since=${at(0)}&until=${at(30)}&limit=10`)
    expect(pages.map((page) => page.length)).to.deep.equal([10, 10, 5])
    expect(pages.flat()).to.deep.equal(uuids)
    expect(nextOnLast).to.equal(undefined)
    const window = await t.api('GET', `/api/v1/logs?since=${at(5)}&until=${at(8)}`)
    expect(window.body.map((event: any) => event.uuid)).to.deep.equal(uuids.slice(5, 8))
    expect(links(window.headers).next).to.equal(undefined)
  })

  it('a polling query (no until) always has a next link, even on an empty page, and resumes from it', async () => {
    const uuids = seed()
    let response = await t.api('GET', `/api/v1/logs?since=${at(0)}&limit=10`)
    const seen: string[] = []
    let next = ''
    for (let i = 0; i < 4; i++) {
      seen.push(...response.body.map((event: any) => event.uuid))
      next = links(response.headers).next
      expect(next, `page ${i}`).to.be.a('string')
      response = await t.api('GET', next)
    }

    expect(seen).to.deep.equal(uuids)
    expect(response.body).to.deep.equal([])
    const emptyNext = links(response.headers).next
    expect(emptyNext).to.be.a('string')
    const emitted = await t.api('POST', '/__sandbox/events', {count: 2, eventType: 'user.lifecycle.create'})
    const resumed = await t.api('GET', emptyNext)
    expect(resumed.body.map((event: any) => event.uuid)).to.deep.equal(
      emitted.body.events.map((event: any) => event.uuid),
    )
    expect(links(resumed.headers).next).to.be.a('string')
  })

  it('sorts DESCENDING with finite paging, and defaults to the last 7 days, 100 events', async () => {
    t.sandbox.org.log.append(sampleEvent('user.lifecycle.create', {now: new Date(Date.now() - 8 * 24 * 3600 * 1000)}))
    const recent = await t.api('POST', '/__sandbox/events', {count: 120, eventType: 'user.lifecycle.create'})
    const uuids = recent.body.events.map((event: any) => event.uuid)
    const first = await t.api('GET', '/api/v1/logs')
    expect(first.body.map((event: any) => event.uuid)).to.deep.equal(uuids.slice(0, 100))
    const {nextOnLast, pages} = await follow('/api/v1/logs?sortOrder=DESCENDING&limit=50')
    expect(pages.flat()).to.deep.equal([...uuids].reverse())
    expect(nextOnLast).to.equal(undefined)
  })

  it('filters with SCIM operators on eventType, uuid, actor, target (any target), outcome and severity', async () => {
    const add = t.sandbox.org.log.append(
      sampleEvent('group.user_membership.add', {actor: {alternateId: 'ops@example.com'}}),
    )
    const create = t.sandbox.org.log.append(
      sampleEvent('user.lifecycle.create', {target: {alternateId: 'kim@example.org', displayName: 'Kim'}}),
    )
    const failed = sampleEvent('user.session.start', {actor: {alternateId: 'zed@example.com'}})
    failed.outcome = {reason: 'INVALID_CREDENTIALS', result: 'FAILURE'}
    failed.severity = 'WARN'
    t.sandbox.org.log.append(failed)
    const query = async (filter: string) => {
      const response = await t.api('GET', `/api/v1/logs?filter=${encodeURIComponent(filter)}`)
      expect(response.status, `${filter}: ${response.text}`).to.equal(200)
      return response.body.map((event: any) => event.eventType)
    }

    expect(await query('eventType eq "user.lifecycle.create"')).to.deep.equal(['user.lifecycle.create'])
    expect(await query('eventType ne "user.lifecycle.create"')).to.deep.equal([
      'group.user_membership.add',
      'user.session.start',
    ])
    expect(await query('eventType sw "user."')).to.deep.equal(['user.lifecycle.create', 'user.session.start'])
    expect(await query('eventType ew ".add"')).to.deep.equal(['group.user_membership.add'])
    expect(await query('eventType co "session"')).to.deep.equal(['user.session.start'])
    expect(await query(`uuid eq "${create.uuid}"`)).to.deep.equal(['user.lifecycle.create'])
    expect(await query('actor.alternateId eq "OPS@example.com"')).to.deep.equal(['group.user_membership.add'])
    expect(await query('actor.alternateId gt "p"')).to.deep.equal(['user.session.start'])
    expect(await query('actor.alternateId lt "p"')).to.deep.equal([
      'group.user_membership.add',
      'user.lifecycle.create',
    ])
    expect(
      await query('actor.alternateId ge "zed@example.com" or actor.alternateId le "ops@example.com"'),
    ).to.deep.equal(['group.user_membership.add', 'user.lifecycle.create', 'user.session.start'])
    expect(await query('target.type eq "UserGroup"')).to.deep.equal(['group.user_membership.add'])
    expect(await query('target.type eq "User" and target.alternateId ew ".org"')).to.deep.equal([
      'user.lifecycle.create',
    ])
    expect(await query('outcome.result eq "FAILURE" and severity eq "WARN"')).to.deep.equal(['user.session.start'])
    expect(
      await query('(eventType sw "group" or outcome.result eq "FAILURE") and not (severity eq "WARN")'),
    ).to.deep.equal(['group.user_membership.add'])
    expect(await query('outcome.reason pr')).to.deep.equal(['user.session.start'])
    expect(add.uuid).to.be.a('string')

    const q = await t.api('GET', '/api/v1/logs?q=kim%40example.org%20KIM')
    expect(q.body.map((event: any) => event.eventType)).to.deep.equal(['user.lifecycle.create'])
  })

  it("answers bad filters and parameters with Okta's 400s", async () => {
    const cases: [string, string, RegExp][] = [
      ['filter=eventType%20eq', 'E0000053', /Expected a value/],
      ['filter=eventType%20is%20%22x%22', 'E0000053', /Expected an operator/],
      ["filter=eventType%20eq%20'x'", 'E0000053', /double quotes/],
      ['filter=(eventType%20eq%20%22x%22', 'E0000053', /Missing \)/],
      ['filter=published%20gt%20%222026-01-01T00:00:00Z%22', 'E0000031', /published is not a filterable/],
      ['filter=password%20eq%20%22x%22', 'E0000053', /password is not a System Log attribute/],
      ['filter=debugContext.debugData.url%20co%20%22%2Foauth%2F%22', 'E0000031', /cannot be searched with co/],
      ['limit=1001', 'E0000001', /limit: must be an integer from 0 to 1000/],
      ['since=yesterday', 'E0000001', /since: The date format in your query is not recognized/],
      ['sortOrder=UP', 'E0000001', /sortOrder/],
      ['after=bogus', 'E0000001', /after: not a cursor/],
      [`q=${'a '.repeat(11)}`, 'E0000001', /more than 10 items/],
      [`q=${'a'.repeat(41)}`, 'E0000001', /q: Freeform search cannot contain items longer than 40 characters/],
    ]
    for (const [query, code, cause] of cases) {
      const response = await t.api('GET', `/api/v1/logs?${query}`)
      expect([response.status, response.body.errorCode], query).to.deep.equal([400, code])
      expect(response.body.errorCauses[0].errorSummary, query).to.match(cause)
    }
  })

  it('answers a pathologically nested filter with 400 E0000053, never 500', async () => {
    seed(3)
    for (const filter of [
      '('.repeat(5000) + 'eventType eq "user.lifecycle.create"' + ')'.repeat(5000),
      'not('.repeat(2000) + 'eventType eq "x"' + ')'.repeat(2000),
      '('.repeat(5000),
    ]) {
      const response = await t.api('GET', `/api/v1/logs?filter=${filter}`)
      expect([response.status, response.body.errorCode, response.body.errorSummary]).to.deep.equal([
        400,
        'E0000053',
        'Invalid SCIM filter.',
      ])
    }

    const deepEnough = await t.api(
      'GET',
      `/api/v1/logs?since=${at(0)}&filter=${'('.repeat(100)}eventType eq "user.lifecycle.create"${')'.repeat(100)}`,
    )
    expect([deepEnough.status, deepEnough.body.length]).to.deep.equal([200, 2])
  })

  it("the Okta SDK's own System Log client pages through a bounded query over its Link headers", async () => {
    const uuids = seed(12)
    const {createRequire} = await import('node:module')
    const sdk = createRequire(import.meta.url)('@okta/okta-sdk-nodejs')
    const client = new sdk.Client({
      cacheMiddleware: null,
      orgUrl: t.url,
      testing: {disableHttpsCheck: true},
      token: t.sandbox.token,
    })
    const collection = await client.systemLogApi.listLogEvents({limit: 5, since: at(0), until: at(60)})
    const seen: string[] = []
    await collection.each((event: any) => {
      seen.push(event.uuid)
    })
    expect(seen).to.deep.equal(uuids)
  })
})
