import {expect} from 'chai'

import {
  bold,
  type Column,
  displayWidth,
  type Output,
  outputOf,
  renderTable,
  truncate,
} from '../../../../src/lib/io/table.js'

interface Row {
  id: string
  url: string
}

const COLUMNS: Column<Row>[] = [
  {cell: (row) => row.id, header: 'ID'},
  {cell: (row) => row.url, flexible: true, header: 'URL'},
]
const rows: Row[] = [
  {id: 'who1', url: 'https://example.com/a/very/long/path/that/does/not/fit'},
  {id: 'who22', url: 'https://example.com/\tshort\n'},
]
const terminal = (columns: number, extra: Partial<Output> = {}): Output => ({
  color: false,
  columns,
  tty: true,
  wide: false,
  ...extra,
})

describe('lib/io/table', () => {
  it('at a terminal: aligned columns under a header, no rules, nothing cut when it fits', () => {
    const text = renderTable(COLUMNS, rows, terminal(200))
    expect(text.split('\n')).to.deep.equal([
      'ID     URL',
      'who1   https://example.com/a/very/long/path/that/does/not/fit',
      'who22  https://example.com/ short',
    ])
  })

  it('fits the terminal: the flexible column is cut with …, the others never', () => {
    const lines = renderTable(COLUMNS, rows, terminal(30)).split('\n')
    expect(
      lines.every((line) => displayWidth(line) <= 30),
      lines.join('\n'),
    ).to.equal(true)
    expect(lines[1]).to.equal('who1   https://example.com/a/…')
    expect(lines[2]).to.equal('who22  https://example.com/ s…')
    const narrow = renderTable(COLUMNS, rows, terminal(5)).split('\n')
    expect(narrow[1]).to.equal('who1   https:/…', 'a flexible column stops at its minimum; ids are kept whole')
  })

  it("'first' flexible columns give way before the others", () => {
    const columns: Column<Row>[] = [
      {cell: (row) => row.id, flexible: true, header: 'ID'},
      {cell: (row) => row.url, flexible: 'first', header: 'URL'},
    ]
    const [, line] = renderTable(
      columns,
      [{id: 'a-rather-long-name', url: 'https://example.com/long/path'}],
      terminal(30),
    ).split('\n')
    expect(line).to.equal('a-rather-long-name  https://e…')
    const [, both] = renderTable(
      columns,
      [{id: 'a-rather-long-name', url: 'https://example.com/long/path'}],
      terminal(20),
    ).split('\n')
    expect(both).to.equal('a-rather-…  https:/…')
  })

  it('--wide cuts nothing, whatever the width', () => {
    expect(renderTable(COLUMNS, rows, terminal(30, {wide: true}))).to.contain('that/does/not/fit')
  })

  it('not at a terminal: a tab-separated header and rows, nothing cut, no colour, for cut and awk', () => {
    const text = renderTable(COLUMNS, rows, {color: false, columns: 20, tty: false, wide: false})
    expect(text).to.equal(
      'ID\tURL\nwho1\thttps://example.com/a/very/long/path/that/does/not/fit\nwho22\thttps://example.com/ short',
    )
  })

  it('a bold header only when colour is on', () => {
    expect(renderTable(COLUMNS, rows, terminal(80, {color: true})).split('\n')[0]).to.equal(
      '\u001B[1mID     URL\u001B[22m',
    )
    expect(bold('x', {color: false})).to.equal('x')
  })

  it('outputOf: colour only at a terminal, and never with NO_COLOR or --no-color; the width from the stream, then COLUMNS', () => {
    expect(outputOf({columns: 120, isTTY: true}, {}, {})).to.deep.equal({
      color: true,
      columns: 120,
      tty: true,
      wide: false,
    })
    expect(outputOf({columns: 120, isTTY: true}, {}, {NO_COLOR: '1'}).color).to.equal(false)
    expect(outputOf({columns: 120, isTTY: true}, {noColor: true}, {}).color).to.equal(false)
    expect(outputOf({columns: 120, isTTY: true}, {}, {TERM: 'dumb'}).color).to.equal(false)
    expect(outputOf({}, {wide: true}, {COLUMNS: '90'})).to.deep.equal({
      color: false,
      columns: 90,
      tty: false,
      wide: true,
    })
    expect(outputOf({}, {}, {}).columns).to.equal(80)
  })

  it('measures and cuts by columns, not bytes', () => {
    expect(displayWidth('\u001B[1mé\u001B[22m')).to.equal(1)
    expect(displayWidth('e\u0301')).to.equal(1)
    expect(truncate('héllo wörld', 6)).to.equal('héllo…')
    expect(truncate('short', 6)).to.equal('short')
    expect(truncate('abc', 1)).to.equal('…')
    expect(truncate('abc', 0)).to.equal('')
  })
})
