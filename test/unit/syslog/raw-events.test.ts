import {expect} from 'chai'
import {readFileSync} from 'node:fs'

import {buildEnvelope} from '../../../src/lib/delivery/envelope.js'
import {rawEnvelopeBody, rawEventKey} from '../../../src/lib/replay/raw-envelope.js'
import {splitEventArray} from '../../../src/lib/syslog/raw-events.js'

describe('syslog/raw-events', () => {
  it('splits a page into the exact text of each event, with its top-level uuid', () => {
    const text =
      ' [ {"uuid":"a","n":1.0,"s":"x\\"}]{[,","nested":{"uuid":"inner"},"arr":[{"uuid":"z"}]} ' +
      ',\n{"debug":{"uuid":"no"},"uuid" : "b","big":12345678901234567890} ]'
    const events = splitEventArray(text)
    expect(events.map((e) => e.uuid)).to.deep.equal(['a', 'b'])
    expect(events[0].json).to.equal(
      '{"uuid":"a","n":1.0,"s":"x\\"}]{[,","nested":{"uuid":"inner"},"arr":[{"uuid":"z"}]}',
    )
    expect(events[1].json).to.equal('{"debug":{"uuid":"no"},"uuid" : "b","big":12345678901234567890}')
    expect(splitEventArray('[]')).to.deep.equal([])
    expect(splitEventArray('[{"uuid":null}]')[0].uuid).to.equal(undefined)
  })

  it("keeps Okta's pretty-printed samples byte for byte", () => {
    const text = readFileSync('data/samples/ListLogs.json', 'utf8')
    const [event] = splitEventArray(text)
    expect(JSON.parse(event.json)).to.deep.equal(JSON.parse(text)[0])
    expect(text).to.contain(event.json)
    expect(event.uuid).to.equal(JSON.parse(text)[0].uuid)
  })

  it('refuses what is not a list of objects', () => {
    expect(() => splitEventArray('{"errorCode":"E0000009"}')).to.throw(/something other than a JSON list/)
    expect(() => splitEventArray('[1,2]')).to.throw(/element 1 is not an object/)
    expect(() => splitEventArray('[{"a":"b}]')).to.throw(/unterminated/)
  })

  it('builds the same envelope as buildEnvelope, key for key, around the raw events', () => {
    const events = splitEventArray('[{"uuid":"a","x":[1,2]},{"uuid":"b"}]')
    const eventTime = new Date('2026-11-24T10:00:00.000Z')
    const body = rawEnvelopeBody(events, {eventId: 'e-1', eventTime, source: 'https://o/api/v1/eventHooks/who1'})
    expect(body).to.equal(
      JSON.stringify(
        buildEnvelope({
          eventId: 'e-1',
          eventTime,
          events: events.map((e) => JSON.parse(e.json)),
          source: 'https://o/api/v1/eventHooks/who1',
        }),
      ),
    )
    expect(rawEventKey(events[0])).to.equal('a')
    expect(rawEventKey({json: '{}'})).to.match(/^sha1:/)
  })
})
