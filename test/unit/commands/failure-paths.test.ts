/**
 * Every command that talks to Okta, through every way a call can fail: Okta's 4xx errors, rate
 * limits, 5xx, timeouts, refused connections and bad flags. Under --json, stdout is always exactly
 * one JSON document (success or error), so each --json case parses the whole of stdout.
 */
import {expect} from 'chai'
import nock from 'nock'

import Activate from '../../../src/commands/activate.js'
import Deactivate from '../../../src/commands/deactivate.js'
import Delete from '../../../src/commands/delete.js'
import Get from '../../../src/commands/get.js'
import List from '../../../src/commands/list.js'
import Verify from '../../../src/commands/verify.js'
import {isIdempotent} from '../../../src/lib/okta/retry-policy.js'
import {hookFixture} from '../../fixtures/hooks/index.js'
import {ORG, orgEnv, runCommand} from '../../helpers/run-command.js'

const ID = 'who8vt36qfNpCGz9H1e6'
const HOOK_PATH = `/api/v1/eventHooks/${ID}`

interface Spec {
  argv: string[]
  /** Exit code for Okta's 400 E0000001 (verify turns it into a failed verification, 5). */
  badRequestExit: number
  /** Calls made (and answered) before the one under test. */
  before: (scope: nock.Scope) => nock.Scope
  Cmd: any
  /** Calls made after a 404 on the call under test (get falls back to matching names). */
  after404?: (scope: nock.Scope) => nock.Scope
  method: 'DELETE' | 'GET' | 'POST'
  name: string
  path: string
  success: [number, unknown?]
}

const SPECS: Spec[] = [
  {
    argv: [],
    badRequestExit: 2,
    before: (s) => s,
    Cmd: List,
    method: 'GET',
    name: 'list',
    path: '/api/v1/eventHooks',
    success: [200, [hookFixture()]],
  },
  {
    after404: (s) => s.get('/api/v1/eventHooks').reply(200, []),
    argv: [ID],
    badRequestExit: 2,
    before: (s) => s,
    Cmd: Get,
    method: 'GET',
    name: 'get',
    path: HOOK_PATH,
    success: [200, hookFixture()],
  },
  {
    argv: [ID],
    badRequestExit: 5,
    before: (s) => s.get(HOOK_PATH).reply(200, hookFixture({verificationStatus: 'UNVERIFIED'})),
    Cmd: Verify,
    method: 'POST',
    name: 'verify',
    path: `${HOOK_PATH}/lifecycle/verify`,
    success: [200, hookFixture()],
  },
  {
    argv: [ID],
    badRequestExit: 2,
    before: (s) => s.get(HOOK_PATH).reply(200, hookFixture({status: 'INACTIVE'})),
    Cmd: Activate,
    method: 'POST',
    name: 'activate',
    path: `${HOOK_PATH}/lifecycle/activate`,
    success: [200, hookFixture()],
  },
  {
    argv: [ID],
    badRequestExit: 2,
    before: (s) => s.get(HOOK_PATH).reply(200, hookFixture()),
    Cmd: Deactivate,
    method: 'POST',
    name: 'deactivate',
    path: `${HOOK_PATH}/lifecycle/deactivate`,
    success: [200, hookFixture({status: 'INACTIVE'})],
  },
  {
    argv: [ID, '--yes'],
    badRequestExit: 2,
    before: (s) => s.get(HOOK_PATH).reply(200, hookFixture({status: 'INACTIVE'})),
    Cmd: Delete,
    method: 'DELETE',
    name: 'delete',
    path: HOOK_PATH,
    success: [204],
  },
]

const E400 = {
  errorCauses: [
    {errorSummary: 'channel.config.uri: The URI must use https'},
    {errorSummary: 'name: The field cannot be left blank'},
  ],
  errorCode: 'E0000001',
  errorId: 'oae400cause0001',
  errorLink: 'E0000001',
  errorSummary: 'Api validation failed: eventHook',
}
const E401 = {
  errorCauses: [],
  errorCode: 'E0000011',
  errorId: 'oae401',
  errorLink: 'E0000011',
  errorSummary: 'Invalid token provided',
}
const E403 = {
  errorCauses: [],
  errorCode: 'E0000006',
  errorId: 'oae403',
  errorLink: 'E0000006',
  errorSummary: 'You do not have permission to perform the requested action',
}
const E404 = {
  errorCauses: [],
  errorCode: 'E0000007',
  errorId: 'oae404',
  errorLink: 'E0000007',
  errorSummary: `Not found: Resource not found: ${ID} (EventHook)`,
}
const E429 = {
  errorCauses: [],
  errorCode: 'E0000047',
  errorId: 'oae429',
  errorLink: 'E0000047',
  errorSummary: 'API call exceeded rate limit due to too many requests.',
}
const E503 = {
  errorCauses: [],
  errorCode: 'E0000010',
  errorId: 'oae503',
  errorLink: 'E0000010',
  errorSummary: 'Service is in read only mode',
}

/** What a refused TCP connection looks like to node-fetch (nock needs an Error instance, or the request hangs). */
const refused = () => Object.assign(new Error('connect ECONNREFUSED 192.0.2.1:443'), {code: 'ECONNREFUSED'})

/** The whole of stdout is one JSON document (JSON.parse throws on anything before or after it). */
function oneJsonDocument(stdout: string): any {
  expect(stdout.endsWith('\n'), 'stdout ends with one newline').to.equal(true)
  return JSON.parse(stdout)
}

function callUnderTest(spec: Spec, scope: nock.Scope): nock.Interceptor {
  return scope.intercept(spec.path, spec.method)
}

function succeed(spec: Spec, scope: nock.Scope): nock.Scope {
  return callUnderTest(spec, scope).reply(...(spec.success as [number, any]))
}

const where = (spec: Spec) => `${spec.method} ${spec.path}`

for (const spec of SPECS) {
  describe(`${spec.name}: failure paths`, () => {
    it("400 E0000001: Okta's causes are shown", async () => {
      const scope = callUnderTest(spec, spec.before(nock(ORG))).reply(400, E400)
      const {exitCode, stderr, stdout} = await runCommand(spec.Cmd, spec.argv, {env: orgEnv})
      expect(exitCode).to.equal(spec.badRequestExit)
      expect(stdout).to.equal('')
      expect(stderr).to.contain(
        '  - channel.config.uri: The URI must use https\n  - name: The field cannot be left blank',
      )
      scope.done()
    })

    it('400 E0000001 under --json: one JSON error with the causes', async () => {
      const scope = callUnderTest(spec, spec.before(nock(ORG))).reply(400, E400)
      const {exitCode, stdout} = await runCommand(spec.Cmd, [...spec.argv, '--json'], {env: orgEnv})
      expect(exitCode).to.equal(spec.badRequestExit)
      const {error} = oneJsonDocument(stdout)
      expect(error.exitCode).to.equal(spec.badRequestExit)
      expect(error.code).to.equal(spec.badRequestExit === 5 ? 'VERIFICATION_FAILED' : 'E0000001')
      expect(error.causes).to.deep.equal([
        'channel.config.uri: The URI must use https',
        'name: The field cannot be left blank',
      ])
      expect(error.details).to.deep.include({errorId: 'oae400cause0001', httpStatus: 400, request: where(spec)})
      scope.done()
    })

    it('401 E0000011: exit 3 with where to get a token', async () => {
      const scope = callUnderTest(spec, spec.before(nock(ORG))).reply(401, E401)
      const {exitCode, stderr} = await runCommand(spec.Cmd, spec.argv, {env: orgEnv})
      expect(exitCode).to.equal(3)
      expect(stderr).to.contain(`Okta rejected the credentials (401 on ${where(spec)}): Invalid token provided`)
      expect(stderr).to.contain(
        'Try: The API token may be wrong, expired or revoked: create a new one under Security > API > Tokens',
      )
      scope.done()
    })

    it('403 E0000006 under --json: exit 3, one JSON error', async () => {
      const scope = callUnderTest(spec, spec.before(nock(ORG))).reply(403, E403)
      const {exitCode, stdout} = await runCommand(spec.Cmd, [...spec.argv, '--json'], {env: orgEnv})
      expect(exitCode).to.equal(3)
      const {error} = oneJsonDocument(stdout)
      expect(error).to.include({code: 'E0000006', exitCode: 3})
      expect(error.message).to.contain(`Okta denied permission (403 on ${where(spec)})`)
      expect(error.suggestions.join(' ')).to.contain('admin role')
      scope.done()
    })

    it('404 E0000007: exit 4', async () => {
      let scope = callUnderTest(spec, spec.before(nock(ORG))).reply(404, E404)
      if (spec.after404) scope = spec.after404(scope)
      const {exitCode, stderr, stdout} = await runCommand(spec.Cmd, spec.argv, {env: orgEnv})
      expect(exitCode).to.equal(4)
      expect(stdout).to.equal('')
      expect(stderr).to.match(spec.after404 ? /No event hook has the id or name/ : /Not found \(404 on /)
      scope.done()
    })

    it('429 then success: waits for X-Rate-Limit-Reset, says so on stderr, stdout stays one JSON document', async () => {
      const reset = String(Math.floor(Date.now() / 1000) + 1)
      const scope = succeed(
        spec,
        callUnderTest(spec, spec.before(nock(ORG))).reply(429, E429, {
          'X-Rate-Limit-Remaining': '0',
          'X-Rate-Limit-Reset': reset,
        }),
      )
      const {exitCode, stderr, stdout} = await runCommand(spec.Cmd, [...spec.argv, '--json'], {env: orgEnv})
      expect(exitCode).to.equal(0)
      expect(stderr).to.match(
        new RegExp(
          `Okta rate limit reached on ${spec.method} \\S+; waiting \\d\\.\\ds for it to reset \\(X-Rate-Limit-Reset\\)`,
        ),
      )
      expect(oneJsonDocument(stdout)).to.not.have.property('error')
      scope.done()
    })

    it('503 then success: retried, the retry shown on stderr', async () => {
      const scope = succeed(spec, callUnderTest(spec, spec.before(nock(ORG))).reply(503, E503))
      const {exitCode, stderr} = await runCommand(spec.Cmd, spec.argv, {env: orgEnv})
      expect(exitCode).to.equal(0)
      expect(stderr).to.match(
        new RegExp(`Okta answered 503 on ${spec.method} \\S+; retrying in \\d\\.\\ds \\(attempt 2 of 4\\)`),
      )
      scope.done()
    })

    it('503 persisting: exit 6 after 4 attempts, one JSON error', async () => {
      const scope = callUnderTest(spec, spec.before(nock(ORG)))
        .times(4)
        .reply(503, E503)
      const {exitCode, stderr, stdout} = await runCommand(spec.Cmd, [...spec.argv, '--json'], {env: orgEnv})
      expect(exitCode).to.equal(6)
      expect(stderr.match(/retrying in/g)).to.have.length(3)
      const {error} = oneJsonDocument(stdout)
      expect(error).to.include({code: 'E0000010', exitCode: 6})
      expect(error.message).to.contain(`Okta failed (503 on ${where(spec)}): Service is in read only mode`)
      scope.done()
    })

    if (!isIdempotent(spec.method, spec.path)) {
      it('a timeout on a POST that creates: exit 6 at once (it is not repeated blindly)', async () => {
        const scope = callUnderTest(spec, spec.before(nock(ORG)))
          .delay(300)
          .reply(...(spec.success as [number, any]))
        const {exitCode, stderr} = await runCommand(spec.Cmd, [...spec.argv, '--timeout', '0.05'], {env: orgEnv})
        expect(exitCode).to.equal(6)
        expect(stderr).to.contain(`Could not reach Okta: ${where(spec)}: no answer within 0.05s`)
        expect(stderr).to.not.contain('retrying')
        scope.done()
      })
    } else {
      // Timeouts are real timers (src/lib/clock.ts): the second answer has 0.3 s, far more than it needs on a busy machine.
      it('a timeout: retried, then success', async () => {
        const scope = succeed(
          spec,
          callUnderTest(spec, spec.before(nock(ORG)))
            .delay(3000)
            .reply(...(spec.success as [number, any])),
        )
        const {exitCode, stderr, stdout} = await runCommand(spec.Cmd, [...spec.argv, '--timeout', '0.3', '--json'], {
          env: orgEnv,
        })
        expect(exitCode, stderr).to.equal(0)
        expect(stderr).to.match(
          new RegExp(`${spec.method} \\S+: no answer within 0\\.3s; retrying in \\d\\.\\ds \\(attempt 2 of 4\\)`),
        )
        expect(oneJsonDocument(stdout)).to.not.have.property('error')
        scope.done()
      })
    }

    it('connection refused: retried, then exit 6 with one JSON error', async () => {
      const scope = callUnderTest(spec, spec.before(nock(ORG)))
        .times(4)
        .replyWithError(refused())
      const {exitCode, stderr, stdout} = await runCommand(spec.Cmd, [...spec.argv, '--json'], {env: orgEnv})
      expect(exitCode).to.equal(6)
      expect(stderr.match(/ECONNREFUSED.*retrying in/g)).to.have.length(3)
      const {error} = oneJsonDocument(stdout)
      expect(error).to.include({code: 'NETWORK', exitCode: 6})
      expect(error.message)
        .to.contain(`Could not reach Okta: ${where(spec)}: ECONNREFUSED`)
        .and.contain('(gave up after 4 attempts)')
      scope.done()
    })

    it('an unknown flag: exit 2, nothing sent', async () => {
      const {exitCode, stderr, stdout} = await runCommand(spec.Cmd, [...spec.argv, '--no-such-flag'], {env: orgEnv})
      expect(exitCode).to.equal(2)
      expect(stdout).to.equal('')
      expect(stderr).to.contain('Error: Nonexistent flag: --no-such-flag').and.contain('See --help')
    })

    it('an unknown flag under --json: stdout is only {error: {code, message, exitCode}}', async () => {
      const {exitCode, stdout} = await runCommand(spec.Cmd, [...spec.argv, '--json', '--no-such-flag'], {env: orgEnv})
      expect(exitCode).to.equal(2)
      expect(oneJsonDocument(stdout)).to.deep.equal({
        error: {
          code: 'USAGE',
          exitCode: 2,
          message: 'Nonexistent flag: --no-such-flag',
          suggestions: ['See --help for the flags and examples'],
        },
      })
    })
  })
}

describe('a real refused connection (a closed port on 127.0.0.1)', () => {
  it('list: exit 6 after retries, naming the address', async () => {
    const {createServer} = await import('node:net')
    const server = createServer()
    await new Promise<void>((resolve) => {
      server.listen(0, '127.0.0.1', resolve)
    })
    const {port} = server.address() as {port: number}
    await new Promise((resolve) => {
      server.close(resolve)
    })
    const {exitCode, stderr} = await runCommand(List, ['--org-url', `https://127.0.0.1:${port}`], {env: orgEnv})
    expect(exitCode).to.equal(6)
    expect(stderr)
      .to.contain(`Error: Could not reach Okta: GET /api/v1/eventHooks: ECONNREFUSED`)
      .and.contain('(gave up after 4 attempts)')
  })
})
