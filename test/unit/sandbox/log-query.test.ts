/** The sandbox System Log's query semantics, checked point by point against Okta's System Log query reference. */
import {expect} from 'chai'

import {sampleEvent} from '../../../src/lib/delivery/sample-events.js'
import {OktaApiError} from '../../../src/lib/sandbox/errors.js'
import {isLogAttribute} from '../../../src/lib/sandbox/log-attributes.js'
import {keywordMatcher, LogStore, type LogStoreQuery} from '../../../src/lib/sandbox/log-store.js'
import {parseScimFilter} from '../../../src/lib/sandbox/scim-filter.js'

const BASE = Date.parse('2026-08-01T10:00:00.000Z')
const at = (seconds: number) => new Date(BASE + seconds * 1000).toISOString()

function refusal(run: () => unknown): OktaApiError {
  try {
    run()
  } catch (error) {
    if (error instanceof OktaApiError) return error
    throw error
  }

  throw new Error('accepted')
}

/** Five events one second apart; the third in San Francisco, by Ana Lima, with a hyphenated request id. */
function store(): {log: LogStore; uuids: string[]} {
  const log = new LogStore()
  const uuids: string[] = []
  for (let i = 0; i < 5; i++) {
    const event = sampleEvent('user.lifecycle.create', {now: new Date(BASE + i * 1000)})
    if (i === 2) {
      event.actor = {alternateId: 'ana.lima@example.com', displayName: 'Ana Lima', id: '00uana', type: 'User'}
      event.client = {geographicalContext: {city: 'San Francisco'}}
      event.transaction = {detail: {requestApiTokenId: '00T94e3cn9kSEO3c51s5'}, id: 'XOxBw-2JIRnCFd0gG0GjHAAABjY'}
      event.debugContext = {debugData: {url: '/oauth2/v1/token?x=1'}}
    }

    uuids.push(String(log.append(event).uuid))
  }

  return {log, uuids}
}

/** The uuids a bounded query over the store's window returns. */
const uuidsFound = (log: LogStore, query: LogStoreQuery) =>
  log.query({since: at(0), until: at(10), ...query}).events.map((event) => event.uuid)

describe('sandbox System Log: q (keyword search)', () => {
  const event = {
    actor: {displayName: 'Jane Doe', id: '00ujane'},
    client: {geographicalContext: {city: 'San Francisco', postalCode: null}},
    outcome: {reason: null, result: 'SUCCESS'},
    securityContext: {asNumber: 11_351, isProxy: false},
    transaction: {id: 'XOxBw-2JIRnCFd0gG0GjHAAABjY'},
  }
  const cases: [string, boolean][] = [
    ['San Francisco', true], // every keyword matched, each a word of one value
    ['san FRANCISCO', true], // case-insensitive
    ['Jane Doe', true],
    ['Jane Smith', false], // all keywords required
    ['Francis', false], // a keyword matches a whole value or word, not a part of one
    ['XOxBw', true], // hyphenated values also match their parts...
    ['2JIRnCFd0gG0GjHAAABjY', true],
    ['XOxBw-2JIRnCFd0gG0GjHAAABjY', true], // ...and the whole
    ['displayName', false], // property names are not values
    ['actor', false],
    ['geographicalContext', false],
    ['null', false], // null values match nothing
    ['11351', true], // numbers and Booleans by their text
    ['false', true],
    ['"city"', false], // not the JSON text
    ['', true], // no keyword: no constraint
  ]
  for (const [q, matched] of cases) {
    it(`q=${q} ${matched ? 'matches' : 'does not match'}`, () => {
      expect(keywordMatcher(q.split(' ').filter(Boolean))(event)).to.equal(matched)
    })
  }

  it("answers more than 10 keywords or one over 40 characters with E0000001 in the reference's words", () => {
    const {log} = store()
    const long = refusal(() => log.query({q: 'a'.repeat(41)}))
    expect([long.status, long.errorCode, long.errorSummary]).to.deep.equal([
      400,
      'E0000001',
      "Api validation failed: 'q': Freeform search cannot contain items longer than 40 characters. Please shorten " +
        'the items in your search or use an advanced filter to query by specific fields.',
    ])
    expect(refusal(() => log.query({q: 'a '.repeat(11)})).causes[0]).to.match(/^q: .*more than 10/)
    expect(log.query({q: `${'a'.repeat(40)} b c d e f g h i j`}).events).to.deep.equal([])
  })

  it('finds events through LogStore.query', () => {
    const {log, uuids} = store()
    const found = (q: string) => uuidsFound(log, {q})
    expect(found('San Francisco')).to.deep.equal([uuids[2]])
    expect(found('ana LIMA')).to.deep.equal([uuids[2]])
    expect(found('XOxBw')).to.deep.equal([uuids[2]])
    expect(found('Francisco Oakland')).to.deep.equal([])
    expect(found('city')).to.deep.equal([])
  })

  it("answers an unreadable since/until with the two causes of the reference's example", () => {
    const error = refusal(() => store().log.query({until: 'yesterday'}))
    expect(error.errorSummary).to.equal(
      "Api validation failed: 'until': The date format in your query is not recognized. Please enter dates using " +
        "ISO8601 string format. 'until': must be a valid date-time or empty.",
    )
    expect(error.causes).to.deep.equal([
      'until: The date format in your query is not recognized. Please enter dates using ISO8601 string format.',
      'until: must be a valid date-time or empty.',
    ])
  })
})

describe('sandbox System Log: filter attributes and refusals', () => {
  const accepted = [
    'eventType',
    'uuid',
    'displayMessage',
    'severity',
    'actor.alternateId',
    'target.id',
    'client.ipAddress',
    'client.geographicalContext.city',
    'client.userAgent.rawUserAgent',
    'outcome.reason',
    'transaction.id',
    'transaction.detail.requestApiTokenId',
    'debugContext.debugData.targetEventHookIds',
    'debugContext.debugData.url',
    'authenticationContext.externalSessionId',
    'authenticationContext.issuer.type',
    'securityContext.isProxy',
    'request.ipChain.ip',
    'request.ipChain.geographicalContext.geolocation.lat',
    'target.detailEntry.methodTypeUsed',
  ]
  const refused = ['password', 'event_type', 'actor', 'actor.email', 'client', 'transaction.details.x', 'target..id']
  for (const path of accepted) it(`accepts ${path}`, () => expect(isLogAttribute(path)).to.equal(true))
  for (const path of refused) it(`refuses ${path}`, () => expect(isLogAttribute(path)).to.equal(false))

  const refusals: [string, string, string][] = [
    ['password eq "x"', 'E0000053', 'field is not valid: password'],
    ['published gt "2026-01-01T00:00:00Z"', 'E0000031', 'Invalid search criteria.'],
    [
      'debugContext.debugData.url co "/oauth/"',
      'E0000031',
      'The supplied combination of operator and field is not currently supported. Operator: co, ' +
        'Field: debugContext.debugData.url',
    ],
    [
      'eventType sw "user" and debugContext.debugData.requestUri co "token"',
      'E0000031',
      'The supplied combination of operator and field is not currently supported. Operator: co, ' +
        'Field: debugContext.debugData.requestUri',
    ],
    ['eventType eqq "x"', 'E0000053', 'Invalid SCIM filter.'],
  ]
  for (const [filter, code, summary] of refusals) {
    it(`refuses ${filter} with ${code}`, () => {
      const error = refusal(() => parseScimFilter(filter))
      expect([error.status, error.errorCode, error.errorSummary]).to.deep.equal([400, code, summary])
    })
  }

  it('filters on transaction.detail.*, and on url/requestUri with every operator but co', () => {
    const {log, uuids} = store()
    const found = (filter: string) => uuidsFound(log, {filter})
    expect(found('transaction.detail.requestApiTokenId eq "00T94e3cn9kSEO3c51s5"')).to.deep.equal([uuids[2]])
    expect(found('debugContext.debugData.url sw "/oauth2/"')).to.deep.equal([uuids[2]])
    expect(found('debugContext.debugData.url eq "/oauth2/v1/token?x=1"')).to.deep.equal([uuids[2]])
  })
})

describe('sandbox System Log: paging', () => {
  const pages = (log: LogStore, first: LogStoreQuery, most = 20) => {
    const out: {count: number; next?: Record<string, string>}[] = []
    let query: LogStoreQuery | undefined = first
    while (query && out.length < most) {
      const page = log.query(query)
      out.push({count: page.events.length, next: page.next})
      query = page.next
    }

    return out
  }

  it('a bounded query always ends, limit=0 included (one empty page, no next link)', () => {
    const {log} = store()
    const cases: [LogStoreQuery, number[]][] = [
      [{limit: '0', since: at(0), until: at(10)}, [0]],
      [{limit: '0', sortOrder: 'DESCENDING', since: at(0), until: at(10)}, [0]],
      [{limit: '0', sortOrder: 'DESCENDING'}, [0]],
      [{limit: '2', since: at(0), until: at(10)}, [2, 2, 1]],
      [{limit: '5', since: at(0), until: at(10)}, [5]],
    ]
    for (const [query, counts] of cases) {
      const seen = pages(log, query)
      expect(
        seen.map((page) => page.count),
        JSON.stringify(query),
      ).to.deep.equal(counts)
      expect(seen.at(-1)!.next, JSON.stringify(query)).to.equal(undefined)
    }
  })

  it('a polling query with limit=0 keeps a next link that resumes where it was', () => {
    const {log} = store()
    const page = log.query({limit: '0', since: at(0)})
    expect(page.events).to.deep.equal([])
    expect(page.next).to.include({limit: '0', since: at(0)})
    expect(log.query({...page.next!, limit: '10'}).events).to.have.length(5)
  })

  it("next links carry since as Okta's example next link does; with after, the cursor decides the window", () => {
    const {log, uuids} = store()
    const first = log.query({limit: '2', since: at(0), until: at(10)})
    expect(first.next).to.include({limit: '2', since: at(0), until: at(10)})
    expect(first.next!.after).to.be.a('string')
    const second = log.query(first.next!)
    expect(second.events.map((e) => e.uuid)).to.deep.equal(uuids.slice(2, 4))
    // A since changed by hand next to an after is not a new window: the cursor's is kept.
    const moved = log.query({...first.next!, since: at(4)})
    expect(moved.events.map((e) => e.uuid)).to.deep.equal(uuids.slice(2, 4))
  })
})
