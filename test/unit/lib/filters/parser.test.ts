import {expect} from 'chai'

import {FilterExpressionError, MAX_NESTING, validateFilter} from '../../../../src/lib/filters/index.js'
import {parseExpression} from '../../../../src/lib/filters/parser.js'
import {itRefuses, problemOf, type Refusal} from './refusals.js'

const OK = "event.outcome.result eq 'SUCCESS'"

describe('lib/filters/parser', () => {
  describe('syntax it accepts', () => {
    const accepted = [
      // SpEL word operators and keywords are case-insensitive; Okta writes eq (hook help page) and AND (EL reference).
      "event.outcome.result EQ 'SUCCESS'",
      "event.outcome.result eq 'SUCCESS' and event.eventType ne 'x'",
      "event.outcome.result eq 'SUCCESS' Or event.eventType ne 'x'",
      'event.outcome.reason eq NULL',
      'TRUE',
      // Double quotes, as in Okta's Expression Language reference ("San Francisco"); quotes doubled inside.
      'event.actor.displayName eq "Sales"',
      "event.actor.displayName eq 'O''Brien'",
      'event.actor.displayName eq "say ""hi"""',
      "event.target .?[ type eq 'UserGroup' ] . size ( ) > 0",
      "((event.outcome.result eq 'SUCCESS'))",
      "!!(event.outcome.result eq 'SUCCESS')",
      "event.target.?[type eq 'UserGroup'].size() > 0.5",
      ' \t\r\n' + OK + '\n',
    ]
    for (const expression of accepted) {
      it(JSON.stringify(expression), () => {
        const validation = validateFilter(expression)
        expect(validation.ok, validation.ok ? '' : validation.problem.message).to.equal(true)
      })
    }
  })

  it('keeps string values exactly, doubled quotes undone', () => {
    const node = parseExpression("event.actor.displayName eq 'O''Brien'")
    expect(node).to.deep.include({kind: 'compare', op: '==', opText: 'eq'})
    expect(node.kind === 'compare' && node.right).to.deep.equal({end: 37, kind: 'literal', start: 27, value: "O'Brien"})
  })

  it('reads a || b && c as a || (b && c), SpEL precedence', () => {
    const node = parseExpression("event.eventType eq 'a' || event.eventType eq 'b' && event.eventType eq 'c'")
    expect(node.kind).to.equal('or')
    expect(node.kind === 'or' && node.operands.map((operand) => operand.kind)).to.deep.equal(['compare', 'and'])
  })

  itRefuses([
    ['', 'syntax', 0, 'the expression is empty'],
    ['   ', 'syntax', 0, 'the expression is empty'],
    ["event.outcome.result eq 'SUCCESS", 'syntax', 24, 'unterminated string', "close it with '"],
    [
      "event.outcome.result eq 'SUCCESS' event.eventType",
      'syntax',
      34,
      'expected the end of the expression, found event',
    ],
    ['event.outcome.result eq', 'syntax', 23, 'expected a field, a string or a number, but the expression ends'],
    ["(event.outcome.result eq 'SUCCESS'", 'syntax', 0, 'unclosed (', 'close it with )'],
    ["(event.outcome.result eq 'SUCCESS']", 'syntax', 34, 'expected ) to close the ( at column 1, found ]'],
    ["event.target.?[type eq 'User').size() > 0", 'syntax', 29, 'expected ] to close the ?[ at column 14, found )'],
    ["event.target?[type eq 'User'].size() > 0", 'syntax', 12, 'a selection is written .?[...]', 'add the dot: .?['],
    ["event.outcome.result eq 'a' eq 'b'", 'syntax', 28, 'comparisons cannot be chained', 'join them with &&'],
    [
      "event.outcome.result eq 'a' & event.eventType eq 'b'",
      'syntax',
      28,
      'expected the end of the expression, found &',
      'write && for and',
    ],
    [
      "event.outcome.result eq 'a' | event.eventType eq 'b'",
      'syntax',
      28,
      'expected the end of the expression, found |',
      'write || for or',
    ],
    [
      "event.target.?[#this.type eq 'User'].size() > 0",
      'syntax',
      15,
      'expected a field, a string or a number, found #',
    ],
    [
      'event.target.size() > 0x10',
      'syntax',
      22,
      'unsupported number 0x10',
      'write numbers in decimal digits, such as 0',
    ],
    ['event.outcome.result eq ‘SUCCESS’', 'syntax', 24, 'unexpected character U+2018'],
    [
      "event.outcome.result\u00A0eq 'SUCCESS'",
      'syntax',
      20,
      'unexpected character U+00A0',
      'a non-breaking space: replace it with a normal space',
    ],
    ['event.outcome.result eq `SUCCESS`', 'syntax', 24, 'unexpected character "`"'],
    ["event.eventType gt 'a'", 'unsupported-operator', 16, 'unsupported operator gt', 'write > instead of gt'],
    ["event.eventType GE 'a'", 'unsupported-operator', 16, 'unsupported operator GE', 'write >= instead of ge'],
    ["not (event.eventType eq 'a')", 'unsupported-operator', 0, 'unsupported operator not', 'write ! instead of not'],
    ["event.eventType matches 'user.*'", 'unsupported-operator', 16, 'unsupported operator matches'],
    ["event.eventType eq 'a' ? true : false", 'unsupported-operator', 23, 'unsupported operator ?'],
    ["event.eventType eq 'a' + 'b'", 'unsupported-operator', 23, 'unsupported operator +'],
    ['event.target.?[type eq "User"].size() > -1', 'unsupported-operator', 40, 'unsupported operator -'],
    [
      "event.outcome.result = 'SUCCESS'",
      'unsupported-operator',
      21,
      'unsupported operator =',
      'compare with eq (or ==); = assigns',
    ],
    ["event.actor?.id eq 'a'", 'unsupported-operator', 11, 'unsupported operator ?.'],
    ["event.target[0].type eq 'User'", 'unsupported-operator', 12, 'unsupported operator ['],
    ["event.target.^[type eq 'User'].size() > 0", 'unsupported-operator', 13, 'unsupported operator ^['],
    ["event.target.$[type eq 'User'].size() > 0", 'unsupported-operator', 13, 'unsupported operator $['],
    ['event.target.![type].size() > 0', 'unsupported-operator', 13, 'unsupported projection .![...]'],
  ] satisfies Refusal[])

  describe('nesting', () => {
    it(`accepts ${MAX_NESTING} levels of parentheses and refuses more, cleanly`, () => {
      const nested = (depth: number) => '('.repeat(depth) + OK + ')'.repeat(depth)
      expect(validateFilter(nested(MAX_NESTING)).ok).to.equal(true)
      const problem = problemOf(nested(MAX_NESTING + 1))
      expect(problem).to.include({
        code: 'too-deep',
        message: `the expression nests more than ${MAX_NESTING} levels deep`,
      })
    })

    for (const [name, text] of [
      ['parentheses', '('.repeat(100_000)],
      ['negations', '!'.repeat(100_000) + OK],
      ['selections', 'event.target.?['.repeat(20_000)],
      ['calls', 'a('.repeat(50_000)],
      ['dotted steps', 'event' + '.a'.repeat(100_000)],
      ['contains chains', 'event.eventType' + ".contains('a')".repeat(20_000)],
    ]) {
      it(`refuses 100,000-character ${name} with too-deep, not a stack overflow`, () => {
        expect(problemOf(text).code).to.equal('too-deep')
      })
    }

    it('accepts a chain of 20,000 || operands (kept flat, so checking and evaluating cannot overflow)', () => {
      const expression = Array.from({length: 20_000}, (_, i) => `event.eventType eq 't${i}'`).join(' || ')
      const validation = validateFilter(expression)
      expect(validation.ok).to.equal(true)
    })
  })

  it('throws only FilterExpressionError', () => {
    expect(() => parseExpression('(')).to.throw(FilterExpressionError)
  })
})
