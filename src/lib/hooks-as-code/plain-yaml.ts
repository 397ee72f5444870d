/**
 * The plain reader: a hooks file written in plain block YAML, as `export` writes it and as most
 * people do (mappings and lists by indentation, one-line plain, 'single' or "double" quoted scalars,
 * comments), read into the validator's tree (tree.ts) without the `yaml` library. That library's
 * first parse in a process is most of the cost of reading a hooks file (~5 ms of plan's start-up).
 *
 * It takes a file only when it is sure to read it as YAML 1.2 (the core schema) and the `yaml`
 * library would, node for node and offset for offset (test/unit/lib/hooks-as-code/plain-yaml.test.ts
 * compares the two): anything else, however valid (flow collections, block scalars, anchors, tags,
 * multi-line scalars, escapes, numbers, tabs, CR, duplicate keys, a list at its key's indentation),
 * returns undefined and validate.ts hands the file to the library, errors included.
 */
import type {LinePosition, MapNode, ParsedTree, ScalarNode, SeqNode, TreeNode} from './tree.js'

/**
 * Not taken at all: tabs, CR, a BOM, C0/C1 controls, DEL, Unicode line and paragraph separators,
 * surrogates (so characters beyond the BMP too) and the non-characters U+FFFE, U+FFFF.
 */
const REFUSED_CHARACTERS = /[\u0000-\u0009\u000B-\u001F\u007F-\u009F\u2028\u2029\uD800-\uDFFF\uFEFF\uFFFE\uFFFF]/
/**
 * A key the reader takes: plain, not a number, null or boolean (those resolve to other than a string),
 * at most 256 characters (YAML's limit of 1024 for an implicit key counts from the end of an empty
 * value before it, newline and indentation included: with MAX_INDENT, a key is always within it).
 */
const KEY = /^([A-Za-z_$][\w$./-]{0,255}):(?= |$)/
/** Deeper than this (a file of hooks needs five), the library reads it: its own limits are its own. */
const MAX_DEPTH = 32
const MAX_INDENT = 512
/** A plain scalar's first character may not be an indicator (or a digit, sign or dot: numbers are the library's). */
const PLAIN_START = /^[^-?:,[\]{}#&*!|>'"%@`\d+.]/
const NULL = /^(?:~|null|Null|NULL)$/
const BOOLEAN = /^(?:true|True|TRUE|false|False|FALSE)$/

interface Line {
  /** The content after the indentation (and, for a list item's content, after `- `). */
  content: string
  indent: number
  /** Offset of the content. */
  start: number
}

class NotPlain extends Error {}

function refuse(): never {
  throw new NotPlain()
}

/** A one-line scalar (never a literal block) at `start`. */
function scalarAt(start: number, value: unknown): ScalarNode {
  return {kind: 'scalar', literalBlock: false, start, value}
}

/** The file's tree, or undefined when the file is not plain block YAML that this reader is sure of. */
export function readPlainYaml(text: string): ParsedTree | undefined {
  if (REFUSED_CHARACTERS.test(text)) return undefined
  try {
    const lines = significantLines(text)
    const reader = new BlockReader(lines)
    const root = lines.length === 0 ? null : reader.block(lines[0].indent, 0)
    // Each block reads the lines at its own indentation: a line left over (a scalar continued on the
    // next line, a list at its key's indentation, a misaligned key, a document marker) refuses the file.
    if (reader.at < lines.length) refuse()
    return {linePos: lineCounter(text), problems: [], root}
  } catch (error) {
    if (error instanceof NotPlain) return undefined
    throw error
  }
}

/** The lines that hold something: not blank, not only a comment. */
function significantLines(text: string): Line[] {
  const out: Line[] = []
  let start = 0
  while (start <= text.length) {
    const newline = text.indexOf('\n', start)
    const end = newline === -1 ? text.length : newline
    const line = text.slice(start, end)
    const indent = spaces(line)
    const content = line.slice(indent)
    if (content !== '' && !content.startsWith('#')) {
      out.push({content, indent, start: start + indent})
    }

    start = end + 1
  }

  return out
}

class BlockReader {
  at = 0

  constructor(private readonly lines: Line[]) {}

  /** The mapping or list whose first line is the next one, at `indent`, `depth` blocks deep. */
  block(indent: number, depth: number): MapNode | SeqNode {
    const line = this.lines[this.at]
    if (line.indent !== indent || indent > MAX_INDENT || depth > MAX_DEPTH) refuse()
    return isItem(line.content) ? this.seq(indent, depth) : this.map(indent, depth)
  }

  private map(indent: number, depth: number): MapNode {
    const map: MapNode = {kind: 'map', pairs: [], start: this.lines[this.at].start}
    const keys = new Set<string>()
    while (this.at < this.lines.length && this.lines[this.at].indent === indent) {
      const line = this.lines[this.at]
      const match = KEY.exec(line.content)
      if (!match || NULL.test(match[1]) || BOOLEAN.test(match[1]) || keys.has(match[1])) refuse()
      keys.add(match[1])
      const rest = line.content.slice(match[0].length)
      const gap = spaces(rest)
      this.at++
      const value = this.value(rest.slice(gap), line.start + match[0].length + gap, indent, depth)
      map.pairs.push({key: scalarAt(line.start, match[1]), value})
    }

    return map
  }

  private seq(indent: number, depth: number): SeqNode {
    const seq: SeqNode = {items: [], kind: 'seq', start: this.lines[this.at].start}
    while (
      this.at < this.lines.length &&
      this.lines[this.at].indent === indent &&
      isItem(this.lines[this.at].content)
    ) {
      const line = this.lines[this.at]
      const after = line.content.slice(1)
      const gap = spaces(after)
      const content = after.slice(gap)
      if (content === '') refuse()
      const item: Line = {content, indent: indent + 1 + gap, start: line.start + 1 + gap}
      if (KEY.test(content)) {
        this.lines[this.at] = item // the item's mapping starts on this line, at its first key
        seq.items.push(this.block(item.indent, depth + 1))
      } else {
        this.at++
        seq.items.push(this.scalar(content, item.start))
      }
    }

    return seq
  }

  /** A key's value: on its line, or the block on the lines below (more indented), or null. */
  private value(rest: string, start: number, indent: number, depth: number): TreeNode {
    const next = this.lines[this.at]
    if (rest !== '' && !rest.startsWith('#')) return this.scalar(rest, start)
    if (next && next.indent > indent) return this.block(next.indent, depth + 1)
    return scalarAt(start, null)
  }

  /** A one-line scalar (and its comment); refuses what only the library resolves. */
  private scalar(text: string, start: number): ScalarNode {
    if (text.startsWith("'") || text.startsWith('"')) {
      const quote = text[0]
      const close = quote === "'" ? /^'((?:[^']|'')*)'(?= |$)/ : /^"([^"\\]*)"(?= |$)/
      const match = close.exec(text)
      if (!match || !isComment(text.slice(match[0].length))) refuse()
      return scalarAt(start, quote === "'" ? match[1].replaceAll("''", "'") : match[1])
    }

    if (!PLAIN_START.test(text)) refuse()
    const comment = text.search(/ #/)
    const value = withoutTrailingSpaces(comment === -1 ? text : text.slice(0, comment))
    if (value.includes(': ') || value.endsWith(':')) refuse()
    if (NULL.test(value)) return scalarAt(start, null)
    if (BOOLEAN.test(value)) return scalarAt(start, /^t/i.test(value))
    return scalarAt(start, value)
  }
}

/** How many spaces a text starts with (YAML indents with spaces only, not other white space). */
function spaces(text: string): number {
  return /^ */.exec(text)![0].length
}

/** The text without the spaces it ends with (a loop: / +$/ is quadratic on a long run of spaces inside). */
function withoutTrailingSpaces(text: string): string {
  let end = text.length
  while (end > 0 && text[end - 1] === ' ') end--
  return text.slice(0, end)
}

/** `- ` or a lone `-`: a list item. */
function isItem(content: string): boolean {
  return content === '-' || content.startsWith('- ')
}

/** Nothing but spaces, then perhaps a comment. */
function isComment(rest: string): boolean {
  return /^(?: +#.*| *)$/.test(rest)
}

/** The `yaml` library's LineCounter for this text: lines start at 0 and after each newline. */
function lineCounter(text: string): (offset: number) => LinePosition {
  const starts = [0]
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) starts.push(at + 1)
  return (offset) => {
    let low = 0
    let high = starts.length
    while (low < high) {
      const mid = (low + high) >> 1
      if (starts[mid] < offset) low = mid + 1
      else high = mid
    }

    if (starts[low] === offset) return {col: 1, line: low + 1}
    return {col: offset - starts[low - 1] + 1, line: low}
  }
}
