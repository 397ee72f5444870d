/** One filter expression: compiled once (parse + check), evaluated against any number of events. */
import {checkProgram, type Program} from './checker.js'
import {evaluateProgram, type FilterEvaluation} from './evaluator.js'
import {parseExpression} from './parser.js'
import {type FilterProblem, FilterExpressionError, problemAt} from './problem.js'

export type {FilterEvaluation} from './evaluator.js'

export interface FilterExpression {
  /** The expression as written. */
  readonly source: string
  /** The checked program; only the evaluator reads it. */
  readonly program: Program
}

export type FilterValidation = {filter: FilterExpression; ok: true} | {ok: false; problem: FilterProblem}

/** Parses and checks `expression`; throws FilterExpressionError (and nothing else) when refused. */
export function compileFilter(expression: string): FilterExpression {
  if (typeof expression !== 'string') {
    const message = `the expression must be a string, not ${typeof expression}`
    throw new FilterExpressionError(problemAt('', {end: 0, start: 0}, 'syntax', message))
  }

  return {program: checkProgram(expression, parseExpression(expression)), source: expression}
}

/** For create/update: ok with the compiled filter, or the problem and where it is. */
export function validateFilter(expression: string): FilterValidation {
  try {
    return {filter: compileFilter(expression), ok: true}
  } catch (error) {
    if (error instanceof FilterExpressionError) return {ok: false, problem: error.problem}
    throw error
  }
}

/** Matched or not, and why. A string is compiled first (FilterExpressionError when refused). */
export function evaluateFilter(filter: FilterExpression | string, event: unknown): FilterEvaluation {
  const compiled = typeof filter === 'string' ? compileFilter(filter) : filter
  return evaluateProgram(compiled.program, event)
}
