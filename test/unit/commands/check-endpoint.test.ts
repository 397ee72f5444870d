import {expect} from 'chai'

import CheckEndpoint from '../../../src/commands/check-endpoint.js'
import {runCommand} from '../../helpers/run-command.js'
import {testEndpoint} from '../endpoint-check/endpoints.js'

const SECRET = 'endpoint-secret-1234'
const env = {HOOK_SECRET: SECRET}

describe('check-endpoint', () => {
  it('prints a table of checks and exits 0 for a right endpoint; the secret never shows', async () => {
    const endpoint = await testEndpoint('good', {secret: SECRET})
    try {
      const {error, exitCode, stderr, stdout} = await runCommand(
        CheckEndpoint,
        [endpoint.url, '--auth-secret-env', 'HOOK_SECRET', '--header', 'X-Tenant: acme'],
        {env},
      )
      expect(error).to.equal(undefined)
      expect(exitCode).to.equal(0)
      expect(stdout).to.match(/RESULT\s+CHECK\s+TIME\s+DETAIL/)
      expect(stdout).to.match(/PASS\s+verification GET\s+\d+ ms/)
      expect(stdout).to.match(/PASS\s+delivery without auth header\s+\d+ ms\s+refused with 401/)
      expect(stdout).to.contain('5 passed, 1 warned, 0 failed, 0 skipped.')
      expect(stdout + stderr).not.to.contain(SECRET)
      expect(endpoint.requests[0].headers['x-tenant']).to.equal('acme')
    } finally {
      await endpoint.close()
    }
  })

  it('--json returns every check and exits 5 when one fails (challenge echoed as plain text)', async () => {
    const endpoint = await testEndpoint('plain-text-challenge', {secret: SECRET})
    try {
      const {exitCode, json, stderr} = await runCommand(
        CheckEndpoint,
        [endpoint.url, '--auth-secret-env', 'HOOK_SECRET', '--json'],
        {env},
      )
      expect(exitCode).to.equal(5)
      expect(stderr).to.equal('')
      expect(json.ok).to.equal(false)
      expect(json.checks.map((c: any) => c.id)).to.deep.equal([
        'scheme',
        'verification',
        'delivery',
        'no-auth',
        'batch',
        'duplicate',
      ])
      expect(json.checks[1]).to.include({httpStatus: 200, status: 'fail'})
    } finally {
      await endpoint.close()
    }
  })

  it('exits 5 for a 500 endpoint, and warns on stderr when no auth is configured', async () => {
    const endpoint = await testEndpoint('server-error')
    try {
      const {exitCode, stderr, stdout} = await runCommand(CheckEndpoint, [endpoint.url], {env})
      expect(exitCode).to.equal(5)
      expect(stdout).to.match(/FAIL\s+delivery\s+\d+ ms\s+500/)
      expect(stdout).to.match(/SKIP\s+delivery without auth header/)
      expect(stdout).to.contain('Okta would not accept')
      expect(stderr).to.contain('Warning: No auth header configured')
    } finally {
      await endpoint.close()
    }
  })

  it("fails a slow endpoint against the --receiver-timeout budget (Okta's 3s by default)", async () => {
    const endpoint = await testEndpoint('slow', {slowMs: 300})
    try {
      const {exitCode, json} = await runCommand(
        CheckEndpoint,
        [endpoint.url, '--json', '--receiver-timeout', '100ms'],
        {env},
      )
      expect(exitCode).to.equal(5)
      const byId = Object.fromEntries(json.checks.map((c: any) => [c.id, c]))
      expect(byId.verification.status).to.equal('fail')
      expect(byId.verification.detail).to.contain('no answer within 100ms')
      expect(byId.delivery.status).to.equal('fail')
      expect(byId.batch.status).to.equal('skip')
      expect(CheckEndpoint.flags['receiver-timeout'].default).to.equal(3000)
      expect(byId.delivery.verdict).to.equal('failed')
    } finally {
      await endpoint.close()
    }
  })

  it('refuses bad input with exit 2: not a URL, unknown event type, malformed --header', async () => {
    const notUrl = await runCommand(CheckEndpoint, ['not a url'])
    expect(notUrl.exitCode).to.equal(2)
    expect(notUrl.stderr).to.contain('is not a URL')
    const badEvent = await runCommand(CheckEndpoint, ['https://hooks.example.com/x', '--event', 'user.lifecycle.creat'])
    expect(badEvent.exitCode).to.equal(2)
    expect(badEvent.stderr).to.contain('Did you mean')
    const badHeader = await runCommand(CheckEndpoint, ['https://hooks.example.com/x', '--header', 'NoColon'])
    expect(badHeader.exitCode).to.equal(2)
    expect(badHeader.stderr).to.contain('is not in the form "Name: value"')
  })
})
