import {expect} from 'chai'

import {BOXED_TABLE_MAX_ROWS, type DeliveryRow, renderDeliveryTable} from '../../../src/lib/receiver/view.js'

const row = (i: number): DeliveryRow => ({events: 1, id: `row${String(i).padStart(6, '0')}`, kind: 'delivery', latencyMs: i % 1000, method: 'POST', path: '/', receivedAt: '2026-12-01T10:00:00.000Z', status: 204})

describe('receiver/view', () => {
  it('boxes a table of up to BOXED_TABLE_MAX_ROWS rows, and aligns plain columns beyond (so that hundreds of thousands render)', async () => {
    const boxed = await renderDeliveryTable([row(1), {...row(2), events: undefined, kind: 'verification', problem: 'UNAUTHORIZED', status: 401}])
    expect(boxed).to.match(/┌─+┬/).and.contain('401 UNAUTHORIZED').and.contain('verify')
    const many = await renderDeliveryTable(Array.from({length: 5000}, (_, i) => row(i)))
    const lines = many.split('\n')
    expect(lines).to.have.length(5001)
    expect(lines[0]).to.match(/^ID\s+TIME\s+METHOD\s+PATH\s+STATUS\s+EVENTS\s+LATENCY$/)
    expect(lines[1]).to.equal('row000000  2026-12-01 10:00:00Z  POST    /     204     1       0 ms')
    expect(lines[0].indexOf('TIME')).to.equal(lines[5000].indexOf('2026'))
    expect(BOXED_TABLE_MAX_ROWS).to.equal(1000)
  })
})
