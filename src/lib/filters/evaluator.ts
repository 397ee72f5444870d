/**
 * Runs a checked filter against one LogEvent and says why it matched or not. Evaluation follows
 * SpEL, which Okta's Expression Language is built on: && and || stop at the first operand that
 * decides, a missing field is null, and calling a function on null fails the whole expression.
 */
import type {Program} from './checker.js'
import {valueAt} from './fields.js'
import type {CompareOp} from './parser.js'

/** Why a part of the expression held or not; `parts` are the sub-parts that decided it. */
export interface Explanation {
  holds: boolean
  /** 0-based offset of this part in the expression. */
  offset: number
  parts?: Explanation[]
  /** "event.outcome.result is 'FAILURE', expected 'SUCCESS'" */
  text: string
}

export interface FilterEvaluation {
  explanation: Explanation
  /**
   * Set when the expression cannot be evaluated on this event (a function called on a missing
   * field): SpEL fails the whole expression there, so the event counts as not matched.
   */
  failure?: {message: string; offset: number}
  matched: boolean
  /** The explanation in one line. */
  reason: string
}

/** What an operand was seen to be: its value and how to say it. */
interface Seen {
  /** "event.outcome.result is 'FAILURE'", "1 of 2 targets match [type eq 'UserGroup']" */
  fact: string
  /** How the operand is named in "expected … > 0": the field path, size(), or the literal. */
  name: string
  parts?: Explanation[]
  source: 'condition' | 'field' | 'literal' | 'size'
  value: unknown
}

interface Context {
  event: unknown
  target?: unknown
}

class EvaluationFailure extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message)
  }
}

export function evaluateProgram(program: Program, event: unknown): FilterEvaluation {
  try {
    const explanation = holds(program, {event})
    return {explanation, matched: explanation.holds, reason: explanation.text}
  } catch (error) {
    if (!(error instanceof EvaluationFailure)) throw error
    const {message, offset} = error
    const explanation = {holds: false, offset, text: message}
    return {explanation, failure: {message, offset}, matched: false, reason: message}
  }
}

function holds(node: Program, context: Context): Explanation {
  switch (node.kind) {
    case 'and':
    case 'or': {
      return chain(node, context)
    }

    case 'not': {
      const inner = holds(node.operand, context)
      return {holds: !inner.holds, offset: node.start, parts: [inner], text: `not (${inner.text})`}
    }

    case 'compare': {
      return compare(node, context)
    }

    case 'contains': {
      return contains(node, context)
    }

    default: {
      const value = see(node, context)
      return {holds: value.value === true, offset: node.start, text: value.fact}
    }
  }
}

/** && stops at the first operand that fails, || at the first that holds (as SpEL does). */
function chain(node: Program & {kind: 'and' | 'or'}, context: Context): Explanation {
  const deciding = node.kind === 'or'
  const parts: Explanation[] = []
  for (const operand of node.operands) {
    const part = holds(operand, context)
    parts.push(part)
    if (part.holds === deciding) return {holds: deciding, offset: node.start, parts, text: part.text}
  }

  const text = parts.map((part) => part.text).join(deciding ? '; ' : ' and ')
  return {holds: !deciding, offset: node.start, parts, text}
}

function compare(node: Program & {kind: 'compare'}, context: Context): Explanation {
  const left = see(node.left, context)
  const right = see(node.right, context)
  const result = test(node.op, left.value, right.value)
  const parts = [...(left.parts ?? []), ...(right.parts ?? [])]
  const text = comparisonText(node, left, right, result)
  return {holds: result, offset: node.start, ...(parts.length > 0 ? {parts} : {}), text}
}

function test(op: CompareOp, left: unknown, right: unknown): boolean {
  if (op === '==') return same(left, right)
  if (op === '!=') return !same(left, right)
  const [a, b] = [Number(left), Number(right)]
  return {'<': a < b, '<=': a <= b, '>': a > b, '>=': a >= b}[op]
}

const FLIPPED: Record<string, string> = {'<': '>', '<=': '>=', '>': '<', '>=': '<='}

/** "event.outcome.result is 'FAILURE', expected 'SUCCESS'": the non-literal side described, the literal expected. */
function comparisonText(node: Program & {kind: 'compare'}, left: Seen, right: Seen, result: boolean): string {
  const flip = left.source === 'literal' && right.source !== 'literal'
  const [subject, other] = flip ? [right, left] : [left, right]
  const op = flip ? (FLIPPED[node.opText] ?? node.opText) : node.opText
  if (subject.source === 'literal' || subject.source === 'condition' || other.source !== 'literal') {
    const facts = `${subject.fact}${subject.source === 'literal' ? ` ${op} ` : ', '}${other.fact}`
    return `${facts}: ${op} ${result ? 'holds' : 'does not hold'}`
  }

  if (subject.source === 'field' && node.op === '==') {
    return result ? subject.fact : `${subject.fact}, expected ${other.fact}`
  }

  if (subject.source === 'field' && node.op === '!=') {
    return result ? `${subject.fact}, not ${other.fact}` : `${subject.fact}, expected anything but ${other.fact}`
  }

  return `${subject.fact}, ${result ? 'so' : 'expected'} ${subject.name} ${op} ${other.fact}`
}

function contains(node: Program & {kind: 'contains'}, context: Context): Explanation {
  const receiver = see(node.receiver, context)
  const argument = see(node.argument, context)
  const call = `${receiver.name}.contains(${argument.name})`
  if (argument.value === null || argument.value === undefined) {
    throw new EvaluationFailure(`${argument.fact}, so ${call} cannot be evaluated`, node.start)
  }

  const found = searchIn(receiver.value, argument.value)
  if (found === undefined) {
    const why = "Okta's Expression Language cannot call a function on it"
    throw new EvaluationFailure(`${receiver.fact}, so ${call} cannot be evaluated (${why})`, node.start)
  }

  const verb = found ? 'contains' : 'does not contain'
  return {holds: found, offset: node.start, text: `${receiver.fact}, which ${verb} ${argument.fact}`}
}

/** String.contains (substring, case-sensitive) or List.contains (an equal element); undefined when neither applies. */
function searchIn(haystack: unknown, needle: unknown): boolean | undefined {
  if (typeof haystack === 'string') return typeof needle === 'string' && haystack.includes(needle)
  if (Array.isArray(haystack)) return haystack.some((item) => same(item, needle))
  return undefined
}

function see(node: Program, context: Context): Seen {
  if (node.kind === 'literal') {
    const text = show(node.value)
    return {fact: text, name: text, source: 'literal', value: node.value}
  }

  if (node.kind === 'field') {
    const value = valueAt(node.scope === 'event' ? context.event : context.target, node.property)
    return {fact: `${node.label} is ${show(value)}`, name: node.label, source: 'field', value}
  }

  if (node.kind === 'size') return selectTargets(node, context)
  const explanation = holds(node, context)
  return {fact: explanation.text, name: explanation.text, source: 'condition', value: explanation.holds}
}

/** event.target.?[predicate].size(): how many targets the predicate holds for, each one explained. */
function selectTargets(node: Program & {kind: 'size'}, context: Context): Seen {
  const list = valueAt(context.event, ['target'])
  if (list !== null && list !== undefined && !Array.isArray(list)) {
    const message = `event.target is ${show(list)}, not a list, so the selection cannot be evaluated`
    throw new EvaluationFailure(message, node.start)
  }

  const targets = (list ?? []) as unknown[]
  const parts = targets.map((target, index) => {
    const inner = holds(node.predicate, {event: context.event, target})
    return {...inner, text: `target[${index}] ${describeTarget(target)}: ${inner.text}`}
  })
  const count = parts.filter((part) => part.holds).length
  const fact = `${count} of ${targets.length} target${targets.length === 1 ? '' : 's'} match ${node.predicateText}`
  return {fact, name: 'size()', parts, source: 'size', value: count}
}

function describeTarget(target: unknown): string {
  const type = valueAt(target, ['type'])
  const name = valueAt(target, ['displayName'])
  const words = [typeof type === 'string' ? type : 'target', typeof name === 'string' ? show(name) : '']
  return words.filter(Boolean).join(' ')
}

/** Equality as SpEL's == sees JSON values: a missing field equals null. */
function same(a: unknown, b: unknown): boolean {
  const [x, y] = [a ?? null, b ?? null]
  if (x === null || y === null || typeof x !== 'object' || typeof y !== 'object') return x === y
  return JSON.stringify(x) === JSON.stringify(y)
}

/** A value as the expression would write it: 'text' (quotes doubled), 12, true, null; "missing" when absent. */
export function show(value: unknown): string {
  if (value === undefined) return 'missing'
  if (typeof value === 'string') return `'${value.replaceAll("'", "''")}'`
  if (value === null || typeof value !== 'object') return String(value)
  return JSON.stringify(value)
}

/** The explanation as indented lines for a terminal: the decision first, then what decided it. */
export function explanationLines(explanation: Explanation, depth = 0): string[] {
  const line = `${'  '.repeat(depth)}${explanation.holds ? 'yes' : 'no '} ${explanation.text}`
  const parts = explanation.parts ?? []
  // A single part that only repeats the line above is skipped: its own parts move up.
  if (parts.length === 1 && explanation.text.endsWith(parts[0].text)) {
    return [line, ...explanationLines(parts[0], depth).slice(1)]
  }

  return [line, ...parts.flatMap((part) => explanationLines(part, depth + 1))]
}
