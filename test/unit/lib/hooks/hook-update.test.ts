import {expect} from 'chai'

import {CliError} from '../../../../src/lib/errors.js'
import {
  applyHeaderChanges,
  hasRequestedChanges,
  planUpdate,
  renderChanges,
  VERIFICATION_RULE,
  verificationEffect,
  WRITE_ONLY,
} from '../../../../src/lib/hooks/hook-update.js'
import type {EventHook} from '../../../../src/lib/hooks/types.js'
import {hookFixture} from '../../../fixtures/hooks/index.js'
import {assertEventHookContract} from '../../../helpers/contract.js'

const SECRET = 'update-secret-value-02'
const auth = {key: 'Authorization', value: SECRET}

function usage(fn: () => unknown): CliError {
  try {
    fn()
  } catch (error) {
    expect(error).to.be.instanceOf(CliError)
    expect((error as CliError).exitCode).to.equal(2)
    return error as CliError
  }

  throw new Error('expected a usage error')
}

describe('lib/hooks/hook-update', () => {
  it('no flag is no requested change', () => {
    expect(hasRequestedChanges({})).to.equal(false)
    expect(hasRequestedChanges({events: []})).to.equal(false)
    expect(hasRequestedChanges({description: ''})).to.equal(true)
    expect(hasRequestedChanges({removeAuth: true})).to.equal(true)
  })

  it('keeps everything not asked for, drops server-owned fields, and resends the secret', () => {
    const plan = planUpdate(hookFixture(), {auth, name: 'B'})
    expect(plan.body).to.deep.equal({
      channel: {
        config: {
          authScheme: {key: 'Authorization', type: 'HEADER', value: SECRET},
          headers: [{key: 'X-Other-Header', value: 'some-other-value'}],
          uri: 'https://hooks.example.com/okta',
        },
        type: 'HTTP',
        version: '1.0.0',
      },
      description: 'Sync new users to the CRM',
      events: {items: ['user.lifecycle.create', 'user.lifecycle.activate'], type: 'EVENT_TYPE'},
      name: 'B',
    })
    assertEventHookContract(plan.body, 'request')
    expect(plan.changes.map((c) => c.field)).to.deep.equal(['name', 'channel.config.authScheme'])
    expect(JSON.stringify(plan.changes)).not.to.contain(SECRET)
    // The secret is sent again, but Okta never returned the one it holds: it may be the same.
    expect(plan).to.include({channelChanged: false, verification: 'required-if-secret-differs'})
  })

  it('states once what each kind of change does to verification, and applies it the same way everywhere', () => {
    const config = {
      authScheme: {key: 'Authorization', type: 'HEADER' as const},
      headers: [
        {key: 'X-A', value: '1'},
        {key: 'X-B', value: '2'},
      ],
      uri: 'https://h.example.com/okta',
    }
    const withSecret = (value: string) => ({...config, authScheme: {...config.authScheme, value}})
    expect(verificationEffect(config, config)).to.equal('kept')
    expect(
      verificationEffect(config, {
        ...config,
        headers: [
          {key: 'x-b', value: '2'},
          {key: 'x-a', value: '1'},
        ],
      }),
    ).to.equal('kept')
    expect(verificationEffect(config, {...config, uri: 'https://h.example.com/v2'})).to.equal('required')
    expect(verificationEffect(config, {...config, headers: [{key: 'X-A', value: '9'}]})).to.equal('required')
    expect(verificationEffect(config, {...config, authScheme: {key: 'X-Key', type: 'HEADER', value: 's'}})).to.equal(
      'required',
    )
    expect(verificationEffect(config, {...config, authScheme: null})).to.equal('required')
    expect(verificationEffect(config, withSecret('s'))).to.equal('required-if-secret-differs')
    expect(verificationEffect(withSecret('s'), withSecret('s'))).to.equal('kept')
    expect(verificationEffect(withSecret('s'), withSecret('t'))).to.equal('required')
    for (const change of [{name: 'B'}, {description: 'd'}, {addEvents: ['user.lifecycle.deactivate']}]) {
      expect(planUpdate(hookFixture(), change, {requireSecret: false}).verification, JSON.stringify(change)).to.equal(
        'kept',
      )
    }

    expect(planUpdate(hookFixture(), {auth, url: 'https://hooks.example.com/v2'}).verification).to.equal('required')
    expect(VERIFICATION_RULE)
      .to.contain('Changing the channel')
      .and.contain('Name, description, events and filters keep its verification')
  })

  it('refuses to drop the write-only secret silently', () => {
    const error = usage(() => planUpdate(hookFixture(), {name: 'B'}))
    expect(error.code).to.equal('AUTH_SECRET_REQUIRED')
    expect(error.causes[0]).to.contain('full replace (PUT)')
    expect(usage(() => planUpdate(hookFixture(), {auth, removeAuth: true})).message).to.contain('not both')
    const preview = planUpdate(hookFixture(), {name: 'B'}, {requireSecret: false})
    expect(preview.changes).to.deep.equal([{after: 'B', before: 'User sync', field: 'name'}])
    expect(preview.channelChanged).to.equal(false)
  })

  it('--remove-auth removes it, and needs an auth header to remove', () => {
    const plan = planUpdate(hookFixture(), {removeAuth: true})
    expect(plan.body.channel.config).not.to.have.property('authScheme')
    expect(plan.changes).to.deep.equal([
      {after: null, before: `Authorization: ${WRITE_ONLY}`, field: 'channel.config.authScheme'},
    ])
    const noAuth: EventHook = hookFixture({
      channel: {config: {uri: 'https://h.example.com'}, type: 'HTTP', version: '1.0.0'},
    })
    expect(usage(() => planUpdate(noAuth, {removeAuth: true})).message).to.contain('no auth header to remove')
    expect(planUpdate(noAuth, {name: 'C'}).body.channel.config).to.deep.equal({uri: 'https://h.example.com'})
  })

  it('events: replace, add (deduplicated), remove; at least one left', () => {
    const hook = hookFixture()
    expect(planUpdate(hook, {auth, events: ['group.user_membership.add']}).body.events.items).to.deep.equal([
      'group.user_membership.add',
    ])
    expect(
      planUpdate(hook, {addEvents: ['user.lifecycle.create,user.lifecycle.suspend'], auth}).body.events.items,
    ).to.deep.equal(['user.lifecycle.create', 'user.lifecycle.activate', 'user.lifecycle.suspend'])
    expect(planUpdate(hook, {auth, removeEvents: ['user.lifecycle.activate']}).body.events.items).to.deep.equal([
      'user.lifecycle.create',
    ])
    expect(
      usage(() => planUpdate(hook, {auth, removeEvents: ['user.lifecycle.create', 'user.lifecycle.activate']})).message,
    ).to.contain('no event types left')
    expect(planUpdate(hook, {addEvents: ['x.y.z'], allowUnknownEvents: true, auth}).body.events.items).to.include(
      'x.y.z',
    )
  })

  it('filters: set, replace, remove, and carried over untouched otherwise', () => {
    const hook = hookFixture({
      events: {
        filter: {
          eventFilterMap: [
            {condition: {expression: "event.actor.id eq 'a'", version: null}, event: 'user.lifecycle.create'},
          ],
          type: 'EXPRESSION_LANGUAGE',
        },
        items: ['user.lifecycle.create', 'user.lifecycle.activate'],
        type: 'EVENT_TYPE',
      },
    })
    assertEventHookContract(hook, 'response')
    expect(planUpdate(hook, {auth, name: 'Z'}).body.events.filter).to.deep.equal(hook.events.filter)
    const set = planUpdate(hook, {
      auth,
      filters: ["user.lifecycle.activate=event.actor.id eq 'c'", "user.lifecycle.create=event.actor.id eq 'e'"],
    })
    expect(set.body.events.filter?.eventFilterMap).to.deep.equal([
      {condition: {expression: "event.actor.id eq 'e'", version: null}, event: 'user.lifecycle.create'},
      {condition: {expression: "event.actor.id eq 'c'", version: null}, event: 'user.lifecycle.activate'},
    ])
    assertEventHookContract(set.body, 'request')
    const removed = planUpdate(hook, {auth, removeFilters: ['user.lifecycle.create']})
    expect(removed.body.events).not.to.have.property('filter')
    expect(removed.changes[0]).to.deep.equal({
      after: {},
      before: {'user.lifecycle.create': "event.actor.id eq 'a'"},
      field: 'events.filter',
    })
  })

  it('headers: set by name keeping the position, remove, refuse unknown removals', () => {
    const current = [
      {key: 'x-a', value: '1'},
      {key: 'X-B', value: '2'},
    ]
    expect(applyHeaderChanges(current, ['X-A: 9', 'X-C: 3'], ['x-b'])).to.deep.equal([
      {key: 'X-A', value: '9'},
      {key: 'X-C', value: '3'},
    ])
    expect(usage(() => applyHeaderChanges(current, [], ['X-Z'])).message).to.contain('no such header')
    expect(usage(() => applyHeaderChanges(current, ['X-Q: 1', 'x-q: 2'], [])).message).to.contain('more than once')
  })

  it('description "" clears it to null; a same value is no change', () => {
    expect(planUpdate(hookFixture(), {auth, description: ''}).body.description).to.equal(null)
    const same = planUpdate(
      hookFixture(),
      {description: 'Sync new users to the CRM', url: 'https://hooks.example.com/okta'},
      {requireSecret: false},
    )
    expect(same.changes).to.deep.equal([])
  })

  it('renders changes for people, masking secret-looking header values', () => {
    const hook = hookFixture({
      channel: {
        config: {headers: [{key: 'X-Api-Key', value: 'plain-key-value'}], uri: 'https://h.example.com'},
        type: 'HTTP',
        version: '1.0.0',
      },
    })
    const plan = planUpdate(hook, {headers: ['X-Api-Key: new-key-value'], url: 'https://h2.example.com'})
    const text = renderChanges(plan.changes)
    expect(text).to.contain('channel.config.uri: https://h.example.com → https://h2.example.com')
    expect(text).to.contain('channel.config.headers: X-Api-Key: **** → X-Api-Key: **** (new value)')
    expect(text).not.to.contain('key-value')
  })
})
