import {expect} from 'chai'

import {checkEndpoint, type EndpointCheckReport} from '../../../src/lib/endpoint-check/check-endpoint.js'
import {type Behaviour, testEndpoint} from './endpoints.js'

const SECRET = 'endpoint-secret-1234'
const AUTH = {key: 'Authorization', value: SECRET}

const statuses = (report: EndpointCheckReport) => Object.fromEntries(report.checks.map((c) => [c.id, c.status]))

async function check(behaviour: Behaviour, options: {auth?: boolean; slowMs?: number; timeoutMs?: number} = {}) {
  const endpoint = await testEndpoint(behaviour, {secret: SECRET, slowMs: options.slowMs})
  try {
    const report = await checkEndpoint({
      auth: options.auth === false ? undefined : AUTH,
      headers: [{key: 'X-Tenant', value: 'acme'}],
      timeoutMs: options.timeoutMs,
      url: endpoint.url,
    })
    return {endpoint, report}
  } finally {
    await endpoint.close()
  }
}

describe('endpoint-check/checkEndpoint', () => {
  it('a right endpoint passes every check (scheme warns for plain http on loopback)', async () => {
    const {endpoint, report} = await check('good')
    expect(statuses(report)).to.deep.equal({
      batch: 'pass',
      delivery: 'pass',
      duplicate: 'pass',
      'no-auth': 'pass',
      scheme: 'warn',
      verification: 'pass',
    })
    expect(report.ok).to.equal(true)
    expect(report.counts).to.deep.equal({fail: 0, pass: 5, skip: 0, warn: 1})
    for (const c of report.checks.filter((x) => x.id !== 'scheme')) expect(c.latencyMs).to.be.a('number')
    // what Okta sends: challenge + auth + custom header on the GET; envelopes with auth + custom header
    const [get, delivery, noAuth, batch, dup1, dup2] = endpoint.requests
    expect(get.method).to.equal('GET')
    expect(get.headers['x-okta-verification-challenge']).to.match(/^[\w-]{20,}$/)
    expect(get.headers).to.include({authorization: SECRET, 'x-tenant': 'acme'})
    expect(delivery.headers).to.include({
      accept: 'application/json',
      authorization: SECRET,
      'content-type': 'application/json',
      'x-tenant': 'acme',
    })
    expect(JSON.parse(delivery.body).data.events[0].eventType).to.equal('user.lifecycle.create')
    expect(noAuth.headers.authorization).to.equal(undefined)
    expect(JSON.parse(batch.body).data.events).to.have.length(3)
    expect(dup1.body).to.equal(dup2.body)
    expect(endpoint.requests).to.have.length(6)
  })

  it('an endpoint that echoes the challenge as plain text fails verification', async () => {
    const {report} = await check('plain-text-challenge')
    const verification = report.checks.find((c) => c.id === 'verification')!
    expect(verification.status).to.equal('fail')
    expect(verification.detail).to.contain('plain text')
    expect(report.ok).to.equal(false)
  })

  it('an endpoint that echoes the wrong value fails verification naming both values', async () => {
    const {report} = await check('wrong-value')
    const verification = report.checks.find((c) => c.id === 'verification')!
    expect(verification.status).to.equal('fail')
    expect(verification.detail).to.contain('"not-the-challenge"').and.contain('not the challenge Okta sent')
    expect(statuses(report).delivery).to.equal('pass')
  })

  it('a 500 fails verification and deliveries (Okta retries a 5xx once)', async () => {
    const {report} = await check('server-error')
    expect(statuses(report)).to.include({batch: 'fail', delivery: 'fail', duplicate: 'fail', verification: 'fail'})
    expect(statuses(report)['no-auth']).to.equal('pass') // its auth check answers 401 before failing
    expect(report.checks.find((c) => c.id === 'delivery')!.detail).to.contain('retries a 5xx once')
    expect(report.checks.find((c) => c.id === 'delivery')!.httpStatus).to.equal(500)
  })

  it('an endpoint that accepts requests without auth gets a warning, not a failure', async () => {
    const {report} = await check('no-auth-check')
    expect(statuses(report)['no-auth']).to.equal('warn')
    expect(report.checks.find((c) => c.id === 'no-auth')!.detail).to.contain('anyone who finds the URL')
    expect(report.ok).to.equal(true)
  })

  it('without configured auth the no-auth check is skipped with a warning', async () => {
    const endpoint = await testEndpoint('good')
    try {
      const report = await checkEndpoint({url: endpoint.url})
      expect(statuses(report)['no-auth']).to.equal('skip')
      expect(report.warnings.join(' ')).to.contain('cannot tell Okta from anyone')
      expect(report.ok).to.equal(true)
    } finally {
      await endpoint.close()
    }
  })

  it('a body in the answer warns; a refused duplicate fails with the at-least-once advice', async () => {
    const withBody = await check('body-in-answer')
    expect(statuses(withBody.report).delivery).to.equal('warn')
    expect(withBody.report.checks.find((c) => c.id === 'delivery')!.detail).to.contain('Okta ignores')
    const dup = await check('duplicate-refused')
    expect(statuses(dup.report)).to.include({batch: 'pass', delivery: 'pass', duplicate: 'fail'})
    expect(dup.report.checks.find((c) => c.id === 'duplicate')!.detail)
      .to.contain('at least once')
      .and.contain('409')
  })

  it('a slow endpoint (over the budget) fails verification and delivery, and the rest is skipped', async () => {
    const {endpoint, report} = await check('slow', {slowMs: 200, timeoutMs: 100})
    expect(statuses(report)).to.deep.equal({
      batch: 'skip',
      delivery: 'fail',
      duplicate: 'skip',
      'no-auth': 'skip',
      scheme: 'warn',
      verification: 'fail',
    })
    expect(report.checks.find((c) => c.id === 'verification')!.detail).to.contain('no answer within 100ms')
    expect(endpoint.requests.length).to.be.at.most(2)
  })

  it('an unreachable endpoint fails verification and skips the rest; a non-https remote URL fails the scheme', async () => {
    const endpoint = await testEndpoint('good')
    await endpoint.close()
    const report = await checkEndpoint({url: endpoint.url})
    expect(statuses(report)).to.deep.equal({
      batch: 'skip',
      delivery: 'skip',
      duplicate: 'skip',
      'no-auth': 'skip',
      scheme: 'warn',
      verification: 'fail',
    })
    expect(report.checks[1].detail).to.contain('ECONNREFUSED')
    const ftp = await checkEndpoint({url: 'ftp://example.com/x'})
    expect(ftp.checks[0]).to.include({id: 'scheme', status: 'fail'})
    expect(ftp.checks.slice(1).every((c) => c.status === 'skip')).to.equal(true)
  })
})
