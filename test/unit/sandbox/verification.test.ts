import {expect} from 'chai'

import {SandboxServer} from '../../../src/lib/sandbox/server.js'
import {hookBody, okReceiver, startReceiver, startSandbox, stopAll, type TestSandbox} from '../../helpers/sandbox.js'

const FAILURE_BODY = (name: string) => ({
  errorCauses: [{errorSummary: `Unable to verify event hook. Hook ${name} execution failed`}],
  errorCode: 'E0000001',
  errorSummary: 'Api validation failed: eventHook',
})

describe('sandbox: verification for real', () => {
  let t: TestSandbox
  beforeEach(async () => {
    t = await startSandbox()
  })
  afterEach(stopAll)

  const verifiedEvents = async () =>
    (await t.api('GET', `/api/v1/logs?filter=${encodeURIComponent('eventType eq "event_hook.verified"')}`)).body

  it('sends one challenge GET with the auth and custom headers and marks the hook VERIFIED', async () => {
    const receiver = await startReceiver()
    const {body: hook} = await t.api('POST', '/api/v1/eventHooks', hookBody(receiver.url))
    const {body, status} = await t.api('POST', `/api/v1/eventHooks/${hook.id}/lifecycle/verify`)
    expect(status).to.equal(200)
    expect(body).to.include({id: hook.id, status: 'ACTIVE', verificationStatus: 'VERIFIED'})
    expect(receiver.requests).to.have.length(1)
    const [challenge] = receiver.requests
    expect(challenge.method).to.equal('GET')
    expect(challenge.url).to.equal('/okta')
    expect(challenge.headers['x-okta-verification-challenge']).to.match(/^[\w-]{20,}$/)
    expect(challenge.headers).to.include({
      authorization: 'hook-secret-value',
      'user-agent': 'Okta-Integrations',
      'x-other-header': 'other-value',
    })
    expect(challenge.headers['x-okta-request-id']).to.be.a('string')
    const [event] = await verifiedEvents()
    expect(event.outcome).to.deep.equal({reason: null, result: 'SUCCESS'})
    expect(event.target[0]).to.include({id: hook.id, type: 'EventHook', displayName: 'Test hook'})
  })

  it("fails with Okta's 400 after one retry when the endpoint answers wrongly, leaves the hook UNVERIFIED and logs a FAILURE", async () => {
    const receiver = await startReceiver((request, response) => {
      response
        .writeHead(200, {'Content-Type': 'application/json'})
        .end(JSON.stringify({verification: 'not-the-challenge'}))
    })
    const {body: hook} = await t.api('POST', '/api/v1/eventHooks', hookBody(receiver.url, {name: 'Wrong answer'}))
    const {body, status} = await t.api('POST', `/api/v1/eventHooks/${hook.id}/lifecycle/verify`)
    expect(status).to.equal(400)
    expect(body).to.deep.include(FAILURE_BODY('Wrong answer'))
    expect(receiver.requests).to.have.length(2)
    expect(receiver.requests[0].headers['x-okta-verification-challenge']).not.to.equal(
      receiver.requests[1].headers['x-okta-verification-challenge'],
    )
    expect((await t.api('GET', `/api/v1/eventHooks/${hook.id}`)).body.verificationStatus).to.equal('UNVERIFIED')
    const [event] = await verifiedEvents()
    expect(event.outcome.result).to.equal('FAILURE')
    expect(event.outcome.reason).to.contain('does not echo the challenge')
    expect(event.debugContext.debugData.attempts).to.equal('2')
  })

  it('refuses a text/plain answer, a 401 from the endpoint, and an endpoint that is down', async () => {
    const plain = await startReceiver((request, response) => {
      response
        .writeHead(200, {'Content-Type': 'text/plain'})
        .end(JSON.stringify({verification: request.headers['x-okta-verification-challenge']}))
    })
    const locked = await startReceiver((request, response) => {
      if (request.headers.authorization === 'right-secret') okReceiver(request, response)
      else response.writeHead(401).end()
    })
    for (const uri of [plain.url, locked.url, 'http://127.0.0.1:9/okta']) {
      const {body: hook} = await t.api('POST', '/api/v1/eventHooks', hookBody(uri))
      const {body, status} = await t.api('POST', `/api/v1/eventHooks/${hook.id}/lifecycle/verify`)
      expect([status, body.errorCauses], uri).to.deep.equal([400, FAILURE_BODY('Test hook').errorCauses])
    }

    const reasons = (await verifiedEvents()).map((event: any) => event.outcome.reason)
    expect(reasons[0]).to.contain('Content-Type text/plain')
    expect(reasons[1]).to.contain('HTTP 401')
    expect(reasons[2]).to.contain('connection failure: ECONNREFUSED')
    // With the right secret, the locked endpoint verifies.
    const right = hookBody(locked.url)
    right.channel.config.authScheme.value = 'right-secret'
    const {body: hook} = await t.api('POST', '/api/v1/eventHooks', right)
    expect((await t.api('POST', `/api/v1/eventHooks/${hook.id}/lifecycle/verify`)).status).to.equal(200)
  })

  it('gives a slow endpoint the budget (Okta: 3 s), retries once, then fails', async () => {
    t = await startSandbox({verifyTimeoutMs: 100})
    const receiver = await startReceiver((request, response) => {
      setTimeout(() => okReceiver(request, response), 300)
    })
    const {body: hook} = await t.api('POST', '/api/v1/eventHooks', hookBody(receiver.url))
    const {body, status} = await t.api('POST', `/api/v1/eventHooks/${hook.id}/lifecycle/verify`)
    expect(status).to.equal(400)
    expect(body.errorCauses[0].errorSummary).to.equal('Unable to verify event hook. Hook Test hook execution failed')
    expect(receiver.requests).to.have.length(2)
    expect((await verifiedEvents())[0].outcome.reason).to.equal('no response within 0.1 seconds')
  })

  it("gives an endpoint Okta's 3 seconds by default", () => {
    expect(new SandboxServer().org.verifyTimeoutMs).to.equal(3000)
  })
})
