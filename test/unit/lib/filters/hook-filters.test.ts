import {expect} from 'chai'

import {applyHookFilters, compileHookFilters} from '../../../../src/lib/filters/index.js'
import {CREATE_WITH_FILTER_SAMPLE, groupMembershipAdd, LIST_LOGS_EVENT} from './events.js'

const entry = (event: string, expression: string) => ({condition: {expression, version: null}, event})

describe('lib/filters/hook-filters', () => {
  // data/samples/CreateAnEventHookWithFilter.json: Okta's "Create an event hook with a filter" example.
  const [sample] = CREATE_WITH_FILTER_SAMPLE.events.filter.eventFilterMap
  const filters = compileHookFilters([entry(sample.event, sample.condition.expression)])

  it("applies the filter of the event's type (Okta's API example)", () => {
    expect(filters.problems).to.deep.equal([])
    const sales = applyHookFilters(filters, groupMembershipAdd({displayName: 'Sales'}))
    expect(sales).to.deep.include({filter: 'applied', passes: true})
    const support = applyHookFilters(filters, groupMembershipAdd({displayName: 'Support'}))
    expect(support).to.deep.include({
      filter: 'applied',
      passes: false,
      reason: "0 of 2 targets match [displayName eq 'Sales'], expected size() > 0",
    })
    expect(support.filter === 'applied' && support.expression).to.equal(sample.condition.expression)
  })

  it('lets through events of a type that has no filter', () => {
    expect(applyHookFilters(filters, LIST_LOGS_EVENT)).to.deep.equal({
      filter: 'none',
      passes: true,
      reason: 'no filter for user.session.start',
    })
    expect(applyHookFilters(compileHookFilters(null), LIST_LOGS_EVENT).passes).to.equal(true)
    expect(applyHookFilters(compileHookFilters(undefined), {}).reason).to.equal(
      'no filter for events without an eventType',
    )
  })

  it('keeps the filters it refuses apart and cannot decide their events', () => {
    const mixed = compileHookFilters([
      entry('user.session.start', "event.published eq 'x'"),
      entry('group.user_membership.add', 'true'),
    ])
    expect(mixed.problems).to.have.length(1)
    expect(mixed.problems[0]).to.deep.include({event: 'user.session.start', expression: "event.published eq 'x'"})
    expect(mixed.problems[0].problem.code).to.equal('unfilterable-field')
    const decision = applyHookFilters(mixed, LIST_LOGS_EVENT)
    expect(decision).to.deep.include({filter: 'unsupported', passes: null})
    expect(decision.reason).to.equal(
      'the filter for user.session.start cannot be evaluated here: event.published is not filterable',
    )
    expect(applyHookFilters(mixed, groupMembershipAdd({displayName: 'Any'})).passes).to.equal(true)
  })

  it('treats a missing condition as an empty, refused expression', () => {
    const broken = compileHookFilters([{event: 'user.session.start'} as never])
    expect(broken.problems[0].problem.message).to.equal('the expression is empty')
  })
})
