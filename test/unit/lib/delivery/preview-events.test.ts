import {expect} from 'chai'

import {previewEvents, previewQuery} from '../../../../src/lib/delivery/preview-events.js'
import {CliError} from '../../../../src/lib/errors.js'

const NOW = new Date('2026-12-01T12:00:00.000Z')

describe('lib/delivery/preview-events', () => {
  it('asks the System Log for the newest events of the types, over 7 days by default', () => {
    const {max, query} = previewQuery(
      {
        eventTypes: ['user.lifecycle.create', 'user.lifecycle.activate'],
        filter: 'actor.id eq "00u1"',
        limit: 3,
        q: 'jane',
      },
      NOW,
    )
    expect(max).to.equal(3)
    expect(query).to.deep.equal({
      filter: '(eventType eq "user.lifecycle.create" or eventType eq "user.lifecycle.activate") and actor.id eq "00u1"',
      limit: 3,
      q: 'jane',
      since: '2026-11-24T12:00:00.000Z',
      sortOrder: 'DESCENDING',
      until: NOW.toISOString(),
    })
  })

  it('asks for given uuids over 89 days (Okta keeps 90), as many as given', () => {
    const ids = ['4b5a2e5e-3f4c-11ef-9c1e-3b1a0b6b2f41', '4b5a2e5e-3f4c-11ef-9c1e-3b1a0b6b2f42']
    const {max, query} = previewQuery(
      {eventIds: ids, eventTypes: ['user.lifecycle.create'], limit: 1, until: '1h'},
      NOW,
    )
    expect(max).to.equal(2)
    expect(query).to.include({limit: 2, since: '2026-09-03T12:00:00.000Z', until: '2026-12-01T11:00:00.000Z'})
    expect(query.filter).to.equal(`uuid eq "${ids[0]}" or uuid eq "${ids[1]}"`)
  })

  it('refuses a window that ends before it starts, and a sample without an event type', async () => {
    expect(() => previewQuery({eventTypes: ['x'], limit: 1, since: '1h', until: '2h'}, NOW)).to.throw(
      CliError,
      '--since',
    )
    const error = await previewEvents({sample: undefined}, undefined).catch((error_: unknown) => error_ as CliError)
    expect(error).to.be.instanceOf(CliError)
    expect((error as CliError).message).to.equal('--sample without a hook needs --event-type.')
  })

  it('reads a file of events, or makes a sample, without any call to Okta', async () => {
    const fromFile = await previewEvents({file: 'e.ndjson', text: '{"uuid":"a"}\n{"uuid":"b"}\n'}, undefined)
    expect(fromFile).to.deep.equal({objects: [{uuid: 'a'}, {uuid: 'b'}]})
    const sample = await previewEvents({sample: 'user.lifecycle.create'}, undefined)
    expect('objects' in sample && sample.objects[0].eventType).to.equal('user.lifecycle.create')
  })
})
