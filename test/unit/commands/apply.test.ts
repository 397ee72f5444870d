import {expect} from 'chai'
import nock from 'nock'

import {BaseCommand} from '../../../src/cli/base-command.js'
import Apply from '../../../src/commands/apply.js'
import {prompter} from '../../../src/lib/io/prompter.js'
import {hookFixture} from '../../fixtures/hooks/index.js'
import {contractReply} from '../../helpers/contract.js'
import {type HooksFixture, hooksFixture} from '../../helpers/hooks-files.js'
import {ORG, orgEnv, runCommand, type RunResult} from '../../helpers/run-command.js'
import {hookBody, type ReceivedRequest} from '../../helpers/sandbox.js'

const SECRET = 'apply-command-secret-5b7e'
const ROTATED = 'apply-rotated-secret-9d3a'
const SHARED = 'apply-shared-header-2c4f'

const FILE = (url: string) => `hooks:
  - name: User sync
    description: Sync new users
    url: ${url}
    events: [user.lifecycle.create, user.lifecycle.activate]
    headers:
      X-Team: identity
      X-Shared: {valueFrom: env:SHARED_VALUE}
    auth:
      valueFrom: env:SYNC_SECRET
  - name: Group audit
    url: ${url}?audit
    events: [group.user_membership.add]
    status: INACTIVE
`

function expectNoSecrets(...results: RunResult[]): void {
  for (const result of results) {
    for (const secret of [SECRET, ROTATED, SHARED]) expect(result.stdout + result.stderr).not.to.include(secret)
  }
}

describe('apply', () => {
  let f: HooksFixture
  let path: string
  let env: Record<string, string>
  const savedCanPrompt = (BaseCommand.prototype as any).canPrompt
  const savedConfirm = prompter.confirm
  beforeEach(async () => {
    f = await hooksFixture()
    env = {...f.env, SHARED_VALUE: SHARED, SYNC_SECRET: SECRET}
    path = f.write('hooks.yaml', FILE(f.receiver.url))
  })
  afterEach(async () => {
    ;(BaseCommand.prototype as any).canPrompt = savedCanPrompt
    prompter.confirm = savedConfirm
    await f.stop()
  })

  it('creates, deactivates and verifies in order; the endpoint sees the secret; a second apply has nothing to do', async () => {
    const first = await runCommand(Apply, ['--file', path, '--yes'], {env})
    expect([first.error, first.exitCode]).to.deep.equal([undefined, 0])
    const progress = first.stdout.split('\n').filter((line) => /^(Created|Deactivated|Verified|Applied)/.test(line))
    expect(progress.map((line) => line.replace(/who\w+/, 'ID'))).to.deep.equal([
      'Created "User sync" (ID): ACTIVE, UNVERIFIED.',
      'Created "Group audit" (ID): ACTIVE, UNVERIFIED.',
      'Deactivated "Group audit" (ID): INACTIVE, UNVERIFIED.',
      'Verified "User sync" (ID): ACTIVE, VERIFIED.',
      'Verified "Group audit" (ID): INACTIVE, VERIFIED.',
      'Applied: 2 create, 2 verify, 1 deactivate.',
    ])
    const challenge = f.receiver.requests.find((r: ReceivedRequest) => r.url === '/okta' && r.method === 'GET')!
    expect(challenge.headers).to.include({authorization: SECRET, 'x-shared': SHARED, 'x-team': 'identity'})
    const org = await f.orgHooks()
    expect(org.map((h: any) => [h.name, h.status, h.verificationStatus])).to.deep.equal([
      ['User sync', 'ACTIVE', 'VERIFIED'],
      ['Group audit', 'INACTIVE', 'VERIFIED'],
    ])

    const second = await runCommand(Apply, ['--file', path], {env})
    expect([second.error, second.exitCode]).to.deep.equal([undefined, 0])
    expect(second.stdout).to.equal(`No changes: the org matches ${path} (2 hooks).\n`)
    const json = await runCommand(Apply, ['--file', path, '--json'], {env})
    expect(json.exitCode).to.equal(0)
    expect(json.json).to.deep.include({applied: false, done: [], notDone: []})
    expectNoSecrets(first, second, json)
  })

  it('--debug traces every request, and no secret appears in them', async () => {
    const result = await runCommand(Apply, ['--file', path, '--yes', '--debug'], {env})
    expect([result.error, result.exitCode]).to.deep.equal([undefined, 0])
    expect(result.stderr).to.include('POST')
    expect(result.stderr).to.include('/api/v1/eventHooks')
    expectNoSecrets(result)
  })

  it('--json: the plan, and every step done with where the hook stands', async () => {
    const result = await runCommand(Apply, ['--file', path, '--yes', '--json'], {env})
    expect(result.exitCode).to.equal(0)
    expect(result.json.applied).to.equal(true)
    expect(result.json.done.map((s: any) => [s.kind, s.hook, s.status, s.verificationStatus])).to.deep.equal([
      ['create', 'User sync', 'ACTIVE', 'UNVERIFIED'],
      ['create', 'Group audit', 'ACTIVE', 'UNVERIFIED'],
      ['deactivate', 'Group audit', 'INACTIVE', 'UNVERIFIED'],
      ['verify', 'User sync', 'ACTIVE', 'VERIFIED'],
      ['verify', 'Group audit', 'INACTIVE', 'VERIFIED'],
    ])
    expect(result.json.plan.summary).to.deep.include({create: 2, deactivate: 1, verify: 2})
    expectNoSecrets(result)
  })

  it('--dry-run: the requests with secrets masked, in order; nothing is sent', async () => {
    const result = await runCommand(Apply, ['--file', path, '--dry-run', '--json'], {env})
    expect(result.exitCode).to.equal(0)
    expect(result.json).to.deep.include({applied: false, dryRun: true})
    const requests = result.json.requests.map((s: any) => `${s.request.method} ${s.request.path}`)
    expect(requests).to.deep.equal([
      'POST /api/v1/eventHooks',
      'POST /api/v1/eventHooks',
      'POST /api/v1/eventHooks/{id of "Group audit"}/lifecycle/deactivate',
      'POST /api/v1/eventHooks/{id of "User sync"}/lifecycle/verify',
      'POST /api/v1/eventHooks/{id of "Group audit"}/lifecycle/verify',
    ])
    expect(result.json.requests[0].request.body.channel.config).to.deep.include({
      authScheme: {key: 'Authorization', type: 'HEADER', value: '****'},
      headers: [
        {key: 'X-Team', value: 'identity'},
        {key: 'X-Shared', value: '****'},
      ],
    })
    expect(await f.orgHooks()).to.deep.equal([])
    const text = await runCommand(Apply, ['--file', path, '--dry-run'], {env})
    expect(text.stdout).to.include(
      'Dry run: apply would send these requests, in this order (secrets masked; nothing was sent):',
    )
    expect(text.stdout).to.include('1. POST /api/v1/eventHooks   (create "User sync")')
    expect(f.receiver.requests).to.deep.equal([])
    expectNoSecrets(result, text)
  })

  it('without a terminal and without --yes: exit 2 naming --yes, nothing changed', async () => {
    const result = await runCommand(Apply, ['--file', path], {env})
    expect(result.exitCode).to.equal(2)
    expect(result.stderr).to.include('Error: Missing --yes: confirmation to make 5 changes to')
    expect(await f.orgHooks()).to.deep.equal([])
  })

  it('at a terminal it asks; no means nothing is changed (exit 2), yes applies', async () => {
    ;(BaseCommand.prototype as any).canPrompt = () => true
    const asked: string[] = []
    prompter.confirm = async (message: string) => {
      asked.push(message)
      return asked.length > 1
    }

    const no = await runCommand(Apply, ['--file', path], {env})
    expect(no.exitCode).to.equal(2)
    expect(no.stderr).to.include('Cancelled: nothing was changed.')
    expect(await f.orgHooks()).to.deep.equal([])
    const yes = await runCommand(Apply, ['--file', path], {env})
    expect([yes.error, yes.exitCode]).to.deep.equal([undefined, 0])
    expect(asked).to.deep.equal([`Apply these 5 changes to ${f.t.url}?`, `Apply these 5 changes to ${f.t.url}?`])
    expect(await f.orgHooks()).to.have.length(2)
  })

  it('a secret that is not set fails before any change, naming it', async () => {
    const result = await runCommand(Apply, ['--file', path, '--yes', '--json'], {env: {...env, SYNC_SECRET: undefined}})
    expect(result.exitCode).to.equal(2)
    expect(result.json.error.message).to.equal(`1 secret of ${path} cannot be read; nothing was sent to Okta.`)
    expect(result.json.error.causes).to.deep.equal([
      `${path}:10:18: auth.valueFrom: env:SYNC_SECRET: the environment variable SYNC_SECRET is ` +
        `not set or is empty (export SYNC_SECRET=... before running okta-hooks)`,
    ])
    expect(await f.orgHooks()).to.deep.equal([])
  })

  it('a failed verification stops the run: exit 5, what was done and not, and the command that continues', async () => {
    const refusing = f.write('refusing.yaml', FILE('http://127.0.0.1:9/nothing'))
    const json = await runCommand(Apply, ['--file', refusing, '--yes', '--json'], {env})
    expect(json.exitCode).to.equal(5)
    expect(json.json.error).to.deep.include({code: 'VERIFICATION_FAILED', exitCode: 5})
    expect(json.json.done.map((s: any) => `${s.kind} ${s.hook}`)).to.deep.equal([
      'create User sync',
      'create Group audit',
      'deactivate Group audit',
    ])
    expect(json.json.failed).to.deep.include({hook: 'User sync', kind: 'verify'})
    expect(json.json.notDone.map((s: any) => `${s.kind} ${s.hook}`)).to.deep.equal(['verify Group audit'])
    expect(json.json.continueWith).to.equal(`okta-hooks apply --file ${refusing} --yes --json`)

    const text = await runCommand(Apply, ['--file', refusing, '--yes'], {env})
    expect(text.exitCode).to.equal(5)
    expect(text.stderr).to.match(
      /Apply stopped at a failed step\.\n {2}Done \(0\): nothing\n {2}Failed: verify "User sync" \(who\w+\)\n {2}Not done \(1\): verify "Group audit" \(who\w+\)/,
    )
    expect(text.stderr).to.include(
      `Try: Then continue with \`okta-hooks apply --file ${refusing} ` +
        `--yes\`: apply compares again and does only what is left`,
    )

    // Fixed (the file now points at the receiver): the rerun does only what is left, then nothing.
    const fixed = await runCommand(Apply, ['--file', path, '--yes', '--json'], {env})
    expect(fixed.exitCode).to.equal(0)
    expect(fixed.json.done.map((s: any) => `${s.kind} ${s.hook}`)).to.deep.equal([
      'update User sync',
      'update Group audit',
      'verify User sync',
      'verify Group audit',
    ])
    expectNoSecrets(json, text, fixed)
  })

  it('--prune deletes only the hooks the file no longer has (deactivating an active one first), last', async () => {
    await runCommand(Apply, ['--file', path, '--yes'], {env})
    const {body: byHand} = await f.t.api('POST', '/api/v1/eventHooks', hookBody(f.receiver.url, {name: 'By hand'}))
    f.write('hooks.yaml', FILE(f.receiver.url).split('  - name: Group audit')[0])
    const kept = await runCommand(Apply, ['--file', path, '--yes'], {env})
    expect(kept.stdout).to.include(`No changes: the org matches ${path} (1 hook).`)
    expect(kept.stdout).to.match(
      /Not in the file, left alone \(--prune would delete them\): "Group audit" \(who\w+\), "By hand" \(who\w+\)/,
    )
    const pruned = await runCommand(Apply, ['--file', path, '--yes', '--prune', '--json'], {env})
    expect(pruned.exitCode).to.equal(0)
    expect(pruned.json.done.map((s: any) => `${s.kind} ${s.hook}`)).to.deep.equal([
      'deactivate By hand',
      'delete Group audit',
      'delete By hand',
    ])
    expect((await f.orgHooks()).map((h: any) => h.name)).to.deep.equal(['User sync'])
    expect(pruned.json.done.find((s: any) => s.hook === 'By hand' && s.kind === 'delete')).to.deep.include({
      id: byHand.id,
      status: 'DELETED',
    })
  })

  it('verifies again in the same run when Okta answers an update with UNVERIFIED (the secret it held differed)', async () => {
    await runCommand(Apply, ['--file', path, '--yes'], {env})
    f.write('hooks.yaml', FILE(f.receiver.url).replace('Sync new users', 'Sync users'))
    const result = await runCommand(Apply, ['--file', path, '--yes', '--json'], {env: {...env, SYNC_SECRET: ROTATED}})
    expect(result.exitCode).to.equal(0)
    expect(result.json.plan.steps.map((s: any) => s.kind)).to.deep.equal(['update'])
    expect(result.json.done.map((s: any) => [s.kind, s.verificationStatus])).to.deep.equal([
      ['update', 'UNVERIFIED'],
      ['verify', 'VERIFIED'],
    ])
    expect(result.json.done[1].reason).to.equal(
      'Okta answered the update with UNVERIFIED (the secret it held differed)',
    )
    const challenges = f.receiver.requests.filter((r: ReceivedRequest) => r.method === 'GET' && r.url === '/okta')
    expect(challenges.at(-1)!.headers.authorization).to.equal(ROTATED)
    expectNoSecrets(result)
  })

  it('--resend-secrets sends the secret of an unchanged hook again (rotation), and verifies it', async () => {
    await runCommand(Apply, ['--file', path, '--yes'], {env})
    const result = await runCommand(Apply, ['--file', path, '--yes', '--resend-secrets', '--json'], {
      env: {...env, SYNC_SECRET: ROTATED},
    })
    expect(result.exitCode).to.equal(0)
    expect(result.json.done.map((s: any) => `${s.kind} ${s.hook}`)).to.deep.equal([
      'update User sync',
      'verify User sync',
    ])
    const challenges = f.receiver.requests.filter((r: ReceivedRequest) => r.method === 'GET' && r.url === '/okta')
    expect(challenges.at(-1)!.headers.authorization).to.equal(ROTATED)
  })

  it('an Okta failure midway keeps its exit code and reports the steps (nock: 403 on deactivate → 3)', async () => {
    const created = contractReply(
      hookFixture({
        id: 'whoNew00000000000001',
        name: 'Group audit',
        status: 'ACTIVE',
        verificationStatus: 'UNVERIFIED',
      }),
    )
    const scope = nock(ORG)
      .get('/api/v1/eventHooks')
      .reply(200, [])
      .post('/api/v1/eventHooks')
      .reply(200, contractReply(hookFixture({name: 'User sync', verificationStatus: 'UNVERIFIED'})))
      .post('/api/v1/eventHooks')
      .reply(200, created)
      .post('/api/v1/eventHooks/whoNew00000000000001/lifecycle/deactivate')
      .reply(403, {
        errorCauses: [],
        errorCode: 'E0000006',
        errorSummary: 'You do not have permission to perform the requested action',
      })
    const result = await runCommand(Apply, ['--file', path, '--yes', '--json'], {
      env: {...orgEnv, SHARED_VALUE: SHARED, SYNC_SECRET: SECRET},
    })
    expect(result.exitCode).to.equal(3)
    expect(result.json.error).to.deep.include({code: 'E0000006', exitCode: 3})
    expect(result.json.done.map((s: any) => `${s.kind} ${s.hook}`)).to.deep.equal([
      'create User sync',
      'create Group audit',
    ])
    expect(result.json.failed).to.deep.include({hook: 'Group audit', id: 'whoNew00000000000001', kind: 'deactivate'})
    expect(result.json.notDone.map((s: any) => `${s.kind} ${s.hook}`)).to.deep.equal([
      'verify User sync',
      'verify Group audit',
    ])
    scope.done()
  })
})
