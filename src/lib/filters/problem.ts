/**
 * What is wrong with a filter expression, and where: the one error type the filter engine throws.
 * Positions are 0-based offsets into the expression (JavaScript string indices) plus a 1-based
 * line and column for people.
 */

export type FilterProblemCode =
  | 'not-boolean'
  | 'syntax'
  | 'too-deep'
  | 'type'
  | 'unfilterable-field'
  | 'unknown-field'
  | 'unsupported-function'
  | 'unsupported-operator'

/**
 * Refusals where this engine is stricter than Okta may be: SpEL, which Okta's Expression Language
 * is built on, has these operators and functions, compares strings with numbers, and nests deeper;
 * Okta's filter docs just never use them. Every other refusal contradicts Okta's documentation
 * (not the syntax, not a Boolean, a field outside Okta's list of filterable fields).
 */
const OKTA_MAY_ACCEPT: ReadonlySet<FilterProblemCode> = new Set<FilterProblemCode>([
  'too-deep',
  'type',
  'unsupported-function',
  'unsupported-operator',
])

/** Whether Okta itself may accept an expression refused for this problem (the engine is stricter there). */
export function oktaMayAccept(problem: Pick<FilterProblem, 'code'>): boolean {
  return OKTA_MAY_ACCEPT.has(problem.code)
}

export interface FilterProblem {
  code: FilterProblemCode
  /** What is wrong, without the position: "unknown field event.actr.id". */
  message: string
  /** 0-based offset of the offending text in the expression. */
  offset: number
  /** How many characters the offending text spans (0 at the end of the expression). */
  length: number
  /** 1-based line and column of `offset`. */
  line: number
  column: number
  /** How to fix it: "did you mean event.actor.id?", "filterable: …". */
  hint?: string
}

export class FilterExpressionError extends Error {
  readonly problem: FilterProblem

  constructor(problem: FilterProblem) {
    super(describeFilterProblem(problem))
    this.name = 'FilterExpressionError'
    this.problem = problem
  }
}

/** A span of the expression: where a token or node starts and ends (end exclusive). */
export interface Span {
  end: number
  start: number
}

/** Builds the problem for `span` of `source` (line and column computed from the offset). */
export function problemAt(
  source: string,
  span: Span,
  code: FilterProblemCode,
  message: string,
  hint?: string,
): FilterProblem {
  return {
    code,
    ...positionOf(source, span.start),
    ...(hint ? {hint} : {}),
    length: Math.max(0, span.end - span.start),
    message,
    offset: span.start,
  }
}

/** 1-based line and column of a 0-based offset. */
export function positionOf(source: string, offset: number): {column: number; line: number} {
  const before = source.slice(0, offset)
  return {column: offset - before.lastIndexOf('\n'), line: before.split('\n').length}
}

/** "column 7", or "line 2, column 3" when the expression has several lines. */
export function describePosition(source: string, offset: number): string {
  return whereText(positionOf(source, offset))
}

function whereText({column, line}: {column: number; line: number}): string {
  return line > 1 ? `line ${line}, column ${column}` : `column ${column}`
}

export function filterError(
  source: string,
  span: Span,
  code: FilterProblemCode,
  message: string,
  hint?: string,
): FilterExpressionError {
  return new FilterExpressionError(problemAt(source, span, code, message, hint))
}

/**
 * "unknown field event.actr.id at column 7 (did you mean event.actor.id?)": the problem in one
 * line, ready for a prefix such as "--filter user.lifecycle.create: ".
 */
export function describeFilterProblem(problem: FilterProblem): string {
  return `${problem.message} at ${whereText(problem)}${problem.hint ? ` (${problem.hint})` : ''}`
}

/** The expression's offending line and a caret line under the problem, for a terminal. */
export function pointAtProblem(expression: string, problem: FilterProblem): string {
  const line = expression.split('\n')[problem.line - 1] ?? ''
  const width = Math.max(1, Math.min(problem.length, line.length - problem.column + 1))
  return `${line}\n${' '.repeat(problem.column - 1)}${'^'.repeat(width)}`
}
