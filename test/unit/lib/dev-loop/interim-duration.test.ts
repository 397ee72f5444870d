import {expect} from 'chai'

import {interimDurationMs} from '../../../../src/lib/dev-loop/interim-duration.js'
import {CliError} from '../../../../src/lib/errors.js'

describe('dev-loop/interim-duration (the rules of issue 9\'s durationFlag)', () => {
  it('reads 500ms, 3s, 1.5s, 2m, 1h, and a bare number as seconds', () => {
    const cases: [string, number][] = [
      ['500ms', 500],
      ['3s', 3000],
      ['1.5s', 1500],
      ['2m', 120_000],
      ['1h', 3_600_000],
      ['30', 30_000],
      [' 2S ', 2000],
      ['.5s', 500],
    ]
    for (const [text, ms] of cases) expect(interimDurationMs(text, '--tunnel-timeout'), text).to.equal(ms)
  })

  it('refuses what is not a duration, zero, and more than the maximum (usage errors naming the flag)', () => {
    for (const text of ['', 'soon', '3 days', '-1s', '1e3']) {
      expect(() => interimDurationMs(text, '--tunnel-timeout')).to.throw(CliError, '--tunnel-timeout').with.property('exitCode', 2)
    }

    expect(() => interimDurationMs('0s', '--tunnel-timeout')).to.throw(CliError, 'too short')
    expect(() => interimDurationMs('11m', '--tunnel-timeout', 600_000)).to.throw(CliError, 'at most 600s')
  })
})
