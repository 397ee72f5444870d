/**
 * Recursive-descent parser for the SpEL-shaped syntax of event hook filters (grammar in index.ts).
 * It knows syntax only: which fields and functions a filter may use is checked in checker.ts.
 * Operators SpEL has but Okta's filter documentation never uses are refused here, each with a
 * hint; nesting is bounded so no input recurses without limit.
 */
import {type Token, tokenize} from './lexer.js'
import {
  describePosition,
  filterError,
  type FilterExpressionError,
  type FilterProblemCode,
  type Span,
} from './problem.js'

export type CompareOp = '!=' | '<' | '<=' | '==' | '>' | '>='

export type Node =
  | (Span & {args: Node[]; kind: 'call'; name: string; nameSpan: Span; object: Node | null})
  | (Span & {kind: 'and' | 'or'; operands: Node[]})
  | (Span & {kind: 'compare'; left: Node; op: CompareOp; opText: string; right: Node})
  | (Span & {kind: 'literal'; value: boolean | null | number | string})
  | (Span & {kind: 'member'; name: string; nameSpan: Span; object: Node})
  | (Span & {kind: 'name'; name: string})
  | (Span & {kind: 'not'; operand: Node})
  | (Span & {kind: 'select'; object: Node; predicate: Node})

/** Deeper nesting (parentheses, !, selections, arguments), or more steps in one dotted chain, is refused. */
export const MAX_NESTING = 50

const SYMBOL_COMPARISONS: Record<string, CompareOp> = {
  '!=': '!=',
  '<': '<',
  '<=': '<=',
  '==': '==',
  '>': '>',
  '>=': '>=',
}
const WORD_COMPARISONS: Record<string, CompareOp> = {eq: '==', ne: '!='}

/** Operators of SpEL (or of other languages) that Okta does not document for filters. */
const REFUSED_WORDS: Record<string, string> = {
  between: 'between is not supported in event hook filters',
  div: 'arithmetic is not supported in event hook filters',
  ge: 'write >= instead of ge',
  gt: 'write > instead of gt',
  instanceof: 'instanceof is not supported in event hook filters',
  le: 'write <= instead of le',
  lt: 'write < instead of lt',
  matches: 'regular expressions (matches) are not supported in event hook filters; use contains(...)',
  mod: 'arithmetic is not supported in event hook filters',
  not: 'write ! instead of not',
}

const REFUSED_SYMBOLS: Record<string, string> = {
  '$[': 'only the selection .?[...] is supported, not .$[...] (last match)',
  '%': 'arithmetic is not supported in event hook filters',
  '*': 'arithmetic is not supported in event hook filters',
  '+': 'arithmetic and string concatenation are not supported in event hook filters',
  '-': 'arithmetic is not supported in event hook filters',
  '/': 'arithmetic is not supported in event hook filters',
  '=': 'compare with eq (or ==); = assigns',
  '?': 'the ternary operator ?: is not supported in event hook filters',
  '?.': 'safe navigation ?. is not supported in event hook filters',
  '[': 'indexing [...] is not supported; select targets with .?[...]',
  '^': 'arithmetic is not supported in event hook filters',
  '^[': 'only the selection .?[...] is supported, not .^[...] (first match)',
}

const SYNTAX_HINTS: Record<string, string> = {
  '#': 'variables such as #this are not supported; name the field, such as displayName',
  '&': 'write && for and',
  '@': 'bean references are not supported',
  '{': 'inline lists are not supported',
  '|': 'write || for or',
}

export function parseExpression(source: string): Node {
  return new Parser(source).parseAll()
}

class Parser {
  private depth = 0
  private position = 0
  private readonly tokens: Token[]

  constructor(private readonly source: string) {
    this.tokens = tokenize(source)
  }

  parseAll(): Node {
    if (this.peek().kind === 'end') {
      const example = "for example event.outcome.result eq 'SUCCESS'"
      throw this.fail({end: 0, start: 0}, 'syntax', 'the expression is empty', example)
    }

    const node = this.parseOr()
    if (this.peek().kind !== 'end') throw this.unexpected('the end of the expression')
    return node
  }

  private parseOr(): Node {
    return this.parseChain('or', () => this.parseAnd(), '||')
  }

  private parseAnd(): Node {
    return this.parseChain('and', () => this.parseComparison(), '&&')
  }

  /** a || b || c as one n-ary node, so long chains never nest deeply. */
  private parseChain(kind: 'and' | 'or', operand: () => Node, symbol: string): Node {
    const first = operand()
    const operands = [first]
    while (this.isPunct(symbol) || this.isWord(kind)) {
      this.position++
      operands.push(operand())
    }

    return operands.length === 1 ? first : {end: operands.at(-1)!.end, kind, operands, start: first.start}
  }

  private parseComparison(): Node {
    const left = this.parseUnary()
    const op = this.comparisonAt(this.peek())
    if (!op) return left
    const opToken = this.next()
    const right = this.parseUnary()
    if (this.comparisonAt(this.peek())) {
      throw this.fail(this.peek(), 'syntax', 'comparisons cannot be chained', 'join them with &&')
    }

    return {end: right.end, kind: 'compare', left, op, opText: opToken.text, right, start: left.start}
  }

  private comparisonAt(token: Token): CompareOp | undefined {
    if (token.kind === 'punct') return SYMBOL_COMPARISONS[token.text]
    if (token.kind === 'name') return WORD_COMPARISONS[token.text.toLowerCase()]
    return undefined
  }

  private parseUnary(): Node {
    const token = this.peek()
    if (!this.isPunct('!')) return this.parsePostfix(this.parsePrimary())
    this.position++
    const operand = this.nested(() => this.parseUnary())
    return {end: operand.end, kind: 'not', operand, start: token.start}
  }

  private parsePrimary(): Node {
    const token = this.peek()
    if (token.kind === 'string' || token.kind === 'number') {
      this.position++
      return {end: token.end, kind: 'literal', start: token.start, value: token.value}
    }

    if (token.kind === 'name') {
      this.position++
      return this.parseName(token)
    }

    if (token.kind !== 'punct' || token.text !== '(') throw this.unexpected('a field, a string or a number')
    this.position++
    const inner = this.nested(() => this.parseOr())
    this.expectClosing(')', token)
    return inner
  }

  private parseName(token: Token & {kind: 'name'}): Node {
    const word = token.text.toLowerCase()
    const literal = (value: boolean | null): Node => ({end: token.end, kind: 'literal', start: token.start, value})
    if (word === 'true' || word === 'false') return literal(word === 'true')
    if (word === 'null') return literal(null)
    if (word === 'not') throw this.fail(token, 'unsupported-operator', 'unsupported operator not', REFUSED_WORDS.not)
    if (this.isPunct('(')) return this.parseCall(null, token, token.start)
    return {end: token.end, kind: 'name', name: token.text, start: token.start}
  }

  private parsePostfix(primary: Node): Node {
    let node = primary
    for (let steps = 1; ; steps++) {
      const token = this.peek()
      if (token.kind !== 'punct' || !['.', '?.', '[', '?['].includes(token.text)) return node
      if (steps > MAX_NESTING) throw this.tooDeep(token)
      node = this.parseStep(node, token)
    }
  }

  private parseStep(object: Node, token: Token): Node {
    if (token.text === '?[') {
      throw this.fail(token, 'syntax', 'a selection is written .?[...]', 'add the dot: .?[')
    }

    if (token.text !== '.') throw this.refusedSymbol(token)
    this.position++
    const after = this.next()
    if (after.kind === 'name') {
      if (this.isPunct('(')) return this.parseCall(object, after, object.start)
      return {end: after.end, kind: 'member', name: after.text, nameSpan: spanOf(after), object, start: object.start}
    }

    if (after.kind === 'punct' && after.text === '?[') return this.parseSelection(object, after)
    if (after.kind === 'punct' && (after.text === '^[' || after.text === '$[')) throw this.refusedSymbol(after)
    if (after.kind === 'punct' && after.text === '!' && this.isPunct('[')) {
      const hint = 'select targets with .?[...]'
      throw this.fail(after, 'unsupported-operator', 'unsupported projection .![...]', hint)
    }

    this.position--
    throw this.unexpected("a field name or ?[ after '.'")
  }

  private parseSelection(object: Node, open: Token): Node {
    const predicate = this.nested(() => this.parseOr())
    const close = this.expectClosing(']', open)
    return {end: close.end, kind: 'select', object, predicate, start: object.start}
  }

  private parseCall(object: Node | null, name: Token, start: number): Node {
    const open = this.next()
    const args: Node[] = []
    while (!this.isPunct(')') && (args.length === 0 || this.isPunct(','))) {
      if (args.length > 0) this.position++
      args.push(this.nested(() => this.parseOr()))
    }

    const close = this.expectClosing(')', open)
    return {args, end: close.end, kind: 'call', name: name.text, nameSpan: spanOf(name), object, start}
  }

  private expectClosing(text: string, open: Token): Token {
    if (this.isPunct(text)) return this.next()
    const token = this.peek()
    if (token.kind === 'end') {
      throw this.fail(open, 'syntax', `unclosed ${open.text}`, `close it with ${text}`)
    }

    if (token.kind === 'punct' && [')', ']', ','].includes(token.text)) {
      const opened = `the ${open.text} at ${describePosition(this.source, open.start)}`
      throw this.fail(token, 'syntax', `expected ${text} to close ${opened}, found ${token.text}`)
    }

    throw this.unexpected(text)
  }

  /** Why `peek()` cannot stand where `expected` should: a refused operator, or a plain syntax error. */
  private unexpected(expected: string): FilterExpressionError {
    const token = this.peek()
    if (token.kind === 'punct' && REFUSED_SYMBOLS[token.text]) return this.refusedSymbol(token)
    const refusedWord = token.kind === 'name' ? REFUSED_WORDS[token.text.toLowerCase()] : undefined
    if (refusedWord) return this.fail(token, 'unsupported-operator', `unsupported operator ${token.text}`, refusedWord)

    const found = token.kind === 'end' ? 'but the expression ends' : `found ${token.text}`
    const hint = token.kind === 'punct' ? SYNTAX_HINTS[token.text] : undefined
    return this.fail(token, 'syntax', `expected ${expected}, ${found}`, hint)
  }

  private refusedSymbol(token: Token): FilterExpressionError {
    const hint = REFUSED_SYMBOLS[token.text]
    return this.fail(token, 'unsupported-operator', `unsupported operator ${token.text}`, hint)
  }

  private nested<T>(parse: () => T): T {
    if (++this.depth > MAX_NESTING) throw this.tooDeep(this.peek())
    try {
      return parse()
    } finally {
      this.depth--
    }
  }

  private fail(at: Span, code: FilterProblemCode, message: string, hint?: string): FilterExpressionError {
    return filterError(this.source, at, code, message, hint)
  }

  private tooDeep(token: Token): FilterExpressionError {
    const message = `the expression nests more than ${MAX_NESTING} levels deep`
    return this.fail(token, 'too-deep', message, 'simplify it')
  }

  private peek(): Token {
    return this.tokens[this.position]
  }

  private next(): Token {
    const token = this.tokens[this.position]
    if (token.kind !== 'end') this.position++
    return token
  }

  private isPunct(text: string): boolean {
    const token = this.peek()
    return token.kind === 'punct' && token.text === text
  }

  private isWord(word: string): boolean {
    const token = this.peek()
    return token.kind === 'name' && token.text.toLowerCase() === word
  }
}

function spanOf(token: Token): Span {
  return {end: token.end, start: token.start}
}
