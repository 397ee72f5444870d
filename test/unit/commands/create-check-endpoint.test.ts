import {expect} from 'chai'
import http from 'node:http'
import type {AddressInfo} from 'node:net'
import nock from 'nock'

import Create from '../../../src/commands/create.js'
import {hookFixture} from '../../fixtures/hooks/index.js'
import {ORG, orgEnv, runCommand} from '../../helpers/run-command.js'

const SECRET = 'check-endpoint-secret-4d2a'

/** A receiver on 127.0.0.1: `good` answers as Okta requires; otherwise it echoes the challenge as plain text. */
async function endpoint(good: boolean): Promise<{close: () => Promise<void>; requests: string[]; url: string}> {
  const requests: string[] = []
  const server = http.createServer((req, res) => {
    requests.push(`${req.method} ${req.headers.authorization === SECRET ? 'auth' : 'no-auth'}`)
    req.resume()
    req.on('end', () => {
      if (req.headers.authorization !== SECRET) return res.writeHead(401).end()
      const challenge = req.headers['x-okta-verification-challenge']
      if (req.method === 'GET' && good)
        return res.writeHead(200, {'Content-Type': 'application/json'}).end(JSON.stringify({verification: challenge}))
      if (req.method === 'GET') return res.writeHead(200, {'Content-Type': 'text/plain'}).end(String(challenge))
      res.writeHead(204).end()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    close: () => new Promise((resolve) => server.close(() => resolve())),
    requests,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/okta`,
  }
}

describe('create --check-endpoint', () => {
  it("rehearses Okta's calls against the URL, then creates the hook when every check passes", async () => {
    const receiver = await endpoint(true)
    try {
      const scope = nock(ORG)
        .post('/api/v1/eventHooks')
        .reply(
          200,
          hookFixture({
            channel: {...hookFixture().channel, config: {...hookFixture().channel.config, uri: receiver.url}},
            verificationStatus: 'UNVERIFIED',
          }),
        )
      const args = [
        '--name',
        'User sync',
        '--url',
        receiver.url,
        '--event',
        'user.lifecycle.create',
        '--auth-secret-env',
        'HOOK_SECRET',
        '--check-endpoint',
        '--json',
      ]
      const {exitCode, json, stderr} = await runCommand(Create, args, {env: {...orgEnv, HOOK_SECRET: SECRET}})
      expect(exitCode, stderr).to.equal(0)
      expect(json.created).to.equal(true)
      expect(stderr).to.contain('verification GET')
      expect(receiver.requests).to.include('GET auth').and.include('POST auth').and.include('POST no-auth')
      expect(stderr + JSON.stringify(json)).to.not.contain(SECRET)
      scope.done()
    } finally {
      await receiver.close()
    }
  })

  it('creates nothing and exits 5 with the failed checks when the endpoint answers the challenge wrongly', async () => {
    const receiver = await endpoint(false)
    try {
      // No nock scope: any call to Okta would fail on disableNetConnect.
      const args = [
        '--name',
        'User sync',
        '--url',
        receiver.url,
        '--event',
        'user.lifecycle.create',
        '--auth-secret-env',
        'HOOK_SECRET',
        '--check-endpoint',
        '--json',
      ]
      const {exitCode, json} = await runCommand(Create, args, {env: {...orgEnv, HOOK_SECRET: SECRET}})
      expect(exitCode).to.equal(5)
      expect(json.error.code).to.equal('CHECK_FAILED')
      expect(json.error.message).to.contain('nothing was created')
      expect(json.error.causes.join(' ')).to.match(/verification GET/)
      expect(nock.pendingMocks()).to.deep.equal([])
    } finally {
      await receiver.close()
    }
  })
})
