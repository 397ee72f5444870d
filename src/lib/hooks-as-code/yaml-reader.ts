/**
 * A hooks file read by the `yaml` library into the validator's tree (tree.ts): any YAML or JSON,
 * with YAML's own syntax errors: for a file the plain reader (plain-yaml.ts) does not take. The
 * bundle loads the library on first use of it (scripts/build.mjs), so most runs of plan and apply
 * never load it.
 */
import {type Document, isAlias, isMap, isScalar, isSeq, LineCounter, type Node, parseDocument} from 'yaml'

import type {ParsedTree, TreeNode} from './tree.js'

export function readYaml(text: string): ParsedTree {
  const lines = new LineCounter()
  const doc = parseDocument(text, {lineCounter: lines, prettyErrors: false, uniqueKeys: true})
  return {
    linePos: (offset) => lines.linePos(offset),
    problems: [...doc.errors, ...doc.warnings].map((error) => ({message: error.message, offset: error.pos[0]})),
    root: treeOf(doc, doc.contents as Node | null),
  }
}

/** The document's nodes as tree nodes, each once (an alias points at the converted node it resolves to). */
function treeOf(doc: Document, root: Node | null): null | TreeNode {
  const made = new Map<Node, TreeNode>()
  const convert = (node: Node | null | undefined): null | TreeNode => {
    if (!node) return null
    const done = made.get(node)
    if (done) return done
    const start = node.range?.[0] ?? 0
    if (isAlias(node)) {
      const alias: TreeNode = {kind: 'alias', start, target: undefined}
      made.set(node, alias)
      alias.target = convert(node.resolve(doc) as Node | undefined) ?? undefined
      return alias
    }

    if (isMap(node)) {
      const map: TreeNode = {kind: 'map', pairs: [], start}
      made.set(node, map)
      for (const pair of node.items)
        map.pairs.push({key: convert(pair.key as Node | null), value: convert(pair.value as Node | null)})
      return map
    }

    if (isSeq(node)) {
      const seq: TreeNode = {items: [], kind: 'seq', start}
      made.set(node, seq)
      for (const item of node.items) seq.items.push(convert(item as Node | null))
      return seq
    }

    const scalar: TreeNode = {
      kind: 'scalar',
      literalBlock: isScalar(node) && node.type === 'BLOCK_LITERAL',
      start,
      value: isScalar(node) ? node.value : null,
    }
    made.set(node, scalar)
    return scalar
  }

  return convert(root)
}
