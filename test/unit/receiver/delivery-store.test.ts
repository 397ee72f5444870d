import {expect} from 'chai'
import {appendFileSync, mkdtempSync, statSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {CliError} from '../../../src/lib/errors.js'
import {type DeliveryRecord, DeliveryStore, newRecordId} from '../../../src/lib/receiver/delivery-store.js'

function record(id: string): DeliveryRecord {
  return {
    auth: 'none',
    id,
    kind: 'delivery',
    latencyMs: 1,
    receivedAt: new Date().toISOString(),
    request: {bodyBytes: 2, headers: {}, method: 'POST', path: '/'},
    response: {body: '', headers: {}, status: 204},
    version: 1,
  }
}

describe('receiver/delivery-store', () => {
  let store: DeliveryStore
  beforeEach(() => {
    store = new DeliveryStore(join(mkdtempSync(join(tmpdir(), 'okta-hooks-store-')), 'sub', 'deliveries.ndjson'))
  })

  it('appends one line per record to a private file in a new folder', () => {
    store.append(record('aaaa1111'))
    store.append(record('aaaa2222'))
    expect(store.readAll().map((r) => r.id)).to.deep.equal(['aaaa1111', 'aaaa2222'])
    expect(statSync(store.path).mode & 0o777).to.equal(0o600)
  })

  it('skips a line torn by a crash and foreign lines', () => {
    store.append(record('aaaa1111'))
    appendFileSync(store.path, '{"id":"torn","requ')
    appendFileSync(store.path, '\n[1,2]\n')
    store.append(record('bbbb2222'))
    expect(store.readAll().map((r) => r.id)).to.deep.equal(['aaaa1111', 'bbbb2222'])
  })

  it('finds by id, unique prefix or "last", and explains ambiguity and absence', () => {
    expect(() => store.get('last')).to.throw(CliError, 'No deliveries recorded')
    store.append(record('abcd1111'))
    store.append(record('abcd2222'))
    expect(store.get('abcd2').id).to.equal('abcd2222')
    expect(store.get('last').id).to.equal('abcd2222')
    expect(() => store.get('abcd')).to.throw(CliError, 'matches 2 deliveries')
    expect(() => store.get('zzzz')).to.throw(CliError, 'No delivery "zzzz"')
  })

  it('clears, and ids sort by time', () => {
    store.append(record('x1234'))
    expect(store.clear()).to.equal(1)
    expect(store.exists()).to.equal(false)
    expect(store.readAll()).to.deep.equal([])
    const now = Date.now()
    expect(newRecordId(now) < newRecordId(now + 1)).to.equal(true)
    expect(newRecordId(now)).to.match(/^[0-9a-z]{14}$/)
  })
})
