import {expect} from 'chai'
import nock from 'nock'

import Verify from '../../../src/commands/verify.js'
import {hookFixture} from '../../fixtures/hooks/index.js'
import {ORG, orgEnv, runCommand} from '../../helpers/run-command.js'

const ID = 'who8vt36qfNpCGz9H1e6'
const VERIFY_FAILED = {
  errorCauses: [{errorSummary: 'Unable to verify event hook. Hook User sync execution failed'}],
  errorCode: 'E0000001',
  errorId: 'oaeVerifyFailed01',
  errorLink: 'E0000001',
  errorSummary: 'Api validation failed: eventHook',
}

describe('verify', () => {
  it('runs Okta\'s verification and says VERIFIED', async () => {
    const scope = nock(ORG)
      .get(`/api/v1/eventHooks/${ID}`)
      .reply(200, hookFixture({verificationStatus: 'UNVERIFIED'}))
      .post(`/api/v1/eventHooks/${ID}/lifecycle/verify`, (body) => body === '' || body === undefined)
      .reply(200, hookFixture())
    const {error, exitCode, stdout} = await runCommand(Verify, [ID], {env: orgEnv})
    expect(error).to.equal(undefined)
    expect(exitCode).to.equal(0)
    expect(stdout).to.equal(`"User sync" (${ID}) is VERIFIED: Okta's challenge to https://hooks.example.com/okta was answered.\n`)
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

  it('a failed verification exits 5 with Okta\'s causes and what the endpoint must do', async () => {
    const scope = nock(ORG)
      .get(`/api/v1/eventHooks/${ID}`)
      .reply(200, hookFixture({verificationStatus: 'UNVERIFIED'}))
      .post(`/api/v1/eventHooks/${ID}/lifecycle/verify`)
      .reply(400, VERIFY_FAILED)
    const {exitCode, stderr, stdout} = await runCommand(Verify, [ID], {env: orgEnv})
    expect(exitCode).to.equal(5)
    expect(stdout).to.equal('')
    expect(stderr).to.contain(`Error: Okta could not verify the event hook "User sync" (${ID}) at https://hooks.example.com/okta.`)
    expect(stderr).to.contain('  - Unable to verify event hook. Hook User sync execution failed')
    expect(stderr).to.contain('X-Okta-Verification-Challenge').and.contain('within 3 seconds')
    expect(stderr).to.contain('{"verification": "<the challenge value>"}')
    expect(stderr).to.contain('okta-hooks check-endpoint https://hooks.example.com/okta')
    scope.done()
  })

  it('a failed verification under --json is one JSON error with exit code 5 and the causes', async () => {
    const scope = nock(ORG)
      .get(`/api/v1/eventHooks/${ID}`)
      .reply(200, hookFixture({verificationStatus: 'UNVERIFIED'}))
      .post(`/api/v1/eventHooks/${ID}/lifecycle/verify`)
      .reply(400, VERIFY_FAILED)
    const {exitCode, stdout} = await runCommand(Verify, [ID, '--json'], {env: orgEnv})
    expect(exitCode).to.equal(5)
    const {error} = JSON.parse(stdout)
    expect(error).to.include({code: 'VERIFICATION_FAILED', exitCode: 5})
    expect(error.causes).to.deep.equal(['Unable to verify event hook. Hook User sync execution failed'])
    expect(error.details).to.deep.include({errorId: 'oaeVerifyFailed01', httpStatus: 400})
    expect(error.suggestions.join('\n')).to.contain('check-endpoint')
    scope.done()
  })

  it('an unknown hook exits 4 before anything is verified', async () => {
    const scope = nock(ORG)
      .get(`/api/v1/eventHooks/whoMissing0001`)
      .reply(404, {errorCauses: [], errorCode: 'E0000007', errorSummary: 'Not found: Resource not found: whoMissing0001 (EventHook)'})
      .get('/api/v1/eventHooks')
      .reply(200, [hookFixture()])
    const {exitCode, stderr} = await runCommand(Verify, ['whoMissing0001'], {env: orgEnv})
    expect(exitCode).to.equal(4)
    expect(stderr).to.contain('No event hook has the id or name "whoMissing0001".').and.contain('okta-hooks list')
    scope.done()
  })
})
