/** Shared by the filter tests: the problem an expression is refused with, and table-driven refusals. */
import {expect} from 'chai'

import {type FilterProblem, validateFilter} from '../../../../src/lib/filters/index.js'

export function problemOf(expression: string): FilterProblem {
  const validation = validateFilter(expression)
  if (validation.ok) throw new Error(`expected ${expression} to be refused`)
  return validation.problem
}

/** [expression, code, offset, message, hint (a part of it)?] */
export type Refusal = [string, FilterProblem['code'], number, string, string?]

export function itRefuses(rows: Refusal[]): void {
  for (const [expression, code, offset, message, hint] of rows) {
    it(`refuses ${JSON.stringify(expression)}: ${code}, ${message}`, () => {
      const problem = problemOf(expression)
      expect(problem).to.include({code, message, offset})
      if (hint) expect(problem.hint).to.include(hint)
    })
  }
}
