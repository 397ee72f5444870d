import {expect} from 'chai'

import {CliError} from '../../../../src/lib/errors.js'
import {filterTestEvents} from '../../../../src/lib/filter-test/events.js'

describe('lib/filter-test/events', () => {
  it('samples: one per type; none asked is a usage error', async () => {
    const events = (await filterTestEvents(
      {sample: ['user.lifecycle.create', 'group.user_membership.add']},
      undefined,
    )) as {
      eventType: string
    }[]
    expect(events.map((e) => e.eventType)).to.deep.equal(['user.lifecycle.create', 'group.user_membership.add'])
    const refused = await filterTestEvents({sample: []}, undefined).catch((error: unknown) => error)
    expect(refused).to.be.instanceOf(CliError)
    expect((refused as CliError).exitCode).to.equal(2)
  })

  it('a file: what preview --from-file reads (here an envelope)', async () => {
    const envelope = {
      cloudEventsVersion: '0.1',
      contentType: 'application/json',
      data: {events: [{eventType: 'user.lifecycle.create', uuid: 'u1'}]},
      eventId: 'e',
      eventTime: '2026-11-24T10:00:00.000Z',
      eventType: 'com.okta.event_hook',
      eventTypeVersion: '1.0',
      source: 'https://example.okta.com/api/v1/eventHooks/who1',
    }
    const events = await filterTestEvents({file: 'x.json', text: JSON.stringify(envelope)}, undefined)
    expect(events).to.deep.equal([{eventType: 'user.lifecycle.create', uuid: 'u1'}])
  })
})
