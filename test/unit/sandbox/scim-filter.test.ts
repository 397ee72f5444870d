import {expect} from 'chai'

import {OktaApiError} from '../../../src/lib/sandbox/errors.js'
import {MAX_FILTER_DEPTH, parseScimFilter} from '../../../src/lib/sandbox/scim-filter.js'

const refusal = (filter: string) => {
  try {
    parseScimFilter(filter)
  } catch (error) {
    return error as OktaApiError
  }

  throw new Error(`accepted: ${filter.slice(0, 40)}`)
}

describe('sandbox/scim-filter', () => {
  it(`refuses nesting deeper than ${MAX_FILTER_DEPTH} with E0000053, and parses up to it`, () => {
    for (const filter of [
      '('.repeat(100_000) + 'eventType eq "x"' + ')'.repeat(100_000),
      'not('.repeat(50_000) + 'eventType eq "x"' + ')'.repeat(50_000),
    ]) {
      const error = refusal(filter)
      expect([error.status, error.errorCode]).to.deep.equal([400, 'E0000053'])
      expect(error.causes[0]).to.contain(`more than ${MAX_FILTER_DEPTH} deep`)
    }

    const deepest = parseScimFilter(
      'not('.repeat(MAX_FILTER_DEPTH - 1) + '(eventType eq "x")' + ')'.repeat(MAX_FILTER_DEPTH - 1),
    )
    expect(deepest({eventType: 'x'})).to.equal(false) // 99 nots
  })

  it('evaluates a chain of 20,000 or/and terms without recursing once per term', () => {
    const terms = Array.from({length: 20_000}, (_, i) => `eventType eq "t${i}"`)
    expect(parseScimFilter(terms.join(' or '))({eventType: 't19999'})).to.equal(true)
    expect(parseScimFilter(terms.join(' or '))({eventType: 'nope'})).to.equal(false)
    expect(parseScimFilter(terms.join(' and '))({eventType: 't0'})).to.equal(false)
    expect(
      parseScimFilter('eventType eq "a" or eventType eq "b" and severity eq "WARN"')({
        eventType: 'b',
        severity: 'INFO',
      }),
    ).to.equal(false)
  })
})
