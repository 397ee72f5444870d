/**
 * The built CLI loads the `yaml` library (dist/vendor/yaml.cjs) only when it needs it: not for a
 * hooks file in plain block YAML (read by plain-yaml.ts), but for any other YAML, and for the
 * library's own syntax errors. A preload (--require, through NODE_OPTIONS) records at exit whether
 * the vendor bundle was required. No org is given: plan reads and checks the file, then stops at
 * the missing org URL (exit 2), or at the file's problem.
 */
import {expect} from 'chai'
import {readFileSync, writeFileSync} from 'node:fs'

import {assertBuilt, describeRun, runCli, Workspace} from './helpers/cli.js'

const PLAIN = `hooks:
  - name: User sync
    url: https://hooks.example.com/okta
    events:
      - user.lifecycle.create
`

describe('e2e: the yaml library is loaded only when a hooks file needs it', function () {
  this.timeout(60_000)
  let workspace: Workspace

  before(() => {
    assertBuilt()
    workspace = new Workspace('yaml-loading')
    writeFileSync(
      workspace.path('preload.cjs'),
      "process.on('exit', () => require('node:fs').writeFileSync(process.env.LOADED_FILE, " +
        "String(Object.keys(require.cache).some((file) => file.endsWith('vendor/yaml.cjs')))))\n",
    )
  })

  after(() => workspace.remove())

  const plan = async (name: string, text: string) => {
    writeFileSync(workspace.path(name), text)
    const loaded = workspace.path(`${name}.loaded`)
    const env = {LOADED_FILE: loaded, NODE_OPTIONS: `--require ${workspace.path('preload.cjs')}`}
    const result = await runCli(['plan', '--file', name], {cwd: workspace.dir, env: workspace.env(env)})
    return {loaded: readFileSync(loaded, 'utf8'), result}
  }

  it('a plain file: read and checked without it (then no org URL: exit 2)', async () => {
    const {loaded, result} = await plan('plain.yaml', PLAIN)
    expect(result.code, describeRun(result)).to.equal(2)
    expect(result.stderr).to.contain('No Okta org URL given')
    expect(loaded).to.equal('false')
  })

  it('flow style, and a syntax error: the library reads them, the error with its line', async () => {
    const flow = await plan('flow.yaml', PLAIN.replace('\n      - user.lifecycle.create', ' [user.lifecycle.create]'))
    expect(flow.result.code, describeRun(flow.result)).to.equal(2)
    expect(flow.result.stderr).to.contain('No Okta org URL given')
    expect(flow.loaded).to.equal('true')
    const broken = await plan('broken.yaml', `${PLAIN}    filters: [unclosed\n`)
    expect(broken.result.code, describeRun(broken.result)).to.equal(2)
    expect(broken.result.stderr).to.match(/broken\.yaml:7:\d+: /)
    expect(broken.loaded).to.equal('true')
  })
})
