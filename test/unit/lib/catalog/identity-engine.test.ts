import {expect} from 'chai'

import {
  identityEngineOf,
  identityEngineSource,
  identityEngineWarnings,
  withIdentityEngine,
} from '../../../../src/lib/catalog/identity-engine.js'

describe('lib/catalog/identity-engine', () => {
  // Okta's guide "Update your event hooks for Identity Engine", tables "Event types not available in
  // Identity Engine" and "Phone verification events".
  const table: [string, string[], ReturnType<typeof identityEngineOf>['identityEngine']][] = [
    ['user.authentication.authenticate', [], 'not-triggered'],
    ['user.credential.enroll', [], 'not-triggered'],
    ['user.account.unlock_token', [], 'not-triggered'],
    ['system.sms.send_phone_verification_message', [], 'payload-changed'],
    ['system.voice.send_phone_verification_call', [], 'payload-changed'],
    ['device.lifecycle.activate', ['oie-only'], 'identity-engine-only'],
    ['user.lifecycle.create', ['event-hook-eligible'], null],
  ]
  for (const [id, tags, mark] of table) {
    it(`${id} is ${mark ?? 'unmarked'}`, () => {
      const view = identityEngineOf(id, tags)
      expect(view.identityEngine).to.equal(mark)
      expect(view.identityEngineNote === null).to.equal(mark === null || mark === 'identity-engine-only')
    })
  }

  it('names its source, marks catalog entries, and warns only about types IE never triggers', () => {
    expect(identityEngineSource()).to.contain('developer.okta.com/docs/guides/oie-upgrade-event-hooks')
    const [entry] = withIdentityEngine([
      {beta: false, category: 'c', eventHookEligible: true, id: 'user.credential.enroll', release: '1', tags: []},
    ])
    expect(entry).to.include({id: 'user.credential.enroll', identityEngine: 'not-triggered'})
    const warnings = identityEngineWarnings(
      ['user.lifecycle.create', 'system.sms.send_phone_verification_message', 'user.credential.enroll'],
      'x: ',
    )
    expect(warnings).to.have.length(1)
    expect(warnings[0]).to.match(/^x: user\.credential\.enroll is not triggered in Identity Engine orgs \(Device Trust/)
  })
})
