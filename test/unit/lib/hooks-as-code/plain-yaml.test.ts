import {expect} from 'chai'
import {readFileSync} from 'node:fs'
import {fileURLToPath} from 'node:url'

import {stringify} from 'yaml'

import {exportHooks, serializeHooks} from '../../../../src/lib/hooks-as-code/exporter.js'
import {readPlainYaml} from '../../../../src/lib/hooks-as-code/plain-yaml.js'
import type {ParsedTree, TreeNode} from '../../../../src/lib/hooks-as-code/tree.js'
import {readYaml} from '../../../../src/lib/hooks-as-code/yaml-reader.js'

/** A tree as plain data, with the line and column of every node, for deep comparison. */
function snapshot(tree: ParsedTree): unknown {
  const seen = new Set<TreeNode>()
  const node = (n: null | TreeNode | undefined): unknown => {
    if (!n) return n ?? null
    if (seen.has(n)) return {cycle: n.start}
    seen.add(n)
    const at = {...tree.linePos(n.start), start: n.start}
    if (n.kind === 'map') return {...at, kind: 'map', pairs: n.pairs.map((p) => [node(p.key), node(p.value)])}
    if (n.kind === 'seq') return {...at, items: n.items.map((item) => node(item)), kind: 'seq'}
    if (n.kind === 'alias') return {...at, kind: 'alias', target: node(n.target)}
    return {...at, kind: 'scalar', literalBlock: n.literalBlock, value: n.value}
  }

  return {problems: tree.problems, root: node(tree.root)}
}

/** The property that makes the plain reader safe: when it takes a file, the library reads it the same, without error. */
function expectSameAsLibrary(text: string): boolean {
  const plain = readPlainYaml(text)
  if (!plain) return false
  const library = readYaml(text)
  expect(library.problems, `the library finds problems in a file the plain reader took:\n${text}`).to.deep.equal([])
  expect(snapshot(plain), `the two readers differ on:\n${text}`).to.deep.equal(snapshot(library))
  // every offset of the text, not only the nodes' (problems inside an expression are placed by offset)
  for (let offset = 0; offset <= text.length; offset++)
    expect(plain.linePos(offset), `offset ${offset} of:\n${text}`).to.deep.equal(library.linePos(offset))
  return true
}

const EXPORTED = `# Event hooks of https://acme.okta.com, written by \`okta-hooks export\`.

hooks:
  - name: Event Hook Test
    url: https://example_external_service/userDeactivate
    events:
      - user.lifecycle.deactivate
      - user.lifecycle.activate
    auth:
      header: authorization
      valueFrom: env:OKTA_HOOK_EVENT_HOOK_TEST_SECRET
    status: ACTIVE
    verify: true

  - name: Event Hook with Filter
    description: An event hook using an Okta Expression Language filter
    url: https://example_external_service/userAdded
    events:
      - group.user_membership.add
    filters:
      group.user_membership.add: event.target.?[type eq 'UserGroup'].size()>0 && event.target.?[displayName eq 'Sales'].size()>0
    status: INACTIVE
    verify: false
`

/** Files the plain reader must take (and read as the library does). */
const TAKEN = [
  '',
  '# only a comment\n\n',
  EXPORTED,
  EXPORTED.replaceAll('\n', '\n\n'),
  'hooks:\n  - name: a list indented under its key\n',
  'hooks:\n    -   name: wide\n        url: https://${HOOKS_HOST}/okta # a comment\n        events:\n            - a.b\n',
  "hooks:\n  - name: 'It''s quoted'\n    description: \"double # not a comment\"\n    url: 'https://x.example.com' # c\n",
  'hooks:\n  - name: x\n    description:\n    status: # nothing\n    verify: False\n    headers:\n      X-Team: identity\n      X-Shared:\n        valueFrom: env:SHARED\n',
  'hooks:\n  - name: Ünïcødé hook — ok\n    url: https://h.example.com/a?b=c&d=[e]{f},g\n    description: a#b c:d ~x null-ish\n',
  'hooks:\n  - name: nulls\n    description: ~\n    status: NULL\n    verify: TRUE\n',
  '$schema: https://example.com/schema.json\nhooks:\n  - name: a\n',
  'hooks:\n  - name: trailing spaces   \n    description:   \n    url: x  # c\n',
  '  hooks:\n    - name: indented root\n',
  'hooks:\n  - name: no final newline',
  'hooks:\n  - name: a\n# a comment at column 0 inside the list\n    url: b\n',
  'hooks:\n  - a.b\n  - "quoted item"\n  - \'single\' # comment\n',
  'hooks:',
  'hooks:\n',
  'hooks:   # none yet\n',
  'hooks:\n  - name: non-breaking\u00A0space and em\u2003space  \n',
]

/** Valid YAML (or not) that only the library may read: the plain reader refuses each. */
const REFUSED = [
  'hooks: [a, b]\n',
  'hooks: {a: b}\n',
  'hooks:\n- name: a list at its key indentation\n',
  'hooks:\n  - name: |\n      block\n',
  'hooks:\n  - name: >\n      folded\n',
  'hooks:\n  - name: &anchor a\n  - name: *anchor\n',
  'hooks:\n  - name: !!str tagged\n',
  'hooks:\n  - name: multi\n      line\n',
  'hooks:\n  - name: 12\n',
  'hooks:\n  - name: 1.5\n',
  'hooks:\n  - name: -x\n',
  'hooks:\n  - name: .inf\n',
  'hooks:\n  - name: +1\n',
  'hooks:\n\t- name: tab\n',
  'hooks:\r\n  - name: crlf\r\n',
  '\uFEFFhooks:\n  - name: bom\n',
  'hooks:\n  - name: a\n    name: b\n',
  '---\nhooks:\n  - name: a\n',
  '%YAML 1.2\n---\nhooks: []\n',
  'hooks:\n  - name: a\n...\n',
  'hooks:\n  - my key: spaces\n',
  'hooks:\n  - name : space before colon\n',
  'hooks:\n  - name: "escaped \\" quote"\n',
  'hooks:\n  - name: "unclosed\n',
  "hooks:\n  - name: 'unclosed\n",
  'hooks:\n  - name: "a" junk\n',
  'hooks:\n  - name: a: b\n',
  'hooks:\n  - name: ends with colon:\n',
  'hooks:\n  -\n    name: lone dash\n',
  'hooks:\n  - - nested\n',
  'hooks:\n  - # comment item\n',
  'hooks:\n  - name: a\n   url: misaligned\n',
  'hooks:\n  - name: a\n      url: too deep\n',
  'just a scalar\n',
  '- a\nb: c\n',
  'true: key\n',
  'null: key\n',
  '123: key\n',
  '"quoted": key\n',
  '? complex\n: key\n',
  'hooks:\n  - name: a\n  url: outdented into the list\n',
  'a: b\n  c: d\n',
  'hooks:\n  - name: control \u0007 char\n',
  'hooks:\n  - name: line\u2028separator\n',
  'hooks:\n  - name: `reserved\n',
  'hooks:\n  - name: @reserved\n',
  'hooks:\n  - name: %percent\n',
  'hooks:\n  - name: {flow: map}\n',
  'hooks:\n  - name: [flow, seq]\n',
  '\u00A0hooks:\n  - name: a non-breaking space is no indentation\n',
  'hooks:\n  - name: an emoji \uD83D\uDE00 (beyond the BMP)\n',
  '--- # a document\nhooks:\n',
]

describe('lib/hooks-as-code/plain-yaml (the plain reader, checked against the yaml library)', () => {
  it('takes the files export writes and plain hand-written ones, reading them node for node as the library', () => {
    for (const text of TAKEN) expect(expectSameAsLibrary(text), `not taken:\n${text}`).to.equal(true)
  })

  it('refuses everything else, valid YAML or not, for the library to read (and report)', () => {
    for (const text of REFUSED) expect(readPlainYaml(text), `taken:\n${text}`).to.equal(undefined)
  })

  it('leaves to the library what is near its limits: long keys, deep nesting (and reads long lines in linear time)', () => {
    // the library's 1024 characters for an implicit key count from the end of an empty value before it
    for (const text of [
      `a:\n${'k'.repeat(1024)}: v\n`,
      `- a:\n  ${'k'.repeat(1022)}: v\n`,
      `a:\n  b:\n${'k'.repeat(1024)}: v\n`,
      `x:\n${' '.repeat(800)}a:\n${' '.repeat(800)}${'k'.repeat(256)}: v\n`, // the indentation counts too
    ]) {
      expect(readYaml(text).problems[0]?.message, text.slice(0, 12)).to.contain('at most 1024 chars')
      expect(readPlainYaml(text), text.slice(0, 12)).to.equal(undefined)
    }

    expect(readPlainYaml(`a:\n${'k'.repeat(257)}: v\n`), 'a key of more than 256 characters').to.equal(undefined)
    expect(expectSameAsLibrary(`a:\n${'k'.repeat(256)}: v\n`)).to.equal(true)
    const deep = (levels: number) => Array.from({length: levels}, (_, at) => `${' '.repeat(at)}a:`).join('\n')
    expect(expectSameAsLibrary(deep(30))).to.equal(true)
    expect(readPlainYaml(deep(40))).to.equal(undefined)
    expect(readPlainYaml(deep(3000)), 'no stack overflow').to.equal(undefined)
    expect(expectSameAsLibrary(`a: x${' '.repeat(20_000)}y${' '.repeat(20_000)}\n`)).to.equal(true)
  })

  it('takes what export writes for real hooks, whatever their names, descriptions and filters', () => {
    const hook = (name: string, description: string | null, filter?: string) => ({
      channel: {config: {headers: [{key: 'X-Team', value: 'a: b # c'}], uri: 'https://h.example.com/x'}},
      description,
      events: {
        filter: filter
          ? {eventFilterMap: [{condition: {expression: filter}, event: 'user.lifecycle.create'}]}
          : undefined,
        items: ['user.lifecycle.create'],
      },
      name,
      status: 'ACTIVE',
    })
    const names = [
      'plain',
      "It's",
      'a: b',
      '#hash',
      'x #y',
      '- dash',
      '12',
      'true',
      'null',
      ' padded ',
      'ünï',
      '"q"',
      '',
    ]
    let taken = 0
    for (const [index, name] of names.entries()) {
      const hooks = [hook(name || 'n', index % 2 ? null : `d ${name}`, `event.actor.id eq '${name}'`)]
      const text = serializeHooks(exportHooks(hooks as never).document, 'yaml', ['written by a test'])
      if (expectSameAsLibrary(text)) taken++
    }

    expect(taken).to.be.greaterThan(names.length / 2)
  })

  it('on random files and random edits of them, takes only what the library reads the same, without error', () => {
    let seed = 20261202
    const random = () => {
      seed = (seed + 0x6d2b79f5) | 0
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
      return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
    }

    const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]
    const CHARS = [
      'a',
      'b',
      'Z',
      '_',
      '.',
      '-',
      ' ',
      ' ',
      ':',
      '#',
      "'",
      '"',
      '[',
      ']',
      '{',
      '}',
      ',',
      '&',
      '*',
      '!',
      '|',
      '>',
      '%',
      '@',
      '`',
      '?',
      '~',
      '$',
      '0',
      '7',
      '\\',
      'é',
      '\u00A0',
      '\u2003',
      '\t',
      '\n',
      '\r',
    ]
    const text = () => Array.from({length: Math.floor(random() * 8)}, () => pick(CHARS)).join('')
    const value = (depth: number): unknown => {
      const roll = random()
      if (depth > 2 || roll < 0.5) return pick([text(), text(), null, true, false, 0, 1.5, 'null', 'true', '~', ''])
      if (roll < 0.75) return Array.from({length: 1 + Math.floor(random() * 3)}, () => value(depth + 1))
      return Object.fromEntries(
        Array.from({length: 1 + Math.floor(random() * 3)}, () => [
          pick(['name', 'url', 'a.b', 'x-y', text()]),
          value(depth + 1),
        ]),
      )
    }

    let taken = 0
    let takenEdits = 0
    let takenWritten = 0
    for (let round = 0; round < 1500; round++) {
      const document = stringify({hooks: value(0)}, {indent: pick([2, 4]), indentSeq: random() < 0.8, lineWidth: 0})
      if (expectSameAsLibrary(document)) taken++
      const at = Math.floor(random() * (document.length + 1))
      const edited =
        document.slice(0, at) + (random() < 0.5 ? pick(CHARS) : '') + document.slice(at + Math.floor(random() * 2))
      if (expectSameAsLibrary(edited)) takenEdits++
    }

    // written as people write: any indentation, spacing and comments, values unquoted, quoted or broken
    const scalar = () => {
      const raw = text()
      return pick([raw, raw, `'${raw}'`, `"${raw}"`, `${raw} # ${text()}`, pick(['true', 'null', '~', '12', 'x: y'])])
    }

    const lines = (depth: number, indent: string): string[] => {
      const step = ' '.repeat(1 + Math.floor(random() * 4))
      const out: string[] = []
      for (let count = 1 + Math.floor(random() * 3); count > 0; count--) {
        if (random() < 0.15) out.push(pick(['', `${indent}# ${text()}`, `${pick(['', ' ', '   '])}#`]))
        const key = pick(['name', 'url', 'a.b', 'X-Y', text()])
        const item = random() < 0.4
        const head = item ? `${indent}-${' '.repeat(1 + Math.floor(random() * 3))}` : indent
        if (depth < 2 && random() < 0.35) {
          out.push(`${head}${key}:${pick(['', ' ', ' # c'])}`, ...lines(depth + 1, indent + step))
        } else out.push(item && random() < 0.5 ? `${head}${scalar()}` : `${head}${key}: ${scalar()}`)
      }

      return out
    }

    for (let round = 0; round < 1500; round++) {
      const written = lines(0, pick(['', '', ' '])).join('\n') + pick(['\n', '', '\n\n'])
      if (expectSameAsLibrary(written)) takenWritten++
      const rows = written.split('\n')
      const row = Math.floor(random() * rows.length)
      rows[row] = pick(
        [' ', '', '  '].map((pad) => pad + rows[row].trimStart()).concat([rows[row] + pick([':', ' #', ' -', "'"])]),
      )
      expectSameAsLibrary(rows.join('\n'))
    }

    expect(taken, 'the random files the plain reader took').to.be.greaterThan(300)
    expect(takenWritten, 'the hand-written files the plain reader took').to.be.greaterThan(100)
    expect(takenEdits, 'the random edits the plain reader took').to.be.greaterThan(100)
  })

  it('takes the README example file', () => {
    const readme = readFileSync(fileURLToPath(new URL('../../../../README.md', import.meta.url)), 'utf8')
    const section = readme.slice(readme.indexOf('## Hooks as code'))
    const example = /```yaml\n([\s\S]*?)```/.exec(section)?.[1]
    expect(example, 'the README has a hooks file example').to.include('hooks:')
    expect(expectSameAsLibrary(example!)).to.equal(true)
  })
})
