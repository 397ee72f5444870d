import {expect} from 'chai'

import {CliError} from '../../../../src/lib/errors.js'
import {adviceFor, kindOf, verificationFailure} from '../../../../src/lib/hooks/verification-failure.js'
import type {OktaTransport} from '../../../../src/lib/okta/okta-sdk.js'

const HOOK = 'who8vt36qfNpCGz9H1e6'

/** A transport that answers the System Log with these pages, one per call, and records the URLs. */
function transport(pages: unknown[][], failWith?: Error): OktaTransport & {urls: string[]} {
  const urls: string[] = []
  return {
    orgUrl: 'https://test-org.okta.example',
    async request(_method, url) {
      urls.push(String(url))
      if (failWith) throw failWith
      return {body: (pages.shift() ?? []) as any, headers: {}, status: 200}
    },
    urls,
  }
}

const verified = (outcome: object, debugData: object = {}) => ({
  debugContext: {debugData},
  eventType: 'event_hook.verified',
  outcome,
  published: '2026-12-01T10:00:01.000Z',
  uuid: 'u-1',
})

describe('lib/hooks/verification-failure', () => {
  it('reads the reason of the latest failed event_hook.verified of the hook, since the verify call', async () => {
    const okta = transport([[verified({reason: 'connection failure: ECONNREFUSED', result: 'FAILURE'})]])
    const failure = await verificationFailure(okta, HOOK, new Date('2026-12-01T10:00:00.000Z'))
    expect(failure).to.deep.equal({
      kind: 'refused',
      published: '2026-12-01T10:00:01.000Z',
      reason: 'connection failure: ECONNREFUSED',
      uuid: 'u-1',
    })
    const url = new URL(okta.urls[0], okta.orgUrl)
    expect(url.pathname).to.equal('/api/v1/logs')
    expect(url.searchParams.get('filter')).to.equal(`eventType eq "event_hook.verified" and target.id eq "${HOOK}"`)
    expect(url.searchParams.get('sortOrder')).to.equal('DESCENDING')
    expect(url.searchParams.get('since')).to.equal('2026-12-01T09:59:00.000Z', 'a minute of clock skew allowed')
  })

  it("without an outcome reason, what debugData says beyond the request's bookkeeping; a success is not a failure", async () => {
    const debug = verified(
      {reason: null, result: 'FAILURE'},
      {attempts: '2', requestId: 'r', requestUri: '/x', statusCode: 500, url: '/x'},
    )
    expect(
      await verificationFailure(transport([[verified({result: 'SUCCESS'}), debug]]), HOOK, new Date()),
    ).to.deep.include({kind: 'http-status', reason: 'statusCode: 500'})
    const bare = verified({reason: null, result: 'FAILURE'}, {requestId: 'r'})
    expect(await verificationFailure(transport([[bare]]), HOOK, new Date())).to.deep.include({
      kind: 'other',
      reason: 'no reason recorded',
    })
  })

  it('looks again while the event has not reached the System Log, then gives up quietly', async () => {
    const late = transport([[], [verified({reason: 'no response within 3 seconds', result: 'FAILURE'})]])
    expect(await verificationFailure(late, HOOK, new Date())).to.deep.include({kind: 'timeout'})
    expect(late.urls).to.have.length(2)
    const never = transport([])
    expect(await verificationFailure(never, HOOK, new Date(), {attempts: 2, waitMs: 10})).to.equal(undefined)
    expect(never.urls).to.have.length(2)
  })

  it('a System Log that refuses the query (no okta.logs.read) is said so, not thrown; an unreachable one is not mentioned', async () => {
    const refused = new CliError('You do not have permission to perform the requested action', {exitCode: 3})
    expect(await verificationFailure(transport([], refused), HOOK, new Date())).to.deep.equal({
      unreadable: 'You do not have permission to perform the requested action',
    })
    const unreachable = new CliError('Could not reach Okta', {exitCode: 6})
    expect(await verificationFailure(transport([], unreachable), HOOK, new Date()), 'nothing more to say').to.equal(
      undefined,
    )
  })

  it('names the kind of each failure Okta (and the sandbox) records, with advice for each', () => {
    const kinds = {
      'Content-Type text/plain; expected application/json': 'content-type',
      'HTTP 500; expected 200': 'http-status',
      'certificate has expired': 'tls',
      'connection failure: ECONNREFUSED': 'refused',
      'connection failure: ENOTFOUND': 'dns',
      'no response within 3 seconds': 'timeout',
      'something else entirely': 'other',
      'the body does not echo the challenge as {"verification": "<challenge>"}': 'body',
    }
    for (const [reason, kind] of Object.entries(kinds)) expect(kindOf(reason), reason).to.equal(kind)
    for (const kind of new Set(Object.values(kinds))) {
      if (kind === 'other') expect(adviceFor(kind, '')).to.equal(undefined)
      else expect(adviceFor(kind as any, ' at https://x.example/okta'), kind).to.be.a('string').and.not.be.empty
    }

    expect(adviceFor('refused', ' at https://x.example/okta')).to.contain('at https://x.example/okta')
  })
})
