/**
 * The one place the hooks file asks whether a filter expression is valid: the filter engine
 * (src/lib/filters/), the same check `create --filter` makes. What contradicts Okta's documentation
 * (syntax, not a Boolean, a field outside Okta's filterable list) is a problem of the file; what the
 * engine refuses but Okta's Expression Language may accept (operators and functions Okta's filter
 * docs never use) is a warning, and the filter is kept: the engine alone never blocks a plan.
 */
import {type FilterProblem, oktaMayAccept, validateFilter} from '../filters/index.js'

export interface FilterRefusal {
  /** What is wrong, with the position inside the expression, and how to fix it. */
  message: string
  /** 0-based offset of the problem in the expression. */
  offset: number
  /** `refuses`: a problem of the file; `may-accept`: a warning, the filter kept. */
  okta: 'may-accept' | 'refuses'
}

/** Why the expression is refused, or undefined when it is accepted. */
export function filterRefusal(expression: string): FilterRefusal | undefined {
  const checked = validateFilter(expression)
  if (checked.ok) return undefined
  const {problem} = checked
  return {
    message: describe(expression, problem),
    offset: problem.offset,
    okta: oktaMayAccept(problem) ? 'may-accept' : 'refuses',
  }
}

/** "unknown field event.actr.id (the expression's column 7): did you mean event.actor.id? …" */
function describe(expression: string, problem: FilterProblem): string {
  const hint = problem.hint ? `: ${problem.hint}` : ''
  if (expression.trim() === '') return `${problem.message}${hint}`
  const where = `${problem.line > 1 ? `line ${problem.line}, ` : ''}column ${problem.column}`
  return `${problem.message} (the expression's ${where})${hint}`
}
