/**
 * Turns a parsed expression into a typed program over the filterable fields, or refuses it with a
 * cause: a field outside Okta's list, a function Okta's filter docs do not use, operands of the
 * wrong type, a result that is not a Boolean. Everything refused here is refused before Okta.
 */
import {classifyPath, fieldsUnder, FILTERABLE_FIELDS, suggestField, TARGET_FIELDS, TARGET_LIST} from './fields.js'
import type {CompareOp, Node} from './parser.js'
import {filterError, type FilterExpressionError, type FilterProblemCode, type Span} from './problem.js'

export type ValueType = 'boolean' | 'null' | 'number' | 'string'

/** A checked expression: every node knows its type; fields know where they live in a LogEvent. */
export type Program =
  | (Span & {argument: Program; kind: 'contains'; receiver: Program; type: 'boolean'})
  | (Span & {kind: 'and' | 'or'; operands: Program[]; type: 'boolean'})
  | (Span & {kind: 'compare'; left: Program; op: CompareOp; opText: string; right: Program; type: 'boolean'})
  | (Span & {kind: 'field'; label: string; property: readonly string[]; scope: 'event' | 'target'; type: 'string'})
  | (Span & {kind: 'literal'; type: ValueType; value: boolean | null | number | string})
  | (Span & {kind: 'not'; operand: Program; type: 'boolean'})
  | (Span & {kind: 'size'; predicate: Program; predicateText: string; type: 'number'})

type Scope = 'event' | 'target'

const FUNCTIONS_HINT = "event hook filters use size() on a target selection and contains('…') on a string field"
const FILTERABLE_HINT = `filterable: ${FILTERABLE_FIELDS.join(', ')}`

export function checkProgram(source: string, root: Node): Program {
  if (root.kind === 'select') {
    const message = 'the expression is a selection of targets, not a Boolean'
    throw filterError(source, root, 'not-boolean', message, 'count it: add .size() > 0')
  }

  const program = new Checker(source).check(root, 'event')
  if (program.type !== 'boolean') {
    throw filterError(
      source,
      root,
      'not-boolean',
      `the expression is ${typeName(program.type)}, not a Boolean`,
      "Okta requires a filter that evaluates to a Boolean, such as event.outcome.result eq 'SUCCESS'",
    )
  }

  return program
}

class Checker {
  constructor(private readonly source: string) {}

  check(node: Node, scope: Scope): Program {
    switch (node.kind) {
      case 'literal': {
        return {...span(node), kind: 'literal', type: literalType(node.value), value: node.value}
      }

      case 'and':
      case 'or': {
        const operands = node.operands.map((operand) => this.boolean(operand, scope, node.kind === 'and' ? '&&' : '||'))
        return {...span(node), kind: node.kind, operands, type: 'boolean'}
      }

      case 'not': {
        return {...span(node), kind: 'not', operand: this.boolean(node.operand, scope, '!'), type: 'boolean'}
      }

      case 'compare': {
        return this.compare(node, scope)
      }

      case 'call': {
        return this.call(node, scope)
      }

      case 'select': {
        const hint = 'count it with .size(), such as .size() > 0'
        throw this.error(node, 'type', 'a selection is a list of targets, not a value', hint)
      }

      default: {
        return this.field(node, scope)
      }
    }
  }

  private boolean(node: Node, scope: Scope, operator: string): Program {
    const program = this.check(node, scope)
    if (program.type === 'boolean') return program
    const hint = program.kind === 'field' ? `compare it, such as ${program.label} eq '…'` : undefined
    const message = `${operator} needs Boolean operands; ${this.text(node)} is ${typeName(program.type)}`
    throw this.error(node, 'type', message, hint)
  }

  private compare(node: Node & {kind: 'compare'}, scope: Scope): Program {
    const left = this.check(node.left, scope)
    const right = this.check(node.right, scope)
    const operands = () => `${this.described(node.left, left)}, ${this.described(node.right, right)}`
    if (node.op === '==' || node.op === '!=') {
      if (left.type !== right.type && left.type !== 'null' && right.type !== 'null') {
        const message = `${node.opText} compares values of different types: ${operands()}`
        throw this.error(node, 'type', message, 'such a comparison never holds')
      }
    } else if (left.type !== 'number' || right.type !== 'number') {
      const hint = "such as event.target.?[type eq 'UserGroup'].size() > 0"
      throw this.error(node, 'type', `${node.opText} compares numbers: ${operands()}`, hint)
    }

    return {...span(node), kind: 'compare', left, op: node.op, opText: node.opText, right, type: 'boolean'}
  }

  private call(node: Node & {kind: 'call'}, scope: Scope): Program {
    const receiverName = node.object ? this.foreignName(node.object, scope) : ''
    if (!['contains', 'size'].includes(node.name) || !node.object || receiverName) {
      const name = `${receiverName ? `${receiverName}.` : ''}${node.name}`
      throw this.error(node.nameSpan, 'unsupported-function', `unsupported function ${name}()`, FUNCTIONS_HINT)
    }

    return node.name === 'size' ? this.size(node, node.object, scope) : this.contains(node, node.object, scope)
  }

  /** `event.target.?[…].size()`: the one place a selection may stand. */
  private size(node: Node & {kind: 'call'}, object: Node, scope: Scope): Program {
    if (object.kind !== 'select') {
      const message = `size() counts the targets of a selection; ${this.text(object)} is not one`
      throw this.error(node.nameSpan, 'type', message, "such as event.target.?[type eq 'UserGroup'].size() > 0")
    }

    this.arity(node, 0)
    this.selectionList(object, scope)
    const predicate = this.check(object.predicate, 'target')
    if (predicate.type !== 'boolean') {
      const message = `the selection condition is ${typeName(predicate.type)}, not a Boolean`
      throw this.error(object.predicate, 'type', message, "such as type eq 'UserGroup'")
    }

    const predicateText = `[${this.text(object.predicate)}]`
    return {...span(node), kind: 'size', predicate, predicateText, type: 'number'}
  }

  private selectionList(select: Node & {kind: 'select'}, scope: Scope): void {
    if (scope === 'target')
      throw this.error(select, 'type', 'selections cannot be nested', 'join the conditions with &&')
    if (
      this.segments(select.object)
        ?.map((s) => s.name)
        .join('.') === TARGET_LIST
    )
      return
    const message = `selections .?[...] run over ${TARGET_LIST} only, not ${this.text(select.object)}`
    throw this.error(select.object, 'type', message)
  }

  private contains(node: Node & {kind: 'call'}, object: Node, scope: Scope): Program {
    const receiver = object.kind === 'select' ? undefined : this.check(object, scope)
    if (!receiver || receiver.type !== 'string') {
      const what = receiver ? typeName(receiver.type) : 'a selection'
      throw this.error(
        node.nameSpan,
        'type',
        `contains(...) searches a string; ${this.text(object)} is ${what}`,
        "such as event.debugData.changedAttributes.contains('email')",
      )
    }

    this.arity(node, 1)
    const argument = this.check(node.args[0], scope)
    if (argument.type !== 'string') {
      throw this.error(node.args[0], 'type', `contains(...) takes a string; ${this.described(node.args[0], argument)}`)
    }

    return {...span(node), argument, kind: 'contains', receiver, type: 'boolean'}
  }

  private arity(node: Node & {kind: 'call'}, count: number): void {
    if (node.args.length === count) return
    const takes = count === 0 ? 'takes no arguments' : `takes ${count} argument`
    throw this.error(node, 'type', `${node.name}() ${takes}, not ${node.args.length}`)
  }

  /** A dotted name that is neither the event nor a target field (String, Arrays, …), or ''. */
  private foreignName(node: Node, scope: Scope): string {
    const segments = this.segments(node)
    if (!segments) return ''
    const root = segments[0].name
    const known = scope === 'event' ? root === 'event' : TARGET_FIELDS.includes(root) || root === 'event'
    return known ? '' : segments.map((s) => s.name).join('.')
  }

  private field(node: Node, scope: Scope): Program {
    const segments = this.segments(node)
    if (!segments) {
      const name = node.kind === 'member' ? node.name : ''
      const hint = ['size', 'contains'].includes(name) ? `${name} is a function: write ${name}(…)` : undefined
      throw this.error(node, 'type', `${this.text(node)} has no fields`, hint)
    }

    return scope === 'target' ? this.targetField(node, segments) : this.eventField(node, segments)
  }

  private eventField(node: Node, segments: Segment[]): Program {
    const path = segments.map((s) => s.name).join('.')
    const verdict = classifyPath(segments.map((s) => s.name))
    if (verdict.kind === 'field') return fieldProgram(node, path, verdict.property, 'event')
    if (verdict.kind === 'target-list' || (segments[1]?.name === 'target' && segments[0].name === 'event')) {
      throw this.error(
        node,
        'unfilterable-field',
        `${path} is filterable only through a selection`,
        `such as ${TARGET_LIST}.?[type eq 'UserGroup'].size() > 0; target fields: ${TARGET_FIELDS.join(', ')}`,
      )
    }

    if (verdict.kind === 'object') {
      const under = fieldsUnder(path)
      throw this.error(
        node,
        'unfilterable-field',
        `${path} is an object, not a filterable field`,
        under.length > 0 ? `filter on ${under.join(', ')}` : FILTERABLE_HINT,
      )
    }

    const bad = segments[verdict.badSegment]
    const suggestion = suggestField(path)
    const hint = `${didYouMean(suggestion)}${FILTERABLE_HINT}`
    const at = {end: node.end, start: bad.span.start}
    if (verdict.kind === 'unfilterable') throw this.error(at, 'unfilterable-field', `${path} is not filterable`, hint)
    throw this.error(at, 'unknown-field', `unknown field ${path}`, hint)
  }

  private targetField(node: Node, segments: Segment[]): Program {
    const path = segments.map((s) => s.name).join('.')
    if (segments.length === 1 && TARGET_FIELDS.includes(path)) {
      return fieldProgram(node, path, [path], 'target')
    }

    const hint = `inside .?[...] name a target field: ${TARGET_FIELDS.join(', ')}`
    if (segments[0].name === 'event') {
      throw this.error(node, 'unfilterable-field', `${path} cannot be used inside a selection`, hint)
    }

    const suggestion = suggestField(path, TARGET_FIELDS)
    throw this.error(node, 'unknown-field', `unknown target field ${path}`, `${didYouMean(suggestion)}${hint}`)
  }

  /** a.b.c as its names with their spans, walked without recursion; undefined if not a plain name chain. */
  private segments(node: Node): Segment[] | undefined {
    const reversed: Segment[] = []
    let current = node
    while (current.kind === 'member') {
      reversed.push({name: current.name, span: current.nameSpan})
      current = current.object
    }

    if (current.kind !== 'name') return undefined
    reversed.push({name: current.name, span: span(current)})
    return reversed.reverse()
  }

  private text(span: Span): string {
    return this.source.slice(span.start, span.end)
  }

  /** "event.eventType is a string" */
  private described(node: Node, program: Program): string {
    return `${this.text(node)} is ${typeName(program.type)}`
  }

  private error(at: Span, code: FilterProblemCode, message: string, hint?: string): FilterExpressionError {
    return filterError(this.source, at, code, message, hint)
  }
}

interface Segment {
  name: string
  span: Span
}

function fieldProgram(node: Span, label: string, property: readonly string[], scope: Scope): Program {
  return {...span(node), kind: 'field', label, property, scope, type: 'string'}
}

function didYouMean(suggestion: string | undefined): string {
  return suggestion ? `did you mean ${suggestion}? ` : ''
}

function span(node: Span): Span {
  return {end: node.end, start: node.start}
}

function literalType(value: boolean | null | number | string): ValueType {
  if (value === null) return 'null'
  return typeof value as 'boolean' | 'number' | 'string'
}

function typeName(type: ValueType): string {
  return {boolean: 'a Boolean', null: 'null', number: 'a number', string: 'a string'}[type]
}
