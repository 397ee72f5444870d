import {expect} from 'chai'

import {describeFilterProblem, pointAtProblem} from '../../../../src/lib/filters/index.js'
import {describePosition, positionOf} from '../../../../src/lib/filters/problem.js'
import {problemOf} from './refusals.js'

describe('lib/filters/problem', () => {
  it('counts lines and columns from 1, offsets from 0', () => {
    expect(positionOf('abc', 0)).to.deep.equal({column: 1, line: 1})
    expect(positionOf('abc\ndef', 5)).to.deep.equal({column: 2, line: 2})
    expect(positionOf('a\n\nb', 3)).to.deep.equal({column: 1, line: 3})
    expect(describePosition('abc', 2)).to.equal('column 3')
    expect(describePosition('a\nbc', 3)).to.equal('line 2, column 2')
  })

  it('describes a problem in one line, hint in parentheses, for the flag layer to prefix', () => {
    const problem = problemOf("event.eventType gt 'a'")
    expect(describeFilterProblem(problem)).to.equal('unsupported operator gt at column 17 (write > instead of gt)')
    expect(`--filter user.lifecycle.create: ${describeFilterProblem(problemOf("event.actr.id eq 'a'"))}`).to.match(
      /^--filter user\.lifecycle\.create: unknown field event\.actr\.id at column 7 \(did you mean event\.actor\.id\? filterable: /,
    )
  })

  it('leaves out the parentheses when there is no hint', () => {
    expect(describeFilterProblem({code: 'syntax', column: 3, length: 1, line: 1, message: 'x', offset: 2})).to.equal(
      'x at column 3',
    )
  })

  it('draws a caret under the problem, on its own line of the expression', () => {
    const expression = "event.outcome.result eq 'SUCCESS' &&\n  event.actr.id eq 'a'"
    expect(pointAtProblem(expression, problemOf(expression))).to.equal("  event.actr.id eq 'a'\n        ^^^^^^^")
    expect(pointAtProblem('(true', problemOf('(true'))).to.equal('(true\n^')
    const atEnd = 'event.outcome.result eq'
    expect(pointAtProblem(atEnd, problemOf(atEnd))).to.equal(`${atEnd}\n${' '.repeat(atEnd.length)}^`)
  })
})
