import {expect} from 'chai'

import {type FilterTestSubject, testFilter} from '../../../../src/lib/filter-test/report.js'
import {compileFilter, compileHookFilters} from '../../../../src/lib/filters/index.js'

const SALES = "event.target.?[type eq 'UserGroup' && displayName eq 'Sales'].size() > 0"
const membership = (uuid: string, group: string) => ({
  eventType: 'group.user_membership.add',
  published: '2026-11-24T10:00:00.000Z',
  target: [
    {displayName: 'Jane', type: 'User'},
    {displayName: group, type: 'UserGroup'},
  ],
  uuid,
})
const created = {eventType: 'user.lifecycle.create', uuid: 'c1'}

const hook = (expression: string): FilterTestSubject => {
  const entries = [{event: 'group.user_membership.add', expression}]
  return {
    entries,
    filters: compileHookFilters(
      entries.map((e) => ({condition: {expression: e.expression, version: null}, event: e.event})),
    ),
    hook: {id: 'who1', name: 'Sales', status: 'ACTIVE'},
    items: ['group.user_membership.add', 'user.lifecycle.create'],
    kind: 'hook',
  }
}

describe('lib/filter-test/report', () => {
  // Okta's guide "Event hook filtering": the Sales group example; a type without a filter is delivered as is.
  const cases: [string, FilterTestSubject, unknown, string, boolean | null][] = [
    ['hook, filter passes', hook(SALES), membership('s', 'Sales'), 'applied', true],
    ['hook, filter fails', hook(SALES), membership('t', 'Support'), 'applied', false],
    ['hook, subscribed type without a filter', hook(SALES), created, 'no-filter', true],
    ['hook, a type it does not subscribe to', hook(SALES), {eventType: 'user.session.start'}, 'not-subscribed', false],
    [
      'hook, a filter the engine refuses',
      hook("event.actor.id matches 'x'"),
      membership('s', 'Sales'),
      'unsupported',
      null,
    ],
    [
      'expression for a type, another type',
      {eventTypes: ['group.user_membership.add'], expression: compileFilter(SALES), kind: 'expression'},
      created,
      'skipped',
      null,
    ],
    [
      'expression for any type',
      {eventTypes: [], expression: compileFilter("event.eventType eq 'user.lifecycle.create'"), kind: 'expression'},
      created,
      'applied',
      true,
    ],
    [
      'not an object at all',
      {eventTypes: [], expression: compileFilter("event.eventType eq 'x'"), kind: 'expression'},
      42,
      'applied',
      false,
    ],
  ]
  for (const [what, subject, event, decision, matched] of cases) {
    it(`${what}: ${decision}, matched ${matched}`, () => {
      const {events} = testFilter(subject, [event])
      expect(events[0]).to.deep.include({decision, matched})
      expect(events[0].reason).to.be.a('string').and.not.equal('')
    })
  }

  it('counts each outcome in the summary, and keeps the event identity', () => {
    const report = testFilter(hook(SALES), [membership('s', 'Sales'), membership('t', 'Support'), created])
    expect(report.summary).to.deep.equal({events: 3, matched: 2, notMatched: 1, skipped: 0, undecided: 0})
    expect(report.events[0]).to.deep.include({
      eventType: 'group.user_membership.add',
      expression: SALES,
      published: '2026-11-24T10:00:00.000Z',
      uuid: 's',
    })
    expect(report.events[2]).to.deep.include({expression: null, published: null, uuid: 'c1'})
  })
})
