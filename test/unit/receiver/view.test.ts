import {expect} from 'chai'

import {type DeliveryRow, renderDeliveryTable} from '../../../src/lib/receiver/view.js'

const row = (i: number): DeliveryRow => ({
  events: 1,
  id: `row${String(i).padStart(6, '0')}`,
  kind: 'delivery',
  latencyMs: i % 1000,
  method: 'POST',
  path: '/',
  receivedAt: '2026-12-01T10:00:00.000Z',
  status: 204,
})
const terminal = {color: false, columns: 120, tty: true, wide: false}

describe('receiver/view', () => {
  it('one aligned line per delivery at a terminal, in linear time (hundreds of thousands render)', () => {
    const few = renderDeliveryTable(
      [row(1), {...row(2), events: undefined, kind: 'verification', problem: 'UNAUTHORIZED', status: 401}],
      terminal,
    )
    expect(few).to.contain('401 UNAUTHORIZED').and.contain('verify').and.not.match(/[┌─│]/)
    const many = renderDeliveryTable(
      Array.from({length: 100_000}, (_, i) => row(i)),
      terminal,
    )
    const lines = many.split('\n')
    expect(lines).to.have.length(100_001)
    expect(lines[0]).to.match(/^ID\s+TIME\s+METHOD\s+PATH\s+STATUS\s+EVENTS\s+LATENCY$/)
    expect(lines[1]).to.equal('row000000  2026-12-01 10:00:00Z  POST    /     204     1       0 ms')
    expect(lines[0].indexOf('TIME')).to.equal(lines[100_000].indexOf('2026'))
  })

  it('tab-separated when piped', () => {
    expect(renderDeliveryTable([row(7)], {...terminal, tty: false})).to.equal(
      'ID\tTIME\tMETHOD\tPATH\tSTATUS\tEVENTS\tLATENCY\nrow000007\t2026-12-01 10:00:00Z\tPOST\t/\t204\t1\t7 ms',
    )
  })
})
