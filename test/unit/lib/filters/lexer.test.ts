import {expect} from 'chai'

import {FilterExpressionError} from '../../../../src/lib/filters/index.js'
import {tokenize} from '../../../../src/lib/filters/lexer.js'

describe('lib/filters/lexer', () => {
  it('splits the Sales example into tokens with their spans', () => {
    const tokens = tokenize("event.target.?[type eq 'UserGroup'].size()> 0")
    expect(tokens.map((t) => t.text)).to.deep.equal([
      'event',
      '.',
      'target',
      '.',
      '?[',
      'type',
      'eq',
      "'UserGroup'",
      ']',
      '.',
      'size',
      '(',
      ')',
      '>',
      '0',
      '',
    ])
    expect(tokens.map((t) => t.kind)).to.deep.equal([
      'name',
      'punct',
      'name',
      'punct',
      'punct',
      'name',
      'name',
      'string',
      'punct',
      'punct',
      'name',
      'punct',
      'punct',
      'punct',
      'number',
      'end',
    ])
    expect(tokens[7]).to.deep.equal({end: 34, kind: 'string', start: 23, text: "'UserGroup'", value: 'UserGroup'})
  })

  it("reads eq'SUCCESS' (no space, as Okta's help page writes it) as two tokens", () => {
    expect(tokenize("eq'SUCCESS'").map((t) => t.text)).to.deep.equal(['eq', "'SUCCESS'", ''])
  })

  it('takes the longest operator and keeps strings whole', () => {
    const operators = tokenize('a&&b||!c<=d>=e!=f==g').filter((t) => t.kind === 'punct')
    expect(operators.map((t) => t.text)).to.deep.equal(['&&', '||', '!', '<=', '>=', '!=', '=='])
    expect(tokenize("'a && b' \"it''s\"").map((t) => (t.kind === 'string' ? t.value : t.kind))).to.deep.equal([
      'a && b',
      "it''s",
      'end',
    ])
    expect(tokenize('3.25').map((t) => (t.kind === 'number' ? t.value : t.kind))).to.deep.equal([3.25, 'end'])
  })

  it('refuses what SpEL cannot read, with its own error type', () => {
    for (const text of ["'open", 'a ` b', '\u2019x\u2019', '1e5', '\uD83D\uDE00']) {
      expect(() => tokenize(text), text).to.throw(FilterExpressionError)
    }
  })
})
