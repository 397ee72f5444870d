import {expect} from 'chai'

import {testFilter} from '../../../../src/lib/filter-test/report.js'
import {renderFilterTest, filterTestSummaryLine} from '../../../../src/lib/filter-test/view.js'
import {compileFilter} from '../../../../src/lib/filters/index.js'

const terminal = {color: false, columns: 100, tty: true, wide: false}

describe('lib/filter-test/view', () => {
  const subject = {
    eventTypes: ['user.lifecycle.create'],
    expression: compileFilter("event.actor.type eq 'User'"),
    kind: 'expression' as const,
  }
  const report = testFilter(subject, [
    {actor: {type: 'User'}, eventType: 'user.lifecycle.create', uuid: 'a'},
    {actor: {type: 'PublicClientApp'}, eventType: 'user.lifecycle.create', uuid: 'b'},
    {eventType: 'user.session.start', uuid: 'c'},
  ])

  it('at a terminal: an aligned table within the width, the reason last, the time only with --wide', () => {
    const lines = renderFilterTest(report, {verbose: false}, terminal).split('\n')
    expect(lines[0]).to.match(/^RESULT\s+EVENT TYPE\s+UUID\s+WHY$/)
    // the skipped event's reason is long: the event type is cut first, then the reason
    expect(lines[2]).to.match(/^not matched\s+user\.lifec…\s+b\s+event\.actor\.type is/)
    expect(lines.every((line) => line.length <= 100)).to.equal(true)
    const wide = renderFilterTest(report, {verbose: false}, {...terminal, wide: true}).split('\n')
    expect(wide[0]).to.match(/^RESULT\s+EVENT TYPE\s+PUBLISHED\s+UUID\s+WHY$/)
  })

  it('at 80 columns, real uuids: every line fits, the uuid whole, the event type cut before the reason', () => {
    const uuid = (n: number) => `e1232a36-8c45-47c4-a973-b3d0a03ae9a${n}`
    const group = (name: string) => ({displayName: name, id: `00g${name}`, type: 'UserGroup'})
    const sales = compileFilter("event.target.?[type eq 'UserGroup' && displayName eq 'Sales'].size() > 0")
    const membership = testFilter({eventTypes: ['group.user_membership.add'], expression: sales, kind: 'expression'}, [
      {eventType: 'group.user_membership.add', target: [group('Support')], uuid: uuid(1)},
      {eventType: 'group.user_membership.add', target: [group('Sales')], uuid: uuid(2)},
    ])
    const lines = renderFilterTest(membership, {verbose: false}, {...terminal, columns: 80}).split('\n')
    expect(lines.map((line) => line.length <= 80)).to.deep.equal([true, true, true])
    expect(lines[1])
      .to.contain(uuid(1))
      .and.match(/^not matched\s+group\.\S*\s+e1232a36\S+\s+0 of 1 target/)
  })

  it('--verbose: one block per event with the expression and its explanation', () => {
    const text = renderFilterTest(report, {verbose: true}, terminal)
    expect(text.split('\n\n')).to.have.length(3)
    expect(text).to.contain(
      "MATCHED  user.lifecycle.create  a\n  event.actor.type is 'User'\n  expression: event.actor.type eq 'User'",
    )
    expect(text).to.contain('SKIPPED  user.session.start  c')
  })

  it('the summary names skipped and undecided events only when there are some', () => {
    expect(filterTestSummaryLine(report.summary)).to.equal(
      '3 events: 1 matched, 1 not matched, 1 skipped (another event type).',
    )
    expect(filterTestSummaryLine({events: 1, matched: 0, notMatched: 0, skipped: 0, undecided: 1})).to.equal(
      '1 event: 0 matched, 0 not matched, 1 undecided (a filter okta-hooks cannot evaluate).',
    )
  })
})
