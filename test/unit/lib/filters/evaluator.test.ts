import {expect} from 'chai'

import {evaluateFilter, explanationLines} from '../../../../src/lib/filters/index.js'
import {groupMembershipAdd, LIST_LOGS_EVENT, logEvent} from './events.js'

const SALES = "event.target.?[type eq 'UserGroup' && displayName eq 'Sales'].size() > 0"

describe('lib/filters/evaluator', () => {
  describe('why, in one line', () => {
    // [expression, event, matched, reason]
    const rows: [string, unknown, boolean, string][] = [
      ["event.outcome.result eq 'SUCCESS'", LIST_LOGS_EVENT, true, "event.outcome.result is 'SUCCESS'"],
      [
        "event.outcome.result eq 'FAILURE'",
        LIST_LOGS_EVENT,
        false,
        "event.outcome.result is 'SUCCESS', expected 'FAILURE'",
      ],
      ["event.outcome.result ne 'FAILURE'", LIST_LOGS_EVENT, true, "event.outcome.result is 'SUCCESS', not 'FAILURE'"],
      [
        "event.outcome.result != 'SUCCESS'",
        LIST_LOGS_EVENT,
        false,
        "event.outcome.result is 'SUCCESS', expected anything but 'SUCCESS'",
      ],
      ["'SUCCESS' eq event.outcome.result", LIST_LOGS_EVENT, true, "event.outcome.result is 'SUCCESS'"],
      ["event.outcome.reason eq 'X'", LIST_LOGS_EVENT, false, "event.outcome.reason is null, expected 'X'"],
      [
        SALES,
        groupMembershipAdd({displayName: 'Sales'}),
        true,
        "1 of 2 targets match [type eq 'UserGroup' && displayName eq 'Sales'], so size() > 0",
      ],
      [
        SALES,
        LIST_LOGS_EVENT,
        false,
        "0 of 2 targets match [type eq 'UserGroup' && displayName eq 'Sales'], expected size() > 0",
      ],
      [
        "0 < event.target.?[type eq 'User'].size()",
        LIST_LOGS_EVENT,
        false,
        "0 of 2 targets match [type eq 'User'], expected size() > 0",
      ],
      [
        "event.target.?[type eq 'User'].size() eq 0",
        LIST_LOGS_EVENT,
        true,
        "0 of 2 targets match [type eq 'User'], so size() eq 0",
      ],
      [
        "event.outcome.result eq 'SUCCESS' && event.actor.type eq 'User'",
        LIST_LOGS_EVENT,
        true,
        "event.outcome.result is 'SUCCESS' and event.actor.type is 'User'",
      ],
      [
        "event.outcome.result eq 'FAILURE' && event.actor.type eq 'User'",
        LIST_LOGS_EVENT,
        false,
        "event.outcome.result is 'SUCCESS', expected 'FAILURE'",
      ],
      [
        "event.actor.type eq 'App' || event.outcome.result eq 'SUCCESS'",
        LIST_LOGS_EVENT,
        true,
        "event.outcome.result is 'SUCCESS'",
      ],
      [
        "event.actor.type eq 'App' || event.outcome.result eq 'FAILURE'",
        LIST_LOGS_EVENT,
        false,
        "event.actor.type is 'User', expected 'App'; event.outcome.result is 'SUCCESS', expected 'FAILURE'",
      ],
      [
        "!(event.outcome.result eq 'FAILURE')",
        LIST_LOGS_EVENT,
        true,
        "not (event.outcome.result is 'SUCCESS', expected 'FAILURE')",
      ],
      [
        "event.debugData.changedAttributes.contains('email')",
        logEvent({changedAttributes: 'email,manager'}),
        true,
        "event.debugData.changedAttributes is 'email,manager', which contains 'email'",
      ],
      [
        "event.debugData.changedAttributes.contains('email')",
        logEvent({changedAttributes: 'firstName'}),
        false,
        "event.debugData.changedAttributes is 'firstName', which does not contain 'email'",
      ],
      ['true', LIST_LOGS_EVENT, true, 'true'],
      ["'a' eq 'a'", LIST_LOGS_EVENT, true, "'a' eq 'a': eq holds"],
      [
        'event.actor.id eq event.actor.alternateId',
        LIST_LOGS_EVENT,
        false,
        "event.actor.id is '00uttidj01jqL21aM1d6', event.actor.alternateId is 'john.doe@example.com': eq does not hold",
      ],
      [
        "event.eventType.contains('session') eq true",
        LIST_LOGS_EVENT,
        true,
        "event.eventType is 'user.session.start', which contains 'session', true: eq holds",
      ],
    ]
    for (const [expression, event, matched, reason] of rows) {
      it(`${expression} → ${reason}`, () => {
        const evaluation = evaluateFilter(expression, event)
        expect(evaluation).to.deep.include({matched, reason})
        expect(evaluation.failure).to.equal(undefined)
        expect(evaluation.explanation.holds).to.equal(matched)
      })
    }
  })

  it('explains each target of a selection, for filter test to print', () => {
    const evaluation = evaluateFilter(SALES, groupMembershipAdd({displayName: 'Support'}))
    expect(evaluation.explanation.parts?.map((part) => [part.holds, part.text])).to.deep.equal([
      [false, "target[0] User 'Test User': type is 'User', expected 'UserGroup'"],
      [false, "target[1] UserGroup 'Support': displayName is 'Support', expected 'Sales'"],
    ])
    expect(explanationLines(evaluation.explanation)).to.deep.equal([
      "no  0 of 2 targets match [type eq 'UserGroup' && displayName eq 'Sales'], expected size() > 0",
      "  no  target[0] User 'Test User': type is 'User', expected 'UserGroup'",
      "  no  target[1] UserGroup 'Support': displayName is 'Support', expected 'Sales'",
      "    yes type is 'UserGroup'",
      "    no  displayName is 'Support', expected 'Sales'",
    ])
  })

  it('points each explanation at its place in the expression', () => {
    const expression = "event.actor.type eq 'App' || event.outcome.result eq 'FAILURE'"
    const {explanation} = evaluateFilter(expression, LIST_LOGS_EVENT)
    expect(explanation.offset).to.equal(0)
    expect(explanation.parts?.map((part) => part.offset)).to.deep.equal([0, expression.indexOf('event.outcome')])
  })

  describe('missing fields (null), as SpEL treats them', () => {
    const bare = {eventType: 'user.session.start'}

    it('compares a missing field as null', () => {
      expect(evaluateFilter("event.actor.id eq 'x'", bare)).to.deep.include({
        matched: false,
        reason: "event.actor.id is missing, expected 'x'",
      })
      expect(evaluateFilter("event.actor.id ne 'x'", bare).matched).to.equal(true)
      expect(evaluateFilter('event.actor.id eq null', bare).matched).to.equal(true)
      expect(evaluateFilter('event.outcome.reason eq null', LIST_LOGS_EVENT).matched).to.equal(true)
    })

    it('counts no targets when target is missing or null', () => {
      expect(evaluateFilter(SALES, bare)).to.deep.include({
        matched: false,
        reason: "0 of 0 targets match [type eq 'UserGroup' && displayName eq 'Sales'], expected size() > 0",
      })
      expect(evaluateFilter("event.target.?[type eq 'User'].size() eq 0", {target: null}).matched).to.equal(true)
    })

    it('fails the whole expression when contains is called on a missing field, and says so', () => {
      const evaluation = evaluateFilter("event.outcome.reason.contains('SECURITY_QUESTION') || true", LIST_LOGS_EVENT)
      expect(evaluation.matched).to.equal(false)
      expect(evaluation.failure).to.deep.equal({
        message:
          "event.outcome.reason is null, so event.outcome.reason.contains('SECURITY_QUESTION') " +
          "cannot be evaluated (Okta's Expression Language cannot call a function on it)",
        offset: 0,
      })
      expect(evaluation.reason).to.equal(evaluation.failure?.message)
    })

    it('never reaches a failing operand that && or || has already decided', () => {
      const guarded = "event.outcome.reason ne null && event.outcome.reason.contains('X')"
      expect(evaluateFilter(guarded, LIST_LOGS_EVENT)).to.deep.include({
        matched: false,
        reason: 'event.outcome.reason is null, expected anything but null',
      })
      expect(evaluateFilter(guarded, LIST_LOGS_EVENT).failure).to.equal(undefined)
      expect(evaluateFilter("true || event.outcome.reason.contains('X')", LIST_LOGS_EVENT).matched).to.equal(true)
    })

    it('fails when contains is given a missing field', () => {
      const evaluation = evaluateFilter('event.eventType.contains(event.outcome.reason)', LIST_LOGS_EVENT)
      expect(evaluation.failure?.message).to.equal(
        'event.outcome.reason is null, so event.eventType.contains(event.outcome.reason) cannot be evaluated',
      )
    })
  })

  describe('contains', () => {
    it('is a case-sensitive substring search on strings', () => {
      const filter = "event.debugData.changedAttributes.contains('email')"
      expect(evaluateFilter(filter, logEvent({changedAttributes: 'emailVerified'})).matched).to.equal(true)
      expect(evaluateFilter(filter, logEvent({changedAttributes: 'secondEmail'})).matched).to.equal(false)
    })

    it('is element equality when the field holds a list', () => {
      const event = logEvent({})
      ;(event.debugContext as {debugData: Record<string, unknown>}).debugData.changedAttributes = ['email', 'manager']
      expect(evaluateFilter("event.debugData.changedAttributes.contains('email')", event)).to.deep.include({
        matched: true,
        reason: 'event.debugData.changedAttributes is ["email","manager"], which contains \'email\'',
      })
      expect(evaluateFilter("event.debugData.changedAttributes.contains('mail')", event).matched).to.equal(false)
    })

    it('fails on a field that is neither', () => {
      const evaluation = evaluateFilter("event.eventType.contains('a')", {eventType: 42})
      expect(evaluation.failure?.message).to.match(
        /^event\.eventType is 42, so event\.eventType\.contains\('a'\) cannot be evaluated/,
      )
    })
  })

  describe('any JSON at all as the event', () => {
    const odd = [
      null,
      undefined,
      42,
      'text',
      [],
      {target: 'x'},
      {target: [null, 3, 'a', []]},
      {actor: []},
      {outcome: {result: {x: 1}}},
    ]
    for (const event of odd) {
      it(`evaluates against ${JSON.stringify(event)} without throwing`, () => {
        for (const filter of [SALES, "event.outcome.result eq 'SUCCESS'", "event.actor.id ne 'x'"]) {
          const evaluation = evaluateFilter(filter, event)
          expect(evaluation.matched).to.be.a('boolean')
          expect(evaluation.reason).to.be.a('string')
        }
      })
    }

    it('says a non-list target cannot be selected from', () => {
      expect(evaluateFilter(SALES, {target: 'x'}).failure?.message).to.equal(
        "event.target is 'x', not a list, so the selection cannot be evaluated",
      )
    })

    it('compares object values by their JSON', () => {
      expect(evaluateFilter("event.outcome.result eq 'x'", {outcome: {result: {x: 1}}}).reason).to.equal(
        'event.outcome.result is {"x":1}, expected \'x\'',
      )
    })
  })
})
