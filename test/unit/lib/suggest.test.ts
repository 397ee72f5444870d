import {expect} from 'chai'

import {closestMatch, editDistance} from '../../../src/lib/suggest.js'

describe('lib/suggest', () => {
  it('editDistance is Levenshtein', () => {
    expect(editDistance('lst', 'list')).to.equal(1)
    expect(editDistance('stauts', 'status')).to.equal(2)
    expect(editDistance('', 'abc')).to.equal(3)
    expect(editDistance('same', 'same')).to.equal(0)
  })

  it('closestMatch: the nearest known word if it is close enough, a prefix counting as close', () => {
    const commands = ['list', 'listen', 'logs', 'deliveries list', 'sandbox start']
    expect(closestMatch('lst', commands)).to.equal('list')
    expect(closestMatch('LIST', commands)).to.equal('list')
    expect(closestMatch('liste', commands)).to.equal('listen', 'a prefix beats one letter off')
    expect(closestMatch('lgs', ['logs', 'lags'])).to.equal('logs', 'a tie goes to the earlier word')
    expect(closestMatch('deliveries lst', commands)).to.equal('deliveries list')
    expect(closestMatch('lis', commands)).to.equal('list')
    expect(closestMatch('zzzzzz', commands)).to.equal(undefined)
    expect(closestMatch('x', commands)).to.equal(undefined)
  })
})
