import {expect} from 'chai'
import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {countLines, endOfLastLine, linesFromEnd, linesFromStart} from '../../../../src/lib/io/line-file.js'

const file = (content: string | Buffer) => {
  const path = join(mkdtempSync(join(tmpdir(), 'okta-hooks-lines-')), 'lines.ndjson')
  writeFileSync(path, content)
  return path
}

/** Each line as text as it comes: a line is a view into a reused buffer, valid until the next one. */
const texts = (lines: Iterable<Buffer>) => Array.from(lines, (line) => line.toString('utf8'))

describe('io/line-file', () => {
  const content = ['alpha', '', 'a line longer than one chunk of eight bytes', 'b', 'torn last line, no newline'].join(
    '\n',
  )

  it('reads lines forward and from the end across chunk boundaries, skipping empty lines, the torn last one included', () => {
    const path = file(content)
    const expected = ['alpha', 'a line longer than one chunk of eight bytes', 'b', 'torn last line, no newline']
    for (const chunkBytes of [1, 3, 8, 1024]) {
      expect(texts(linesFromStart(path, {chunkBytes})), `forward, chunks of ${chunkBytes}`).to.deep.equal(expected)
      expect(texts(linesFromEnd(path, {chunkBytes})), `backward, chunks of ${chunkBytes}`).to.deep.equal(
        [...expected].reverse(),
      )
    }

    expect(texts(linesFromEnd(file('')))).to.deep.equal([])
    expect(texts(linesFromEnd(file('\n\n')))).to.deep.equal([])
  })

  it('skips a line longer than maxLineBytes without keeping it', () => {
    const path = file(`first\n${'x'.repeat(100)}\nlast\n`)
    expect(texts(linesFromStart(path, {chunkBytes: 16, maxLineBytes: 50}))).to.deep.equal(['first', 'last'])
    expect(texts(linesFromEnd(path, {chunkBytes: 16, maxLineBytes: 50}))).to.deep.equal(['last', 'first'])
  })

  it('from the end, yields only the lines containing a needle, wherever it falls in the chunks', () => {
    const lines = Array.from(
      {length: 40},
      (_, i) => `{"id":"rec${String(i).padStart(3, '0')}","pad":"${'p'.repeat(i % 7)}"}`,
    )
    const path = file(lines.join('\n') + '\n')
    for (const chunkBytes of [5, 32, 100, 1 << 20]) {
      const found = texts(linesFromEnd(path, {chunkBytes, containing: Buffer.from('"id":"rec01')}))
      expect(found, `chunks of ${chunkBytes}`).to.deep.equal(lines.slice(10, 20).reverse())
    }
  })

  it('counts lines (or those starting with a character) without parsing, and finds where a torn last line starts', () => {
    expect(countLines(file(content), {chunkBytes: 4})).to.equal(4)
    expect(countLines(file('{"a":1}\n\0\0\0\n{"b":2}\n'), {chunkBytes: 3, startingWith: '{'})).to.equal(2)
    expect(countLines(file(''))).to.equal(0)
    expect(endOfLastLine(file('one\ntwo\nthr'), {chunkBytes: 2})).to.equal(8)
    expect(endOfLastLine(file('one\n'))).to.equal(4)
    expect(endOfLastLine(file('no newline at all'))).to.equal(0)
  })
})
