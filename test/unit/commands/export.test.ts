import {expect} from 'chai'
import {existsSync, readFileSync} from 'node:fs'
import {join} from 'node:path'

import Export from '../../../src/commands/export.js'
import Plan from '../../../src/commands/plan.js'
import {type HooksFixture, hooksFixture} from '../../helpers/hooks-files.js'
import {runCommand} from '../../helpers/run-command.js'
import {hookBody} from '../../helpers/sandbox.js'

const SECRET = 'hook-secret-value' // the sandbox helper's hookBody secret

describe('export', () => {
  let f: HooksFixture
  beforeEach(async () => {
    f = await hooksFixture()
    const {body} = await f.t.api(
      'POST',
      '/api/v1/eventHooks',
      hookBody(f.receiver.url, {description: 'Made by hand', name: 'User sync'}),
    )
    await f.t.api('POST', `/api/v1/eventHooks/${body.id}/lifecycle/verify`)
    await f.t.api('POST', '/api/v1/eventHooks', hookBody('https://hooks.example.com/audit', {name: 'Audit'}))
  })
  afterEach(async () => f.stop())

  it('writes YAML to stdout, names on stderr the variables the file refers to for secrets', async () => {
    const result = await runCommand(Export, [], {env: f.env})
    expect([result.error, result.exitCode]).to.deep.equal([undefined, 0])
    expect(result.stdout).to.match(/^# Event hooks of http:\/\/127\.0\.0\.1:\d+, written by `okta-hooks export`/)
    expect(result.stdout).to.include(`hooks:\n  - name: Audit\n    url: https://hooks.example.com/audit\n`)
    expect(result.stdout).to.include(`  - name: User sync\n    description: Made by hand\n    url: ${f.receiver.url}\n`)
    expect(result.stdout).to.include(
      '    auth:\n      header: Authorization\n      valueFrom: ' +
        'env:OKTA_HOOK_USER_SYNC_SECRET\n    status: ACTIVE\n    verify: true\n',
    )
    expect(result.stderr).to.equal(
      'The file refers to these 2 secrets (Okta never returns auth secrets); set them before `plan` or `apply`:\n' +
        '  OKTA_HOOK_AUDIT_SECRET      auth header Authorization of "Audit"\n' +
        '  OKTA_HOOK_USER_SYNC_SECRET  auth header Authorization of "User sync"\n',
    )
    expect(result.stdout).not.to.include(SECRET)
  })

  it('--file writes YAML or JSON by extension, refuses to overwrite without --force; export then plan shows no changes', async () => {
    const yaml = join(f.dir, 'hooks.yaml')
    const json = join(f.dir, 'hooks.json')
    const written = await runCommand(Export, ['--file', yaml], {env: f.env})
    expect([written.error, written.exitCode, written.stdout]).to.deep.equal([undefined, 0, ''])
    expect(written.stderr).to.match(new RegExp(`^Wrote 2 hooks to ${yaml}\\.\\n`))
    expect((await runCommand(Export, ['--file', json, '--json'], {env: f.env})).json.file).to.equal(json)
    expect(JSON.parse(readFileSync(json, 'utf8')).hooks.map((h: any) => h.name)).to.deep.equal(['Audit', 'User sync'])

    const again = await runCommand(Export, ['--file', yaml], {env: f.env})
    expect(again.exitCode).to.equal(2)
    expect(again.stderr).to.include(`--file ${yaml} exists; export does not overwrite it without --force.`)
    expect((await runCommand(Export, ['--file', yaml, '--force'], {env: f.env})).exitCode).to.equal(0)

    for (const file of [yaml, json]) {
      const plan = await runCommand(Plan, ['--file', file, '--prune', '--detailed-exitcode'], {env: f.env})
      expect([plan.exitCode, plan.stdout]).to.deep.equal([0, `No changes: the org matches ${file} (2 hooks).\n`])
    }
  })

  it('some hooks by name or id; --json gives the document and the secrets; --var writes ${NAME}', async () => {
    const port = new URL(f.receiver.url).port
    const result = await runCommand(Export, ['User sync', '--var', `RECEIVER=127.0.0.1:${port}`, '--json'], {
      env: f.env,
    })
    expect(result.exitCode).to.equal(0)
    expect(result.json.document.hooks.map((h: any) => [h.name, h.url])).to.deep.equal([
      ['User sync', 'http://${RECEIVER}/okta'],
    ])
    expect(result.json.secrets).to.deep.equal([
      {env: 'OKTA_HOOK_USER_SYNC_SECRET', header: 'Authorization', hook: 'User sync', kind: 'auth'},
    ])
    expect(result.json).not.to.have.property('file')
    const unknown = await runCommand(Export, ['Nope'], {env: f.env})
    expect(unknown.exitCode).to.equal(4)
    expect(existsSync(join(f.dir, 'hooks.yaml'))).to.equal(false)
  })
})
