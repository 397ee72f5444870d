import {expect} from 'chai'
import nock from 'nock'

import Plan from '../../../src/commands/plan.js'
import {type HooksFixture, hooksFixture} from '../../helpers/hooks-files.js'
import {ORG, orgEnv, runCommand} from '../../helpers/run-command.js'
import {hookBody} from '../../helpers/sandbox.js'

const SECRET = 'plan-command-secret-81f0'

const FILE = (url: string) => `hooks:
  - name: User sync
    url: ${url}
    events: [user.lifecycle.create, user.lifecycle.deactivate]
    headers:
      X-Other-Header: other-value
    auth:
      valueFrom: env:SYNC_SECRET
`

describe('plan', () => {
  let f: HooksFixture
  let path: string
  let env: Record<string, string>
  beforeEach(async () => {
    f = await hooksFixture()
    env = {...f.env, SYNC_SECRET: SECRET}
    const {body} = await f.t.api('POST', '/api/v1/eventHooks', hookBody(f.receiver.url, {name: 'User sync'}))
    await f.t.api('POST', `/api/v1/eventHooks/${body.id}/lifecycle/verify`)
    path = f.write('hooks.yaml', FILE(f.receiver.url))
  })
  afterEach(async () => f.stop())

  it('no changes: exit 0, also with --detailed-exitcode', async () => {
    const result = await runCommand(Plan, ['--file', path, '--detailed-exitcode'], {env})
    expect([result.error, result.exitCode]).to.deep.equal([undefined, 0])
    expect(result.stdout).to.equal(`No changes: the org matches ${path} (1 hook).\n`)
    expect(result.stdout + result.stderr).not.to.include(SECRET)
  })

  it('drift: the plan, exit 0; with --detailed-exitcode exit 7, and under --json the plan beside an error', async () => {
    f.write('hooks.yaml', FILE(f.receiver.url).replace('other-value', 'new-value'))
    const text = await runCommand(Plan, ['--file', path], {env})
    expect([text.error, text.exitCode]).to.deep.equal([undefined, 0])
    expect(text.stdout).to.include('~ update "User sync"')
    expect(text.stdout).to.include('  channel.config.headers: X-Other-Header: other-value → X-Other-Header: new-value')
    expect(text.stdout).to.include(
      'then verify: the channel (URL, headers or auth) changes: Okta requires verifying again',
    )
    expect(text.stdout).to.include('Plan: 1 to update, 1 to verify; 0 unchanged.')

    const detailed = await runCommand(Plan, ['--file', path, '--detailed-exitcode'], {env})
    expect(detailed.exitCode).to.equal(7)
    expect(detailed.stdout).to.include('Plan: 1 to update, 1 to verify; 0 unchanged.')

    const json = await runCommand(Plan, ['--file', path, '--detailed-exitcode', '--json'], {env})
    expect(json.exitCode).to.equal(7)
    expect(json.stderr).to.equal(
      'Warning: "User sync" uses plain http on a loopback host: fine for a local ' +
        'stand-in, but a real Okta org refuses anything but https.\n',
    )
    expect(json.json.error).to.deep.equal({
      code: 'CHANGES_PENDING',
      exitCode: 7,
      message: `2 changes pending: the org differs from ${path}.`,
    })
    expect(json.json).to.deep.include({changesPending: true, file: path, org: f.t.url, prune: false})
    expect(json.json.hooks[0].changes).to.deep.equal([
      {
        after: {'X-Other-Header': 'new-value'},
        before: {'X-Other-Header': 'other-value'},
        field: 'channel.config.headers',
      },
    ])
    expect(json.json.steps.map((s: any) => s.kind)).to.deep.equal(['update', 'verify'])
    expect(JSON.stringify(json.json)).not.to.include(SECRET)

    const plain = await runCommand(Plan, ['--file', path, '--json'], {env})
    expect(plain.exitCode).to.equal(0)
    expect(plain.json).not.to.have.property('error')
  })

  it('a malformed file: exit 2 with file:line:column and the reason, before any call to Okta (no nock scope for it)', async () => {
    const bad = f.write(
      'bad.yaml',
      'hooks:\n  - name: A\n    url: https://h.example.com/a\n    event: [user.lifecycle.create]\n',
    )
    const result = await runCommand(Plan, ['--file', bad], {env: orgEnv})
    expect(result.exitCode).to.equal(2)
    expect(result.stdout).to.equal('')
    expect(result.stderr).to.include(`Error: ${bad} has 2 problems; nothing was sent to Okta.`)
    expect(result.stderr).to.include(`  - ${bad}:2:5: hooks[0]: the key "events" is required`)
    expect(result.stderr).to.include(`  - ${bad}:4:5: hooks[0].event: unknown key "event" (did you mean "events"?)`)

    const json = await runCommand(Plan, ['--file', bad, '--json'], {env: orgEnv})
    expect(json.exitCode).to.equal(2)
    expect(json.json.error).to.deep.include({code: 'INVALID_HOOKS_FILE', exitCode: 2})
    expect(json.json.error.details.problems[0]).to.deep.include({column: 5, file: bad, line: 2, path: 'hooks[0]'})
  })

  it('a file that does not exist, a bad --var: exit 2', async () => {
    const missing = await runCommand(Plan, ['--file', `${f.dir}/nope.yaml`], {env})
    expect(missing.exitCode).to.equal(2)
    expect(missing.stderr).to.include(`--file ${f.dir}/nope.yaml: no such file.`)
    const badVar = await runCommand(Plan, ['--file', path, '--var', 'nope'], {env})
    expect(badVar.exitCode).to.equal(2)
    expect(badVar.stderr).to.include('--var "nope" is not in the form NAME=VALUE')
  })

  it('needs the header secrets it compares, but only warns about auth secrets (never compared)', async () => {
    const noAuth = await runCommand(Plan, ['--file', path], {env: {...f.env, SYNC_SECRET: undefined}})
    expect([noAuth.error, noAuth.exitCode]).to.deep.equal([undefined, 0])
    expect(noAuth.stderr).to.include(
      `Warning: apply will need this secret, which cannot be read now: ${path}:8:18: auth.valueFrom: ` +
        `env:SYNC_SECRET: the environment variable SYNC_SECRET is not set or is empty`,
    )

    f.write(
      'hooks.yaml',
      FILE(f.receiver.url).replace('X-Other-Header: other-value', 'X-Other-Header: {valueFrom: env:OTHER_VALUE}'),
    )
    const noHeader = await runCommand(Plan, ['--file', path], {env})
    expect(noHeader.exitCode).to.equal(2)
    expect(noHeader.stderr).to.include(`Error: 1 secret of ${path} cannot be read; nothing was sent to Okta.`)
    expect(noHeader.stderr).to.include(
      `${path}:6:35: headers: env:OTHER_VALUE: the environment variable OTHER_VALUE is not set or is empty`,
    )
    expect(noHeader.stderr).to.include(
      'Try: Set each variable named (or write each file named), then run ' +
        'again; secrets never go in the hooks file itself',
    )
    const withHeader = await runCommand(Plan, ['--file', path], {env: {...env, OTHER_VALUE: 'other-value'}})
    expect(withHeader.stdout).to.match(/^No changes/)
  })

  it('reads the file from stdin with --file -, and variables from --var-file', async () => {
    const template = FILE('${RECEIVER}')
    const vars = f.write('vars.env', `# the receiver\nRECEIVER=${f.receiver.url}\n`)
    const result = await runCommand(Plan, ['--file', '-', '--var-file', vars], {env, stdin: template})
    expect([result.error, result.exitCode]).to.deep.equal([undefined, 0])
    expect(result.stdout).to.equal('No changes: the org matches (stdin) (1 hook).\n')
  })

  it('hooks the file does not name are listed, and are deletions with --prune', async () => {
    await f.t.api('POST', '/api/v1/eventHooks', hookBody(f.receiver.url, {name: 'By hand'}))
    const kept = await runCommand(Plan, ['--file', path, '--detailed-exitcode'], {env})
    expect(kept.exitCode).to.equal(0)
    expect(kept.stdout).to.match(/Not in the file, left alone \(--prune would delete it\): "By hand" \(who\w+\)/)
    const pruned = await runCommand(Plan, ['--file', path, '--prune', '--detailed-exitcode'], {env})
    expect(pruned.exitCode).to.equal(7)
    expect(pruned.stdout).to.match(
      /- delete "By hand" \(who\w+\): not in the file \(--prune\)\n {4}first deactivate: Okta deletes only INACTIVE hooks/,
    )
  })

  it('an Okta failure keeps its exit code (nock: 403 → 3)', async () => {
    const scope = nock(ORG).get('/api/v1/eventHooks').reply(403, {
      errorCauses: [],
      errorCode: 'E0000006',
      errorSummary: 'You do not have permission to perform the requested action',
    })
    const result = await runCommand(Plan, ['--file', path, '--json'], {env: {...orgEnv, SYNC_SECRET: SECRET}})
    expect(result.exitCode).to.equal(3)
    expect(result.json.error.code).to.equal('E0000006')
    scope.done()
  })
})
