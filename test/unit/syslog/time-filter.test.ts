import {expect} from 'chai'

import {allOf, eventTypeFilter, scimString, uuidFilter} from '../../../src/lib/syslog/filter.js'
import {hookStoryFilter, storyRow} from '../../../src/lib/syslog/hook-story.js'
import {checkWindow, parseTime} from '../../../src/lib/syslog/time.js'

const now = new Date('2026-11-24T12:00:00.000Z')

describe('syslog/time', () => {
  it('reads relative times before now', () => {
    expect(parseTime('15m', {now})).to.equal('2026-11-24T11:45:00.000Z')
    expect(parseTime('2h', {now})).to.equal('2026-11-24T10:00:00.000Z')
    expect(parseTime('7d', {now})).to.equal('2026-11-17T12:00:00.000Z')
    expect(parseTime('30s', {now})).to.equal('2026-11-24T11:59:30.000Z')
    expect(parseTime('1w', {now})).to.equal('2026-11-17T12:00:00.000Z')
    expect(parseTime('now', {now})).to.equal('2026-11-24T12:00:00.000Z')
  })

  it('reads ISO 8601 with or without a zone (UTC then) and bare dates', () => {
    expect(parseTime('2026-11-20T10:00:00Z')).to.equal('2026-11-20T10:00:00.000Z')
    expect(parseTime('2026-11-20T10:00:00+01:00')).to.equal('2026-11-20T09:00:00.000Z')
    expect(parseTime('2026-11-20T10:00:00.123')).to.equal('2026-11-20T10:00:00.123Z')
    expect(parseTime('2026-11-20')).to.equal('2026-11-20T00:00:00.000Z')
  })

  it('refuses anything else naming the flag, and a window that ends before it starts', () => {
    expect(() => parseTime('yesterday', {flag: '--since'})).to.throw(/--since "yesterday" is neither/)
    expect(() => parseTime('2026-13-45T00:00:00Z', {flag: '--until'})).to.throw(/--until/)
    expect(() => checkWindow('2026-11-21T00:00:00.000Z', '2026-11-20T00:00:00.000Z')).to.throw(/must be before/)
  })
})

describe('syslog/filter', () => {
  it('builds SCIM expressions with quotes escaped and or-groups parenthesised', () => {
    expect(scimString('a"b\\c')).to.equal('"a\\"b\\\\c"')
    expect(eventTypeFilter(['a', 'b'])).to.equal('eventType eq "a" or eventType eq "b"')
    expect(eventTypeFilter([])).to.equal(undefined)
    expect(allOf(eventTypeFilter(['a', 'b']), 'actor.id eq "x"')).to.equal(
      '(eventType eq "a" or eventType eq "b") and actor.id eq "x"',
    )
    expect(allOf(undefined, 'x pr')).to.equal('x pr')
    expect(uuidFilter(['4b5a2e5e-3f4c-11ef-9c1e-3b1a0b6b2f41'])).to.equal(
      'uuid eq "4b5a2e5e-3f4c-11ef-9c1e-3b1a0b6b2f41"',
    )
    expect(() => uuidFilter(['nope'])).to.throw(/--event-id nope/)
  })

  it('builds the hook story filter and rows, with event_hook.delivery debugData raw', () => {
    expect(hookStoryFilter('who1')).to.equal('eventType sw "event_hook" and target.id eq "who1"')
    expect(hookStoryFilter('who1', ['delivery'])).to.equal('eventType eq "event_hook.delivery" and target.id eq "who1"')
    expect(hookStoryFilter('who1', ['delivery', 'verified'])).to.equal(
      '(eventType eq "event_hook.delivery" or eventType eq "event_hook.verified") and target.id eq "who1"',
    )
    expect(() => hookStoryFilter('who1', ['nope'])).to.throw(/--type nope/)
    const row = storyRow({
      debugContext: {debugData: {deliveryErrorReason: 'timeout', hookUrl: 'https://x'}},
      displayMessage: 'Event hook delivery failed',
      eventType: 'event_hook.delivery',
      outcome: {reason: 'timeout', result: 'FAILURE'},
      published: '2026-11-24T10:00:00.000Z',
    })
    expect(row).to.deep.equal({
      debugData: '{"deliveryErrorReason":"timeout","hookUrl":"https://x"}',
      eventType: 'event_hook.delivery',
      message: 'Event hook delivery failed',
      outcome: 'FAILURE: timeout',
      time: '2026-11-24T10:00:00.000Z',
    })
  })
})
