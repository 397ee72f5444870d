/**
 * stdin is read only where a flag says so (--token-stdin, --auth-secret-stdin, --file -): never taken as
 * an argument that was not given (oclif's parser does that unless told not to), so a token piped to
 * `export --token-stdin` reaches --token-stdin, and a pipe does not become `event-types`' search.
 */
import {expect} from 'chai'

import {assertBuilt, runCli, Workspace} from './helpers/cli.js'
import {type Sandbox, startSandbox} from './helpers/processes.js'

describe('e2e: stdin is never an argument', () => {
  let ws: Workspace
  let sandbox: Sandbox

  before(async () => {
    assertBuilt()
    ws = new Workspace('stdin')
    sandbox = await startSandbox(ws)
  })

  after(async () => {
    await sandbox?.stop()
    ws?.remove()
  })

  it('export --token-stdin without a HOOK gets the piped token, and exports every hook', async () => {
    const env = ws.env({OKTA_CLIENT_ORGURL: sandbox.connection.OKTA_CLIENT_ORGURL, OKTA_CLIENT_TOKEN: undefined})
    const result = await runCli(['export', '--token-stdin'], {env, input: sandbox.connection.OKTA_CLIENT_TOKEN})
    expect(result.code, result.stderr).to.equal(0)
    expect(result.stdout).to.match(/hooks:/)
    expect(result.stdout + result.stderr).to.not.contain(sandbox.connection.OKTA_CLIENT_TOKEN)
  })

  it('event-types without SEARCH lists every type whatever is piped to it', async () => {
    const result = await runCli(['event-types'], {env: ws.env(), input: 'no-such-event-type'})
    expect(result.code, result.stderr).to.equal(0)
    expect(result.stdout).to.contain('user.lifecycle.create')
  })
})
