import {expect} from 'chai'

import {CliError} from '../../../../src/lib/errors.js'
import type {HookSpec} from '../../../../src/lib/hooks-as-code/file-format.js'
import {createBody, planHooks, type PlanOptions, updateBody} from '../../../../src/lib/hooks-as-code/plan.js'
import {readHooksFile} from '../../../../src/lib/hooks-as-code/validate.js'
import {variableLookup} from '../../../../src/lib/hooks-as-code/variables.js'
import type {EventHook} from '../../../../src/lib/hooks/types.js'
import {hookFixture} from '../../../fixtures/hooks/index.js'
import {assertEventHookContract} from '../../../helpers/contract.js'

const SECRET = 'plan-auth-secret-value-3e8'
const SHARED = 'shared-header-value-5d1'
const OPTIONS: PlanOptions = {file: 'hooks.yaml', org: 'https://test-org.okta.example'}

/** The fixture hook ("User sync", ACTIVE, VERIFIED, Authorization auth, X-Other-Header) as a file. */
const FIXTURE_FILE = `hooks:
  - name: User sync
    description: Sync new users to the CRM
    url: https://hooks.example.com/okta
    events: [user.lifecycle.create, user.lifecycle.activate]
    headers:
      X-Other-Header: some-other-value
    auth:
      valueFrom: env:SYNC_SECRET
`

/** Specs from YAML, with their secrets as apply would have read them. */
function specs(text: string): HookSpec[] {
  const hooks = readHooksFile(text, {
    baseDir: '/tmp',
    file: 'hooks.yaml',
    format: 'yaml',
    lookup: variableLookup({env: {}}),
  }).hooks
  for (const hook of hooks) {
    if (hook.auth) hook.auth.valueFrom.value = SECRET
    for (const header of hook.headers) if (header.valueFrom) header.valueFrom.value = SHARED
  }

  return hooks
}

/** The fixture file with one line replaced. */
const edited = (from: string, to: string) => {
  expect(FIXTURE_FILE).to.include(from)
  return FIXTURE_FILE.replace(from, to)
}

const plan = (text: string, org: EventHook[] = [hookFixture()], options: Partial<PlanOptions> = {}) =>
  planHooks(specs(text), org, {...OPTIONS, ...options})

describe('lib/hooks-as-code/plan', () => {
  it('no changes when the file describes the org: no step, the secret neither compared nor sent', () => {
    const result = plan(FIXTURE_FILE)
    expect(result.changesPending).to.equal(false)
    expect(result.steps).to.deep.equal([])
    expect(result.summary).to.deep.equal({
      activate: 0,
      create: 0,
      deactivate: 0,
      delete: 0,
      unchanged: 1,
      update: 0,
      verify: 0,
    })
    expect(result.hooks[0]).to.deep.include({
      action: 'unchanged',
      changes: [],
      id: 'who8vt36qfNpCGz9H1e6',
      name: 'User sync',
    })
    expect(result.hooks[0].secret).to.deep.include({header: 'Authorization', ref: 'env:SYNC_SECRET', sent: false})
    expect(JSON.stringify(result)).not.to.include(SECRET)
  })

  it('an empty description is no description (no perpetual diff)', () => {
    const text = FIXTURE_FILE.replace('    description: Sync new users to the CRM\n', '')
    expect(plan(text, [hookFixture({description: ''})]).changesPending).to.equal(false)
    expect(plan(text, [hookFixture({description: null})]).changesPending).to.equal(false)
  })

  it("Okta's spelling of header names and its order of event types are not changes", () => {
    const org = hookFixture({
      channel: {
        ...hookFixture().channel,
        config: {...hookFixture().channel.config, headers: [{key: 'x-other-header', value: 'some-other-value'}]},
      },
      events: {items: ['user.lifecycle.activate', 'user.lifecycle.create'], type: 'EVENT_TYPE'},
    })
    expect(plan(FIXTURE_FILE, [org]).changesPending).to.equal(false)
  })

  it('an update shows each field before → after as `update` does, says the secret is sent and why, and re-verifies after a channel change', () => {
    const result = plan(
      edited('url: https://hooks.example.com/okta', 'url: https://hooks.example.com/v2').replace(
        'user.lifecycle.activate]',
        'user.lifecycle.deactivate]',
      ),
    )
    const [hook] = result.hooks
    expect(hook.action).to.equal('update')
    expect(hook.changes).to.deep.equal([
      {
        after: ['user.lifecycle.create', 'user.lifecycle.deactivate'],
        before: ['user.lifecycle.create', 'user.lifecycle.activate'],
        field: 'events.items',
      },
      {after: 'https://hooks.example.com/v2', before: 'https://hooks.example.com/okta', field: 'channel.config.uri'},
    ])
    expect(hook.steps.map((s) => s.kind)).to.deep.equal(['update', 'verify'])
    expect(hook.steps[1].reason).to.match(/channel .* changes: Okta requires verifying again/)
    expect(hook.secret)
      .to.deep.include({sent: true})
      .and.have.property('reason')
      .that.match(/full replace \(PUT\)/)
    expect(hook.after).to.deep.equal({status: 'ACTIVE', verificationStatus: 'VERIFIED'})
  })

  it('a change outside the channel needs no verification of a verified hook', () => {
    const [hook] = plan(edited('description: Sync new users to the CRM', 'description: Sync users')).hooks
    expect(hook.changes).to.deep.equal([
      {after: 'Sync users', before: 'Sync new users to the CRM', field: 'description'},
    ])
    expect(hook.steps.map((s) => s.kind)).to.deep.equal(['update'])
  })

  it('removes what the file no longer has: description, headers, filters, the auth header (with a warning note)', () => {
    const org = hookFixture({
      events: {
        ...hookFixture().events,
        filter: {
          eventFilterMap: [{condition: {expression: 'a eq 1', version: null}, event: 'user.lifecycle.create'}],
          type: 'EXPRESSION_LANGUAGE',
        },
      },
    })
    const text =
      'hooks:\n  - name: User sync\n    url: https://hooks.example.com/okta\n    ' +
      'events: [user.lifecycle.create, user.lifecycle.activate]\n'
    const [hook] = plan(text, [org]).hooks
    expect(hook.changes.map((c) => c.field)).to.deep.equal([
      'description',
      'events.filter',
      'channel.config.headers',
      'channel.config.authScheme',
    ])
    expect(hook.changes.at(-1)).to.deep.equal({
      after: null,
      before: 'Authorization: (write-only, not returned by Okta)',
      field: 'channel.config.authScheme',
    })
    expect(hook.notes[0]).to.match(/its auth header is removed/)
    expect(hook).not.to.have.property('secret')
    const body = updateBody(specs(text)[0], org)
    expect(body.channel.config).to.deep.equal({uri: 'https://hooks.example.com/okta'})
    expect(body.description).to.equal(null)
    assertEventHookContract(body, 'request')
  })

  it('a new auth header name is a change (the secret masked, its reference shown); the PUT carries the secret', () => {
    const text = edited('    auth:\n', '    auth:\n      header: X-Hook-Key\n')
    const [hook] = plan(text).hooks
    expect(hook.changes).to.deep.equal([
      {
        after: 'X-Hook-Key: **** (from env:SYNC_SECRET)',
        before: 'Authorization: (write-only, not returned by Okta)',
        field: 'channel.config.authScheme',
      },
    ])
    expect(hook.steps.map((s) => s.kind)).to.deep.equal(['update', 'verify'])
    const body = updateBody(specs(text)[0], hookFixture())
    expect(body.channel.config.authScheme).to.deep.equal({key: 'X-Hook-Key', type: 'HEADER', value: SECRET})
    assertEventHookContract(body, 'request')
  })

  it('header values from a secret reference are compared but masked on both sides', () => {
    const text = edited('X-Other-Header: some-other-value', 'X-Other-Header: {valueFrom: env:SHARED}')
    const [hook] = plan(text).hooks
    expect(hook.changes).to.deep.equal([
      {
        after: {'X-Other-Header': '**** (new value)'},
        before: {'X-Other-Header': '****'},
        field: 'channel.config.headers',
      },
    ])
    const same = hookFixture({
      channel: {
        ...hookFixture().channel,
        config: {...hookFixture().channel.config, headers: [{key: 'X-Other-Header', value: SHARED}]},
      },
    })
    expect(plan(text, [same]).changesPending).to.equal(false)
    expect(JSON.stringify(plan(text))).not.to.include(SHARED)
  })

  it('creates what the org lacks: ACTIVE by Okta, deactivated after when INACTIVE, verified unless verify: false', () => {
    const text = FIXTURE_FILE.replace('name: User sync', 'name: New hook').replace(
      '    auth:',
      '    status: INACTIVE\n    auth:',
    )
    const result = plan(text, [])
    const [hook] = result.hooks
    expect(hook.action).to.equal('create')
    expect(hook.steps.map((s) => s.kind)).to.deep.equal(['create', 'deactivate', 'verify'])
    expect(hook.changes.map((c) => [c.field, c.before])).to.deep.equal([
      ['name', null],
      ['description', null],
      ['events.items', null],
      ['channel.config.uri', null],
      ['channel.config.headers', null],
      ['channel.config.authScheme', null],
    ])
    expect(hook.changes.at(-1)!.after).to.equal('Authorization: **** (from env:SYNC_SECRET)')
    expect(hook.secret).to.deep.include({reason: 'the hook is new', sent: true})
    expect(hook.after).to.deep.equal({status: 'INACTIVE', verificationStatus: 'VERIFIED'})
    const body = createBody(specs(text)[0])
    expect(body.channel.config.authScheme!.value).to.equal(SECRET)
    assertEventHookContract(body, 'request')

    const unverified = plan(text.replace('    status: INACTIVE\n', '    verify: false\n'), []).hooks[0]
    expect(unverified.steps.map((s) => s.kind)).to.deep.equal(['create'])
    expect(unverified.notes[0]).to.match(/stays UNVERIFIED/)
  })

  it('verifies an UNVERIFIED hook the file wants verified, and moves the status both ways', () => {
    const verify = plan(FIXTURE_FILE, [hookFixture({verificationStatus: 'UNVERIFIED'})]).hooks[0]
    expect(verify).to.deep.include({action: 'verify'})
    expect(verify.steps).to.deep.equal([
      {
        hook: 'User sync',
        id: 'who8vt36qfNpCGz9H1e6',
        kind: 'verify',
        reason: 'UNVERIFIED in the org; the file says verify: true',
      },
    ])
    expect(
      plan(FIXTURE_FILE.replace('    auth:', '    verify: false\n    auth:'), [
        hookFixture({verificationStatus: 'UNVERIFIED'}),
      ]).changesPending,
    ).to.equal(false)

    const activate = plan(FIXTURE_FILE, [hookFixture({status: 'INACTIVE'})]).hooks[0]
    expect(activate.steps.map((s) => [s.kind, s.reason])).to.deep.equal([['activate', 'status: INACTIVE → ACTIVE']])
    const deactivate = plan(FIXTURE_FILE.replace('    auth:', '    status: INACTIVE\n    auth:')).hooks[0]
    expect(deactivate.steps.map((s) => s.kind)).to.deep.equal(['deactivate'])
  })

  it('--resend-secrets updates a hook only to send its secret again, and verifies it after', () => {
    const [hook] = plan(FIXTURE_FILE, [hookFixture()], {resendSecrets: true}).hooks
    expect(hook.steps.map((s) => [s.kind, s.reason])).to.deep.equal([
      ['update', 'only to send the secret again (--resend-secrets)'],
      ['verify', 'its secret is sent again (--resend-secrets): Okta requires verifying after an auth change'],
    ])
    expect(hook.secret).to.deep.include({sent: true})
  })

  it('hooks the file does not name: left alone and listed, or with --prune deleted last (deactivated first)', () => {
    const other = hookFixture({id: 'whoOther0000000000001', name: 'Legacy'})
    const inactive = hookFixture({id: 'whoOther0000000000002', name: 'Old', status: 'INACTIVE'})
    const kept = plan(FIXTURE_FILE, [hookFixture(), other, inactive])
    expect(kept.changesPending).to.equal(false)
    expect(kept.unmanaged).to.deep.equal([
      {id: 'whoOther0000000000001', name: 'Legacy'},
      {id: 'whoOther0000000000002', name: 'Old'},
    ])
    const pruned = plan(FIXTURE_FILE, [hookFixture(), other, inactive], {prune: true})
    expect(pruned.unmanaged).to.deep.equal([])
    expect(pruned.steps.map((s) => `${s.kind} ${s.hook}`)).to.deep.equal([
      'deactivate Legacy',
      'delete Legacy',
      'delete Old',
    ])
    expect(pruned.hooks.map((h) => h.action)).to.deep.equal(['unchanged', 'delete', 'delete'])
  })

  it('orders every step by phase across hooks: creates/updates, deactivations, verifications, activations, deletions', () => {
    const text = [
      `${FIXTURE_FILE.replace('url: https://hooks.example.com/okta', 'url: https://hooks.example.com/v2')} ` +
        ' - name: Fresh',
      '    url: https://hooks.example.com/fresh',
      '    events: [user.lifecycle.create]',
      '  - name: Sleeping',
      '    url: https://hooks.example.com/s',
      '    events: [user.lifecycle.create]',
      '    status: INACTIVE',
      '    verify: false',
      '  - name: Waking',
      '    url: https://hooks.example.com/w',
      '    events: [user.lifecycle.create]',
      '    verify: false',
      '',
    ].join('\n')
    const org = [
      hookFixture(),
      hookFixture({
        channel: {...hookFixture().channel, config: {uri: 'https://hooks.example.com/s'}},
        id: 'whoSleep000000000001',
        name: 'Sleeping',
      }),
      hookFixture({
        channel: {...hookFixture().channel, config: {uri: 'https://hooks.example.com/w'}},
        id: 'whoWake0000000000001',
        name: 'Waking',
        status: 'INACTIVE',
      }),
      hookFixture({id: 'whoGone0000000000001', name: 'Gone'}),
    ]
    for (const hook of org.slice(1, 3)) hook.events = {items: ['user.lifecycle.create'], type: 'EVENT_TYPE'}
    for (const hook of org.slice(1, 3)) hook.description = null
    const result = plan(text, org, {prune: true})
    expect(result.steps.map((s) => `${s.kind} ${s.hook}`)).to.deep.equal([
      'update User sync',
      'create Fresh',
      'deactivate Sleeping',
      'deactivate Gone',
      'verify User sync',
      'verify Fresh',
      'activate Waking',
      'delete Gone',
    ])
    expect(result.summary).to.deep.include({activate: 1, create: 1, deactivate: 2, delete: 1, update: 1, verify: 2})
  })

  it("refuses a name the org holds twice, and warns when a name differs from the org's only in case", () => {
    const twin = hookFixture({id: 'whoTwin0000000000001'})
    try {
      plan(FIXTURE_FILE, [hookFixture(), twin])
      expect.fail('expected a refusal')
    } catch (error) {
      expect(error).to.be.instanceOf(CliError)
      expect((error as CliError).exitCode).to.equal(2)
      expect((error as CliError).message).to.equal(
        'hooks.yaml:2: "User sync" is the name of 2 hooks in the org (who8vt36qfNpCGz9H1e6, whoTwin0000000000001).',
      )
    }

    const result = plan(FIXTURE_FILE.replace('name: User sync', 'name: user sync'))
    expect(result.warnings).to.deep.equal([
      '"user sync" is not in the org, but "User sync" (who8vt36qfNpCGz9H1e6) is: ' +
        'names match exactly, so "user sync" is planned as a new hook.',
    ])
    expect(result.hooks[0].action).to.equal('create')
  })

  it('refuses (exit 2) a plan that would leave more than 25 active and verified hooks, counting those not in the file', () => {
    const many = Array.from(
      {length: 24},
      (_, i) => `  - name: H${i}\n    url: https://h.example.com/${i}\n    events: [user.lifecycle.create]\n`,
    ).join('')
    const text = `hooks:\n${many}`
    const others = [
      hookFixture({id: 'whoKeep0000000000001', name: 'Kept 1'}),
      hookFixture({id: 'whoKeep0000000000002', name: 'Kept 2'}),
    ]
    expect(() => plan(text, others)).to.throw(
      CliError,
      /would have 26 active and verified event hooks \(24 from the file, 2 not in it\); Okta allows at most 25/,
    )
    expect(plan(text, others, {prune: true}).summary.create).to.equal(24)
    expect(plan(text, [others[0], hookFixture({...others[1], status: 'INACTIVE'})]).summary.create).to.equal(24)
    expect(plan(text.replace('name: H0\n', 'name: H0\n    verify: false\n'), others).summary.create).to.equal(24)
  })
})
