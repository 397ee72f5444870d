import {expect} from 'chai'

import {describeFilterProblem, EVENT_FIELDS, TARGET_FIELDS, validateFilter} from '../../../../src/lib/filters/index.js'
import {itRefuses, problemOf, type Refusal} from './refusals.js'

describe('lib/filters/checker', () => {
  it("accepts every field of Okta's Supported Filter Fields table, and nothing else under event", () => {
    // Okta help "Okta Expression Language and event hooks", Supported Filter Fields (Expression Language column).
    expect(Object.keys(EVENT_FIELDS)).to.deep.equal([
      'event.eventType',
      'event.outcome.result',
      'event.outcome.reason',
      'event.actor.id',
      'event.actor.type',
      'event.actor.alternateId',
      'event.actor.displayName',
      'event.debugData.changedAttributes',
    ])
    expect(TARGET_FIELDS).to.deep.equal(['id', 'type', 'alternateId', 'displayName'])
    for (const field of Object.keys(EVENT_FIELDS)) expect(validateFilter(`${field} eq 'x'`).ok, field).to.equal(true)
    for (const field of TARGET_FIELDS)
      expect(validateFilter(`event.target.?[${field} eq 'x'].size() > 0`).ok, field).to.equal(true)
  })

  it('reports an unknown field where it goes wrong, as the flag layer prints it', () => {
    const problem = problemOf("event.actr.id eq '00u1'")
    expect(problem).to.include({
      code: 'unknown-field',
      column: 7,
      length: 7,
      line: 1,
      message: 'unknown field event.actr.id',
      offset: 6,
    })
    expect(describeFilterProblem(problem)).to.match(
      /^unknown field event\.actr\.id at column 7 \(did you mean event\.actor\.id\? filterable: event\.eventType, /,
    )
    expect(problem.hint).to.include('event.target.?[displayName …]')
  })

  it('gives line and column in a multi-line expression', () => {
    const problem = problemOf("event.outcome.result eq 'SUCCESS' &&\n  event.actor.alternatId eq 'a'")
    expect(problem).to.include({code: 'unknown-field', column: 15, line: 2, offset: 51})
    expect(describeFilterProblem(problem)).to.match(
      /^unknown field event\.actor\.alternatId at line 2, column 15 \(did you mean event\.actor\.alternateId\?/,
    )
  })

  itRefuses([
    [
      "event.published eq 'x'",
      'unfilterable-field',
      6,
      'event.published is not filterable',
      'filterable: event.eventType',
    ],
    ["event.client.ipAddress eq '1.2.3.4'", 'unfilterable-field', 6, 'event.client.ipAddress is not filterable'],
    ["event.actor.detailEntry eq 'x'", 'unfilterable-field', 12, 'event.actor.detailEntry is not filterable'],
    [
      "event.debugContext.debugData.changedAttributes.contains('email')",
      'unfilterable-field',
      6,
      'event.debugContext.debugData.changedAttributes is not filterable',
      'did you mean event.debugData.changedAttributes?',
    ],
    [
      "event.debugData.targetEventHookIds.contains('who1')",
      'unfilterable-field',
      16,
      'event.debugData.targetEventHookIds is not filterable',
    ],
    ["event.outcome.status eq 'x'", 'unknown-field', 14, 'unknown field event.outcome.status'],
    ["event.eventtype eq 'x'", 'unknown-field', 6, 'unknown field event.eventtype', 'did you mean event.eventType?'],
    ["user.login eq 'x'", 'unknown-field', 0, 'unknown field user.login'],
    ["eventType eq 'x'", 'unknown-field', 0, 'unknown field eventType', 'did you mean event.eventType?'],
    [
      "event.actor eq 'x'",
      'unfilterable-field',
      0,
      'event.actor is an object, not a filterable field',
      'filter on event.actor.id, event.actor.type',
    ],
    ["event eq 'x'", 'unfilterable-field', 0, 'event is an object, not a filterable field'],
    [
      "event.target.type eq 'User'",
      'unfilterable-field',
      0,
      'event.target.type is filterable only through a selection',
    ],
    ['event.target.size() > 0', 'type', 13, 'size() counts the targets of a selection; event.target is not one'],
    [
      "event.target.?[event.eventType eq 'x'].size() > 0",
      'unfilterable-field',
      15,
      'event.eventType cannot be used inside a selection',
    ],
    [
      "event.target.?[name eq 'x'].size() > 0",
      'unknown-field',
      15,
      'unknown target field name',
      'inside .?[...] name a target field',
    ],
    [
      "event.target.?[DisplayName eq 'x'].size() > 0",
      'unknown-field',
      15,
      'unknown target field DisplayName',
      'did you mean displayName?',
    ],
    ["event.target.?[detailEntry eq 'x'].size() > 0", 'unknown-field', 15, 'unknown target field detailEntry'],
    [
      "event.actor.?[type eq 'User'].size() > 0",
      'type',
      0,
      'selections .?[...] run over event.target only, not event.actor',
    ],
    [
      "event.target.?[event.target.?[id eq 'a'].size() > 0].size() > 0",
      'type',
      15,
      'selections cannot be nested',
      'join the conditions with &&',
    ],
    [
      "event.target.?[type eq 'User'].?[id eq 'a'].size() > 0",
      'type',
      0,
      "selections .?[...] run over event.target only, not event.target.?[type eq 'User']",
    ],
    [
      "event.eventType.startsWith('user.')",
      'unsupported-function',
      16,
      'unsupported function startsWith()',
      'size() on a target selection',
    ],
    [
      'event.actor.displayName.toLowerCase() eq "sales"',
      'unsupported-function',
      24,
      'unsupported function toLowerCase()',
    ],
    ['event.eventType.length() > 3', 'unsupported-function', 16, 'unsupported function length()'],
    ["event.target.?[type eq 'User'].isEmpty()", 'unsupported-function', 31, 'unsupported function isEmpty()'],
    [
      "String.stringContains(event.eventType, 'user')",
      'unsupported-function',
      7,
      'unsupported function String.stringContains()',
    ],
    [
      "Arrays.contains(event.debugData.changedAttributes, 'email')",
      'unsupported-function',
      7,
      'unsupported function Arrays.contains()',
    ],
    ["isMemberOfGroupName('Sales')", 'unsupported-function', 0, 'unsupported function isMemberOfGroupName()'],
    ["event.target.?[type.equals('User')].size() > 0", 'unsupported-function', 20, 'unsupported function equals()'],
    [
      "event.target.?[type eq 'User'].size",
      'type',
      0,
      "event.target.?[type eq 'User'].size has no fields",
      'size is a function: write size(…)',
    ],
    ["event.target.?[type eq 'User'].size(1) > 0", 'type', 0, 'size() takes no arguments, not 1'],
    ['event.eventType.contains() ', 'type', 0, 'contains() takes 1 argument, not 0'],
    ["event.eventType.contains('a', 'b')", 'type', 0, 'contains() takes 1 argument, not 2'],
    ['event.eventType.contains(1)', 'type', 25, 'contains(...) takes a string; 1 is a number'],
    [
      "event.target.?[type eq 'User'].contains('User')",
      'type',
      31,
      "contains(...) searches a string; event.target.?[type eq 'User'] is a selection",
    ],
    [
      "event.eventType.contains('a').contains('b')",
      'type',
      30,
      "contains(...) searches a string; event.eventType.contains('a') is a Boolean",
    ],
    [
      'event.eventType eq 1',
      'type',
      0,
      'eq compares values of different types: event.eventType is a string, 1 is a number',
    ],
    [
      'event.eventType eq true',
      'type',
      0,
      'eq compares values of different types: event.eventType is a string, true is a Boolean',
    ],
    ["event.eventType > 'a'", 'type', 0, "> compares numbers: event.eventType is a string, 'a' is a string"],
    [
      "event.target.?[type eq 'User'].size() > '0'",
      'type',
      0,
      "> compares numbers: event.target.?[type eq 'User'].size() is a number, '0' is a string",
    ],
    [
      "event.target.?[type eq 'User'] eq 1",
      'type',
      0,
      'a selection is a list of targets, not a value',
      'count it with .size()',
    ],
    [
      "event.eventType && event.outcome.result eq 'x'",
      'type',
      0,
      '&& needs Boolean operands; event.eventType is a string',
      "compare it, such as event.eventType eq '…'",
    ],
    ["event.outcome.result eq 'x' || 'SUCCESS'", 'type', 31, "|| needs Boolean operands; 'SUCCESS' is a string"],
    ['!event.eventType', 'type', 1, '! needs Boolean operands; event.eventType is a string'],
    [
      'event.target.?[type].size() > 0',
      'type',
      15,
      'the selection condition is a string, not a Boolean',
      "such as type eq 'UserGroup'",
    ],
    [
      'event.eventType',
      'not-boolean',
      0,
      'the expression is a string, not a Boolean',
      'Okta requires a filter that evaluates to a Boolean',
    ],
    ["event.target.?[type eq 'UserGroup'].size()", 'not-boolean', 0, 'the expression is a number, not a Boolean'],
    [
      "event.target.?[type eq 'UserGroup']",
      'not-boolean',
      0,
      'the expression is a selection of targets, not a Boolean',
      'add .size() > 0',
    ],
    ["'Sales'", 'not-boolean', 0, 'the expression is a string, not a Boolean'],
    ['null', 'not-boolean', 0, 'the expression is null, not a Boolean'],
  ] satisfies Refusal[])

  it('accepts null comparisons, Boolean literals and contains on a literal', () => {
    for (const expression of [
      'event.outcome.reason eq null',
      'null ne event.outcome.reason',
      'true',
      "event.eventType.contains('user.') eq true",
      "'user.session.start'.contains(event.eventType)",
      "event.target.?[displayName.contains('Sales')].size() > 0",
      "event.target.?[!(type eq 'User')].size() > 0",
    ]) {
      const validation = validateFilter(expression)
      expect(validation.ok, validation.ok ? expression : validation.problem.message).to.equal(true)
    }
  })
})
