import {expect} from 'chai'
import nock from 'nock'

import List from '../../../src/commands/list.js'
import {hookFixture} from '../../fixtures/hooks/index.js'
import {ORG, orgEnv, runCommand, TEST_TOKEN} from '../../helpers/run-command.js'

describe('list', () => {
  it('prints a table of hooks with the SSWS token and okta-hooks user agent', async () => {
    const scope = nock(ORG, {
      reqheaders: {authorization: `SSWS ${TEST_TOKEN}`, 'user-agent': /^okta-hooks\/\d+\.\d+\.\d+/},
    })
      .get('/api/v1/eventHooks')
      .reply(200, [
        hookFixture(),
        hookFixture({id: 'who2', name: 'Other', status: 'INACTIVE', verificationStatus: 'UNVERIFIED'}),
      ])
    const {error, exitCode, stdout} = await runCommand(List, [], {env: orgEnv})
    expect(error).to.equal(undefined)
    expect(exitCode).to.equal(0)
    expect(stdout).to.match(/ID\s.*NAME\s.*STATUS\s.*VERIFICATION\s.*EVENTS\s.*URL/)
    expect(stdout)
      .to.contain('who8vt36qfNpCGz9H1e6')
      .and.contain('User sync')
      .and.contain('https://hooks.example.com/okta')
    scope.done()
  })

  it('filters by status and verification, and --json is one document with header values masked', async () => {
    const scope = nock(ORG)
      .get('/api/v1/eventHooks')
      .reply(200, [
        hookFixture(),
        hookFixture({id: 'who2', name: 'Other', status: 'INACTIVE', verificationStatus: 'UNVERIFIED'}),
      ])
    const {exitCode, json, stderr} = await runCommand(
      List,
      ['--status', 'INACTIVE', '--verification', 'UNVERIFIED', '--json'],
      {env: orgEnv},
    )
    expect(exitCode).to.equal(0)
    expect(stderr).to.equal('')
    expect(json.hooks.map((h: any) => h.id)).to.deep.equal(['who2'])
    expect(json.hooks[0].channel.config.headers).to.deep.equal([{key: 'X-Other-Header', value: '****'}])
    scope.done()
  })

  it('without an org URL fails with exit 2 naming where it can come from', async () => {
    const {exitCode, stderr} = await runCommand(List, [], {env: {OKTA_CLIENT_TOKEN: TEST_TOKEN}})
    expect(exitCode).to.equal(2)
    expect(stderr).to.contain('No Okta org URL given').and.contain('OKTA_CLIENT_ORGURL')
  })

  it('without a token fails with exit 3 and a JSON error under --json', async () => {
    const {exitCode, json} = await runCommand(List, ['--json'], {env: {OKTA_CLIENT_ORGURL: ORG}})
    expect(exitCode).to.equal(3)
    expect(json.error.code).to.equal('CREDENTIALS_MISSING')
    expect(json.error.suggestions.join(' ')).to.contain('--token-stdin')
  })

  it('reads the token from stdin with --token-stdin', async () => {
    const scope = nock(ORG, {reqheaders: {authorization: 'SSWS from-stdin-token-123456'}})
      .get('/api/v1/eventHooks')
      .reply(200, [])
    const {exitCode, stderr, stdout} = await runCommand(List, ['--token-stdin', '--org-url', ORG], {
      stdin: 'from-stdin-token-123456\n',
    })
    expect(exitCode).to.equal(0)
    expect(stderr).to.contain('No event hooks match.')
    expect(stdout, 'a note is not data: stdout stays empty').to.equal('')
    scope.done()
  })

  it('waits out a 429 using X-Rate-Limit-Reset and says so on stderr', async () => {
    const reset = Math.floor(Date.now() / 1000) + 1
    const scope = nock(ORG)
      .get('/api/v1/eventHooks')
      .reply(
        429,
        {errorCode: 'E0000047', errorSummary: 'API call exceeded rate limit due to too many requests.'},
        {'X-Rate-Limit-Reset': String(reset)},
      )
      .get('/api/v1/eventHooks')
      .reply(200, [hookFixture()])
    const {exitCode, stderr, json} = await runCommand(List, ['--json'], {env: orgEnv})
    expect(exitCode).to.equal(0)
    expect(stderr).to.match(/rate limit reached on GET \/api\/v1\/eventHooks; waiting \d+\.\ds/)
    expect(json.hooks).to.have.length(1)
    scope.done()
  })
})
