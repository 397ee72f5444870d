import {expect} from 'chai'

import {CliError} from '../../../../src/lib/errors.js'
import {
  parseVarFile,
  parseVarFlag,
  substitute,
  templateFor,
  variableLookup,
} from '../../../../src/lib/hooks-as-code/variables.js'

describe('lib/hooks-as-code/variables', () => {
  const lookup = variableLookup({env: {EMPTY: '', HOST: 'env.example.com', TEAM: 'identity'}})

  it('substitutes ${NAME}, keeps $${ as a literal ${ and a lone $ as it is', () => {
    expect(substitute('https://${HOST}/${TEAM}', lookup)).to.deep.equal({value: 'https://env.example.com/identity'})
    expect(substitute('cost: $5, $${HOST} stays', lookup)).to.deep.equal({value: 'cost: $5, ${HOST} stays'})
    expect(substitute('no variables', lookup)).to.deep.equal({value: 'no variables'})
  })

  it('names every variable that is not set (an empty one counts as not set), once each', () => {
    expect(substitute('${A}/${EMPTY}/${A}', lookup)).to.deep.equal({missing: ['A', 'EMPTY']})
  })

  it('refuses a malformed reference', () => {
    expect(substitute('${1X}', lookup))
      .to.have.property('problem')
      .that.match(/"\$\{1X\}" is not a variable reference/)
    expect(substitute('a ${open', lookup))
      .to.have.property('problem')
      .that.match(/"\$\{open" is not a variable reference/)
  })

  it('--var wins over --var-file, which wins over the environment', () => {
    const layered = variableLookup({
      env: {A: 'env', B: 'env', C: 'env'},
      fileVars: [
        ['A', 'file'],
        ['B', 'file'],
      ],
      vars: ['A=flag'],
    })
    expect(['A', 'B', 'C', 'D'].map((name) => layered(name))).to.deep.equal(['flag', 'file', 'env', undefined])
  })

  it('parses --var NAME=VALUE (the value may hold "="), and refuses other forms', () => {
    expect(parseVarFlag('URL=https://h.example.com/?a=b')).to.deep.equal(['URL', 'https://h.example.com/?a=b'])
    expect(parseVarFlag('EMPTY=')).to.deep.equal(['EMPTY', ''])
    for (const bad of ['NOVALUE', '=x', '1A=x', 'A B=x']) {
      expect(() => parseVarFlag(bad)).to.throw(CliError, /is not in the form NAME=VALUE/)
    }
  })

  it('parses a --var-file: comments, blank lines, export, quotes; a bad line names its line', () => {
    expect(
      parseVarFile('# preview org\n\nexport HOST=preview.example.com\nTEAM="identity team"\nQ=\'x\'\n', 'vars.env'),
    ).to.deep.equal([
      ['HOST', 'preview.example.com'],
      ['TEAM', 'identity team'],
      ['Q', 'x'],
    ])
    expect(() => parseVarFile('A=1\nnot a line\n', 'vars.env')).to.throw(
      CliError,
      /^vars\.env:2: "not a line" is not in the form NAME=VALUE/,
    )
  })

  it('templateFor writes ${NAME} for values (longest first), escapes ${, and round-trips through substitute', () => {
    const vars: [string, string][] = [
      ['HOST', 'hooks.example.com'],
      ['SUB', 'example'],
      ['NONE', ''],
    ]
    const template = templateFor('https://hooks.example.com/${x}/example', vars)
    expect(template).to.equal('https://${HOST}/$${x}/${SUB}')
    const back = variableLookup({env: {}, vars: ['HOST=hooks.example.com', 'SUB=example']})
    expect(substitute(template, back)).to.deep.equal({value: 'https://hooks.example.com/${x}/example'})
  })
})
