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

  it('at a terminal: an aligned table within the width, the reason last', () => {
    const lines = renderFilterTest(report, {verbose: false}, terminal).split('\n')
    expect(lines[0]).to.match(/^RESULT\s+EVENT TYPE\s+PUBLISHED\s+UUID\s+WHY$/)
    expect(lines[2]).to.match(/^not matched\s+user\.lifecycle\.create\s+b\s+event\.actor\.type is 'PublicClientApp'/)
    expect(lines.every((line) => line.length <= 100)).to.equal(true)
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
