/**
 * Hooks as code end to end, with the built CLI against two sandboxes at once (a preview org A and a
 * production org B), each with its own `listen` receiver expecting its own secret: export from A,
 * apply to B with a variable overlay for URLs, plan on B clean; a change by hand in B is exactly the
 * drift plan reports (exit 7 with --detailed-exitcode); --dry-run changes nothing; --prune deletes
 * only what the file no longer has; malformed files give the line and the reason. Every run's output
 * and every file written is searched for the secrets. This also proves that the bundled `yaml`
 * (parseDocument, LineCounter, Document) works in dist/.
 */
import {expect} from 'chai'
import {readFileSync, writeFileSync} from 'node:fs'

import {assertBuilt, type CliResult, describeRun, type Env, runCli, stopAllProcesses, Workspace} from './helpers/cli.js'
import {type Listener, type Sandbox, startListen, startSandbox} from './helpers/processes.js'

const SECRET_A = 'e2e-hac-preview-secret-4b1f'
const SECRET_B = 'e2e-hac-production-secret-8c2e'
const API_KEY = 'e2e-hac-api-key-in-header-6d3a'
const SECRETS = [SECRET_A, SECRET_B, API_KEY]
const SALES = "event.target.?[type eq 'UserGroup' && displayName eq 'Sales'].size()>0"

describe('e2e: hooks as code (export, plan, apply, promotion from one org to another)', function () {
  this.timeout(120_000)
  let workspace: Workspace
  let orgA: Sandbox
  let orgB: Sandbox
  let receiverA: Listener
  let receiverB: Listener
  const runs: CliResult[] = []
  const files: string[] = []

  /** okta-hooks against org A or B, with that org's secrets in the environment. */
  const cli = async (org: 'A' | 'B', args: string[], extra: Env = {}): Promise<CliResult> => {
    const sandbox = org === 'A' ? orgA : orgB
    const secret = org === 'A' ? SECRET_A : SECRET_B
    const env = {
      ...sandbox.connection,
      HOOK_SECRET: secret,
      OKTA_HOOK_GROUP_AUDIT_X_API_KEY: API_KEY,
      OKTA_HOOK_USER_SYNC_SECRET: secret,
      ...extra,
    }
    const result = await runCli(args, {cwd: workspace.dir, env: workspace.env(env)})
    runs.push(result)
    return result
  }

  const expectCode = (result: CliResult, code: number): CliResult => {
    expect(result.code, describeRun(result)).to.equal(code)
    return result
  }

  /** The org's hooks as comparable facts (ids and URLs differ between orgs). */
  const facts = async (org: 'A' | 'B') =>
    expectCode(await cli(org, ['list', '--json']), 0)
      .json()
      .hooks.map((h: any) => ({
        auth: h.channel.config.authScheme?.key ?? null,
        description: h.description,
        events: h.events.items,
        filters: h.events.filter?.eventFilterMap ?? [],
        headers: (h.channel.config.headers ?? []).map((x: any) => x.key),
        name: h.name,
        status: h.status,
        verification: h.verificationStatus,
      }))
      .sort((a: any, b: any) => a.name.localeCompare(b.name))

  const path = (name: string): string => {
    const file = workspace.path(name)
    files.push(file)
    return file
  }

  before(async () => {
    assertBuilt()
    workspace = new Workspace('e2e-hac')
    ;[orgA, orgB, receiverA, receiverB] = await Promise.all([
      startSandbox(workspace),
      startSandbox(workspace),
      startListen(workspace, ['--auth-secret-env', 'HOOK_SECRET'], {HOOK_SECRET: SECRET_A}),
      startListen(workspace, ['--auth-secret-env', 'HOOK_SECRET'], {HOOK_SECRET: SECRET_B}),
    ])
    // Org A, set up by hand the imperative way.
    expectCode(
      await cli('A', [
        'create',
        '--name',
        'User sync',
        '--url',
        receiverA.url,
        '--event',
        'user.lifecycle.create,group.user_membership.add',
        '--filter',
        `group.user_membership.add=${SALES}`,
        '--header',
        'X-Team: identity',
        '--description',
        'Sync users to the CRM',
        '--auth-secret-env',
        'HOOK_SECRET',
        '--verify',
      ]),
      0,
    )
    expectCode(
      await cli('A', [
        'create',
        '--name',
        'Group audit',
        '--url',
        `${receiverA.url}?audit=1`,
        '--event',
        'group.user_membership.add,group.user_membership.remove',
        '--header',
        `X-Api-Key: ${API_KEY}`,
        '--inactive',
      ]),
      0,
    )
  })

  after(async () => {
    await Promise.all([orgA?.stop(), orgB?.stop(), receiverA?.stop(), receiverB?.stop()])
    await stopAllProcesses()
    workspace?.remove()
  })

  it('schema prints the file format; export from A writes references in place of secrets, ${HOOKS_URL} in place of the URL', async () => {
    const schema = expectCode(await cli('A', ['schema']), 0).json()
    expect(schema.title).to.equal('okta-hooks hooks file')

    const file = path('hooks.yaml')
    const exported = expectCode(await cli('A', ['export', '--file', file, '--var', `HOOKS_URL=${receiverA.url}`]), 0)
    expect(exported.stderr).to.include(`Wrote 2 hooks to ${file}.`)
    expect(exported.stderr).to.include('OKTA_HOOK_GROUP_AUDIT_X_API_KEY  header X-Api-Key of "Group audit"')
    expect(exported.stderr).to.include('OKTA_HOOK_USER_SYNC_SECRET       auth header Authorization of "User sync"')
    const text = readFileSync(file, 'utf8')
    expect(text).to.include('  - name: Group audit\n    url: ${HOOKS_URL}?audit=1\n')
    expect(text).to.include('      X-Api-Key:\n        valueFrom: env:OKTA_HOOK_GROUP_AUDIT_X_API_KEY\n')
    expect(text).to.include(`      group.user_membership.add: ${SALES}\n`)
    expect(text).to.include(
      '    auth:\n      header: Authorization\n      valueFrom: ' +
        'env:OKTA_HOOK_USER_SYNC_SECRET\n    status: ACTIVE\n    verify: true\n',
    )

    const same = expectCode(
      await cli('A', ['plan', '--file', file, '--var', `HOOKS_URL=${receiverA.url}`, '--prune', '--detailed-exitcode']),
      0,
    )
    expect(same.stdout).to.equal(`No changes: the org matches ${file} (2 hooks).\n`)
  })

  it('plan on B shows the creates (exit 7 with --detailed-exitcode); apply --dry-run sends nothing', async () => {
    const file = workspace.path('hooks.yaml')
    const overlay = ['--var', `HOOKS_URL=${receiverB.url}`]
    const plan = expectCode(await cli('B', ['plan', '--file', file, ...overlay, '--detailed-exitcode', '--json']), 7)
    const {error, hooks, steps} = plan.json()
    expect(error).to.deep.include({code: 'CHANGES_PENDING', exitCode: 7})
    expect(hooks.map((h: any) => [h.name, h.action])).to.deep.equal([
      ['Group audit', 'create'],
      ['User sync', 'create'],
    ])
    expect(steps.map((s: any) => `${s.kind} ${s.hook}`)).to.deep.equal([
      'create Group audit',
      'create User sync',
      'deactivate Group audit',
      'verify User sync',
    ])

    const dry = expectCode(await cli('B', ['apply', '--file', file, ...overlay, '--dry-run']), 0)
    expect(dry.stdout).to.include(
      'Dry run: apply would send these requests, in this order (secrets masked; nothing was sent):',
    )
    expect(dry.stdout).to.include(
      '4. POST /api/v1/eventHooks/{id of "User sync"}/lifecycle/verify   (verify "User sync")',
    )
    expect(await facts('B')).to.deep.equal([])
    expect(receiverB.messages.filter((m) => m.type === 'verification')).to.deep.equal([])
  })

  it("apply to B (with --yes, as CI would) reproduces A's hooks, verified against B's own endpoint; a second apply does nothing", async () => {
    const file = workspace.path('hooks.yaml')
    const overlay = ['--var', `HOOKS_URL=${receiverB.url}`]
    const refused = expectCode(await cli('B', ['apply', '--file', file, ...overlay]), 2)
    expect(refused.stderr).to.include('Missing --yes')

    const applied = expectCode(await cli('B', ['apply', '--file', file, ...overlay, '--yes']), 0)
    expect(applied.stdout).to.include('Applied: 2 create, 1 verify, 1 deactivate.')
    const verification = await receiverB.waitForMessage(
      (m) => m.type === 'verification',
      "the verification of B's hook",
    )
    expect(verification).to.include({auth: 'ok', status: 200})
    expect(await facts('B')).to.deep.equal(await facts('A'))

    const again = expectCode(await cli('B', ['apply', '--file', file, ...overlay, '--yes', '--json']), 0)
    expect(again.json()).to.deep.include({applied: false, done: []})
    const clean = expectCode(await cli('B', ['plan', '--file', file, ...overlay, '--prune', '--detailed-exitcode']), 0)
    expect(clean.stdout).to.equal(`No changes: the org matches ${file} (2 hooks).\n`)
  })

  it('a change by hand in B is exactly the drift plan reports (exit 7); apply puts it back', async () => {
    const file = workspace.path('hooks.yaml')
    const overlay = ['--var', `HOOKS_URL=${receiverB.url}`]
    expectCode(
      await cli('B', [
        'update',
        'User sync',
        '--add-event',
        'user.lifecycle.deactivate',
        '--auth-secret-env',
        'HOOK_SECRET',
      ]),
      0,
    )

    const drift = expectCode(await cli('B', ['plan', '--file', file, ...overlay, '--detailed-exitcode', '--json']), 7)
    const plan = drift.json()
    expect(plan.steps.map((s: any) => `${s.kind} ${s.hook}`)).to.deep.equal(['update User sync'])
    expect(plan.hooks.find((h: any) => h.name === 'User sync').changes).to.deep.equal([
      {
        after: ['user.lifecycle.create', 'group.user_membership.add'],
        before: ['user.lifecycle.create', 'group.user_membership.add', 'user.lifecycle.deactivate'],
        field: 'events.items',
      },
    ])
    const human = expectCode(await cli('B', ['plan', '--file', file, ...overlay, '--detailed-exitcode']), 7)
    expect(human.stdout).to.include(
      '  events.items: user.lifecycle.create, group.user_membership.add, ' +
        'user.lifecycle.deactivate → user.lifecycle.create, group.user_membership.add',
    )
    expect(human.stdout).to.include(
      "secret: the Authorization value from env:OKTA_HOOK_USER_SYNC_SECRET is sent: Okta's update is a full " +
        'replace (PUT)',
    )

    expectCode(await cli('B', ['apply', '--file', file, ...overlay, '--yes']), 0)
    expectCode(await cli('B', ['plan', '--file', file, ...overlay, '--detailed-exitcode']), 0)
  })

  it('--prune deletes only what the file no longer has (and what was made by hand), never the hooks it names', async () => {
    const file = workspace.path('hooks.yaml')
    const overlay = ['--var', `HOOKS_URL=${receiverB.url}`]
    const before = expectCode(await cli('B', ['get', 'User sync', '--json']), 0).json().hook
    expectCode(
      await cli('B', ['create', '--name', 'By hand', '--url', receiverB.url, '--event', 'user.lifecycle.create']),
      0,
    )
    const trimmed = path('trimmed.yaml')
    writeFileSync(trimmed, readFileSync(file, 'utf8').replace(/ {2}- name: Group audit[\s\S]*?\n\n/, ''))
    expect(readFileSync(trimmed, 'utf8')).not.to.include('Group audit')

    const kept = expectCode(await cli('B', ['apply', '--file', trimmed, ...overlay, '--yes']), 0)
    expect(kept.stdout).to.match(
      /No changes: the org matches .*trimmed\.yaml \(1 hook\)\.\nNot in the file, left alone \(--prune would delete them\): "Group audit" \(who\w+\), "By hand" \(who\w+\)/,
    )
    const pruned = expectCode(await cli('B', ['apply', '--file', trimmed, ...overlay, '--prune', '--yes', '--json']), 0)
    expect(pruned.json().done.map((s: any) => `${s.kind} ${s.hook}`)).to.deep.equal([
      'deactivate By hand',
      'delete Group audit',
      'delete By hand',
    ])
    const after = expectCode(await cli('B', ['get', 'User sync', '--json']), 0).json().hook
    expect(after).to.deep.equal(before)
    expect((await facts('B')).map((h: any) => h.name)).to.deep.equal(['User sync'])
  })

  it('a missing secret fails before any change, naming it; malformed files (YAML, JSON) give the line and the reason, exit 2', async () => {
    const file = workspace.path('hooks.yaml')
    const noSecret = expectCode(
      await cli('B', ['apply', '--file', file, '--var', `HOOKS_URL=${receiverB.url}`, '--yes'], {
        OKTA_HOOK_USER_SYNC_SECRET: '',
      }),
      2,
    )
    expect(noSecret.stderr).to.match(
      /hooks\.yaml:\d+:\d+: auth\.valueFrom: env:OKTA_HOOK_USER_SYNC_SECRET: the environment variable OKTA_HOOK_USER_SYNC_SECRET is not set/,
    )
    const noVar = expectCode(await cli('B', ['plan', '--file', file]), 2)
    expect(noVar.stderr).to.match(/hooks\.yaml:\d+:10: hooks\[0\]\.url: the variable HOOKS_URL is not set/)

    const yaml = path('bad.yaml')
    writeFileSync(
      yaml,
      'hooks:\n  - name: A\n    url: https://hooks.example.com/a\n    ' +
        'events: [user.lifecycle.creat]\n    colour: blue\n',
    )
    const badYaml = expectCode(await cli('B', ['plan', '--file', yaml, '--json']), 2)
    const causes = badYaml.json().error.causes
    expect(causes).to.have.length(2)
    expect(causes[0]).to.match(
      /bad\.yaml:4:14: hooks\[0\]\.events\[0\]: the event type user\.lifecycle\.creat is not an event-hook-eligible type .* Did you mean user\.lifecycle\.create/,
    )
    expect(causes[1]).to.equal(
      `${yaml}:5:5: hooks[0].colour: unknown key "colour"; allowed here: name, ` +
        `description, url, events, filters, headers, auth, status, verify`,
    )
    const json = path('bad.json')
    writeFileSync(
      json,
      '{\n  "hooks": [\n    {"name": "A", "url": "https://hooks.example.com/a", "events": ' +
        '["user.lifecycle.create"],}\n  ]\n}\n',
    )
    const badJson = expectCode(await cli('B', ['apply', '--file', json, '--yes']), 2)
    expect(badJson.stderr).to.include(`${json}:3:93: not valid JSON: Expected double-quoted property name`)
  })

  it('no secret appears in any output of any run, nor in any file written', () => {
    expect(runs.length).to.be.greaterThan(20)
    for (const run of runs) {
      for (const secret of SECRETS) {
        expect(run.stdout + run.stderr, `okta-hooks ${run.args.join(' ')}`).not.to.include(secret)
      }
    }

    for (const file of files)
      for (const secret of SECRETS) expect(readFileSync(file, 'utf8'), file).not.to.include(secret)
  })
})
