import {expect} from 'chai'
import nock from 'nock'

import Verify from '../../../src/commands/verify.js'
import {hookFixture} from '../../fixtures/hooks/index.js'
import {ORG, orgEnv, runCommand} from '../../helpers/run-command.js'
import {hookBody, okReceiver, startReceiver, startSandbox, stopAll} from '../../helpers/sandbox.js'

const ID = 'who8vt36qfNpCGz9H1e6'
const VERIFY_FAILED = {
  errorCauses: [{errorSummary: 'Unable to verify event hook. Hook User sync execution failed'}],
  errorCode: 'E0000001',
  errorId: 'oaeVerifyFailed01',
  errorLink: 'E0000001',
  errorSummary: 'Api validation failed: eventHook',
}

describe('verify', () => {
  it("runs Okta's verification and says VERIFIED", async () => {
    const scope = nock(ORG)
      .get(`/api/v1/eventHooks/${ID}`)
      .reply(200, hookFixture({verificationStatus: 'UNVERIFIED'}))
      .post(`/api/v1/eventHooks/${ID}/lifecycle/verify`, (body) => body === '' || body === undefined)
      .reply(200, hookFixture())
    const {error, exitCode, stdout} = await runCommand(Verify, [ID], {env: orgEnv})
    expect(error).to.equal(undefined)
    expect(exitCode).to.equal(0)
    expect(stdout).to.equal(
      `"User sync" (${ID}) is VERIFIED: Okta's challenge to https://hooks.example.com/okta was answered.\n`,
    )
    scope.done()
  })

  it('--json returns the verified hook, header values masked', async () => {
    const scope = nock(ORG)
      .get('/api/v1/eventHooks')
      .reply(200, [hookFixture({verificationStatus: 'UNVERIFIED'})])
      .post(`/api/v1/eventHooks/${ID}/lifecycle/verify`)
      .reply(200, hookFixture())
    const {exitCode, stdout} = await runCommand(Verify, ['User sync', '--json'], {env: orgEnv})
    expect(exitCode).to.equal(0)
    const doc = JSON.parse(stdout)
    expect(doc.hook).to.include({id: ID, verificationStatus: 'VERIFIED'})
    expect(doc.hook.channel.config.headers).to.deep.equal([{key: 'X-Other-Header', value: '****'}])
    scope.done()
  })

  it("a failed verification exits 5 with Okta's causes and what the endpoint must do", async () => {
    const scope = nock(ORG)
      .get(`/api/v1/eventHooks/${ID}`)
      .reply(200, hookFixture({verificationStatus: 'UNVERIFIED'}))
      .post(`/api/v1/eventHooks/${ID}/lifecycle/verify`)
      .reply(400, VERIFY_FAILED)
    const {exitCode, stderr, stdout} = await runCommand(Verify, [ID], {env: orgEnv})
    expect(exitCode).to.equal(5)
    expect(stdout).to.equal('')
    expect(stderr).to.contain(
      `Error: Okta could not verify the event hook "User sync" (${ID}) at https://hooks.example.com/okta.`,
    )
    expect(stderr).to.contain('  - Unable to verify event hook. Hook User sync execution failed')
    expect(stderr).to.contain('X-Okta-Verification-Challenge').and.contain('within 3 seconds')
    expect(stderr).to.contain('{"verification": "<the challenge value>"}')
    expect(stderr).to.contain('okta-hooks check-endpoint https://hooks.example.com/okta')
    scope.done()
  })

  it('a failed verification under --json is one JSON error with exit code 5, the causes, and why from the System Log', async () => {
    const event = {
      debugContext: {debugData: {attempts: '2', requestId: 'r1', url: `/api/v1/eventHooks/${ID}`}},
      eventType: 'event_hook.verified',
      outcome: {reason: 'HTTP 401; expected 200', result: 'FAILURE'},
      published: '2026-12-01T10:00:00.000Z',
      uuid: 'verified-event-1',
    }
    const scope = nock(ORG)
      .get(`/api/v1/eventHooks/${ID}`)
      .reply(200, hookFixture({verificationStatus: 'UNVERIFIED'}))
      .post(`/api/v1/eventHooks/${ID}/lifecycle/verify`)
      .reply(400, VERIFY_FAILED)
      .get('/api/v1/logs')
      .query(
        (query) =>
          query.filter === `eventType eq "event_hook.verified" and target.id eq "${ID}"` &&
          query.sortOrder === 'DESCENDING',
      )
      .reply(200, [event])
    const {exitCode, stdout} = await runCommand(Verify, [ID, '--json'], {env: orgEnv})
    expect(exitCode).to.equal(5)
    const {error} = JSON.parse(stdout)
    expect(error).to.include({code: 'VERIFICATION_FAILED', exitCode: 5})
    expect(error.message).to.equal(
      `Okta could not verify the event hook "User sync" (${ID}) at https://hooks.example.com/okta: HTTP 401; expected 200.`,
    )
    expect(error.causes).to.deep.equal([
      'Unable to verify event hook. Hook User sync execution failed',
      "The System Log's event_hook.verified (2026-12-01T10:00:00.000Z): HTTP 401; expected 200",
    ])
    expect(error.details).to.deep.include({errorId: 'oaeVerifyFailed01', httpStatus: 400})
    expect(error.details.failure).to.deep.equal({
      kind: 'http-status',
      published: '2026-12-01T10:00:00.000Z',
      reason: 'HTTP 401; expected 200',
      uuid: 'verified-event-1',
    })
    expect(error.suggestions[0]).to.contain('Answer the verification GET with 200')
    expect(error.suggestions.join('\n')).to.contain('check-endpoint')
    scope.done()
  })

  describe('against the sandbox, each kind of failing endpoint says why', () => {
    afterEach(stopAll)

    const cases: [string, (request: any, response: any) => void, RegExp, string][] = [
      [
        'a wrong body',
        (_q, r) => r.writeHead(200, {'Content-Type': 'application/json'}).end('{"verification":"nope"}'),
        /does not echo the challenge/,
        'body',
      ],
      ['an HTTP 500', (_q, r) => r.writeHead(500).end(), /HTTP 500; expected 200/, 'http-status'],
      [
        'text/plain',
        (q, r) =>
          r.writeHead(200, {'Content-Type': 'text/plain'}).end(String(q.headers['x-okta-verification-challenge'])),
        /Content-Type text\/plain/,
        'content-type',
      ],
      [
        'no answer in time',
        (q, r) => setTimeout(() => okReceiver(q, r), 300),
        /no response within 0\.1 seconds/,
        'timeout',
      ],
    ]
    for (const [what, handler, reason, kind] of cases) {
      it(`${what}: exit 5, the reason in the message and details.failure`, async () => {
        const t = await startSandbox({verifyTimeoutMs: 100})
        const receiver = await startReceiver(handler)
        const {body: hook} = await t.api('POST', '/api/v1/eventHooks', hookBody(receiver.url))
        const {exitCode, json} = await runCommand(Verify, [hook.id, '--json'], {
          env: {OKTA_CLIENT_ORGURL: t.url, OKTA_CLIENT_TOKEN: t.sandbox.token},
        })
        expect(exitCode).to.equal(5)
        expect(json.error.message).to.match(reason)
        expect(json.error.details.failure.kind).to.equal(kind)
        expect(json.verified).to.equal(false)
      })
    }

    it('connection refused, for a person: the reason, and what to check', async () => {
      const t = await startSandbox()
      const {body: hook} = await t.api('POST', '/api/v1/eventHooks', hookBody('http://127.0.0.1:9/okta'))
      const {exitCode, stderr} = await runCommand(Verify, [hook.id], {
        env: {OKTA_CLIENT_ORGURL: t.url, OKTA_CLIENT_TOKEN: t.sandbox.token},
      })
      expect(exitCode).to.equal(5)
      expect(stderr).to.contain(
        `Error: Okta could not verify the event hook "Test hook" (${hook.id}) at http://127.0.0.1:9/okta: connection failure: ECONNREFUSED.`,
      )
      expect(stderr).to.contain("  - The System Log's event_hook.verified (")
      expect(stderr).to.contain(
        "Try: Nothing accepted Okta's connection at http://127.0.0.1:9/okta: is the endpoint running, and is its port open to the internet?",
      )
    })
  })

  it('an unknown hook exits 4 before anything is verified', async () => {
    const scope = nock(ORG)
      .get(`/api/v1/eventHooks/whoMissing0001`)
      .reply(404, {
        errorCauses: [],
        errorCode: 'E0000007',
        errorSummary: 'Not found: Resource not found: whoMissing0001 (EventHook)',
      })
      .get('/api/v1/eventHooks')
      .reply(200, [hookFixture()])
    const {exitCode, stderr} = await runCommand(Verify, ['whoMissing0001'], {env: orgEnv})
    expect(exitCode).to.equal(4)
    expect(stderr).to.contain('No event hook has the id or name "whoMissing0001".').and.contain('okta-hooks list')
    scope.done()
  })
})
