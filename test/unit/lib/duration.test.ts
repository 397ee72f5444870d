import {expect} from 'chai'

import {formatDuration, parseDuration} from '../../../src/lib/duration.js'
import {refusal} from '../../helpers/refusal.js'

describe('lib/duration', () => {
  it('reads ms, s, m and h, decimals, and a bare number as seconds', () => {
    const cases: [string, number][] = [
      ['500ms', 500],
      ['3s', 3000],
      ['1.5s', 1500],
      ['.5s', 500],
      ['2m', 120_000],
      ['1h', 3_600_000],
      ['0.25h', 900_000],
      ['3', 3000],
      ['0.1', 100],
      [' 2S ', 2000],
      ['10 ms', 10],
    ]
    for (const [text, ms] of cases) expect(parseDuration(text, '--wait', {max: 7_200_000}), text).to.equal(ms)
  })

  it('refuses what is not a duration, naming the flag and the forms it takes', () => {
    for (const text of ['', 'abc', '3 seconds', '-1s', '1d', '1h30m', '3,5s']) {
      const error = refusal(() => parseDuration(text, '--wait'))
      expect(error.exitCode, text).to.equal(2)
      expect(error.message).to.equal(`--wait "${text}" is not a duration.`)
      expect(error.suggestions[0]).to.contain('500ms, 3s, 2m or 1h (a bare number is seconds)')
    }
  })

  it("keeps each flag within its bounds, saying which in the flag's own form", () => {
    expect(refusal(() => parseDuration('0', '--timeout')).message).to.equal(
      '--timeout 0 is too short: it must be more than 0.',
    )
    expect(refusal(() => parseDuration('0.4ms', '--timeout')).message).to.contain('too short')
    expect(refusal(() => parseDuration('50ms', '--interval', {min: 100})).message).to.equal(
      '--interval 50ms is too short: it must be at least 100ms.',
    )
    expect(refusal(() => parseDuration('3m', '--respond-delay', {max: 120_000})).message).to.equal(
      '--respond-delay 3m is too long: it must be at most 2m.',
    )
    expect(parseDuration('0', '--respond-delay', {min: 0})).to.equal(0)
    expect(parseDuration('2m', '--respond-delay', {max: 120_000})).to.equal(120_000)
  })

  it('writes milliseconds back the way they are typed', () => {
    const cases: [number, string][] = [
      [0, '0s'],
      [250, '250ms'],
      [1000, '1s'],
      [1500, '1.5s'],
      [3000, '3s'],
      [30_000, '30s'],
      [90_000, '90s'],
      [60_000, '1m'],
      [120_000, '2m'],
      [3_600_000, '1h'],
      [5_400_000, '90m'],
    ]
    for (const [ms, text] of cases) {
      expect(formatDuration(ms), String(ms)).to.equal(text)
      expect(parseDuration(text, '--x', {min: 0}), text).to.equal(ms)
    }
  })
})
