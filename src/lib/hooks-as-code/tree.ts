/**
 * A hooks file as a tree of nodes with their offsets: what the validator (validate.ts) walks,
 * whichever reader made it: the plain reader (plain-yaml.ts, for the plain block YAML that `export`
 * writes) or the `yaml` library (yaml-reader.ts, for everything else). Knows nothing of either.
 */

/** A scalar: its value as YAML's core schema resolves it (string, number, boolean or null). */
export interface ScalarNode {
  kind: 'scalar'
  /** Written as a literal block (`|`), whose lines are the value's. */
  literalBlock: boolean
  /** Offset of its first character (the quote of a quoted one, where the value would be for an empty one). */
  start: number
  value: unknown
}

export interface PairNode {
  key: TreeNode | null
  value: TreeNode | null
}

export interface MapNode {
  kind: 'map'
  pairs: PairNode[]
  /** Offset of its first key (or of `{`). */
  start: number
}

export interface SeqNode {
  items: (TreeNode | null)[]
  kind: 'seq'
  /** Offset of its first `-` (or of `[`). */
  start: number
}

/** `*name`: the node anchored `&name` before it, if any. */
export interface AliasNode {
  kind: 'alias'
  start: number
  target: TreeNode | undefined
}

export type TreeNode = AliasNode | MapNode | ScalarNode | SeqNode

/** Line and column (both from 1) of an offset, as the `yaml` library's LineCounter counts them. */
export interface LinePosition {
  col: number
  line: number
}

/** A file read into a tree: its root (null when empty), where offsets are, and its YAML syntax problems. */
export interface ParsedTree {
  linePos(offset: number): LinePosition
  /** Syntax errors and warnings, at offsets (then the tree is not to be trusted). */
  problems: {message: string; offset: number}[]
  root: null | TreeNode
}

/** A node past its alias, if it is one. */
export function resolved(node: null | TreeNode | undefined): TreeNode | undefined {
  if (!node) return undefined
  return node.kind === 'alias' ? node.target : node
}

export function isMapNode(node: null | TreeNode | undefined): node is MapNode {
  return node?.kind === 'map'
}

export function isSeqNode(node: null | TreeNode | undefined): node is SeqNode {
  return node?.kind === 'seq'
}

export function isScalarNode(node: null | TreeNode | undefined): node is ScalarNode {
  return node?.kind === 'scalar'
}
