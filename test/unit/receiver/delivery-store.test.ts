import {expect} from 'chai'
import {appendFileSync, existsSync, mkdirSync, mkdtempSync, statSync, writeFileSync} from 'node:fs'
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

/** What `run` returns (or the message it throws), and how many times it called JSON.parse. */
function parses(run: () => unknown): {parsed: number; result: unknown} {
  const parse = JSON.parse
  let parsed = 0
  JSON.parse = ((text: string, reviver?: Parameters<typeof parse>[1]) => {
    parsed++
    return parse(text, reviver)
  }) as typeof JSON.parse
  try {
    const result = run()
    return {parsed, result}
  } catch (error) {
    return {parsed, result: (error as Error).message.replace(/^"\w+" /, '').replace(/\.$/, '')}
  } finally {
    JSON.parse = parse
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

  it('rotates to <file>.1 at the cap (one older file), and reads, finds, counts and clears across both', () => {
    const size = Buffer.byteLength(JSON.stringify({...record('rot00000'), n: 1}) + '\n') // numbered 1 to 8: one digit each
    const capped = new DeliveryStore(store.path, {maxBytes: size * 3})
    for (let i = 0; i < 8; i++) capped.append(record(`rot${String(i).padStart(5, '0')}`))
    expect(statSync(capped.path).size).to.equal(size * 2) // the 4th and the 7th append moved the file to .1
    expect(statSync(capped.rotatedPath).size).to.equal(size * 3)
    expect(capped.readAll().map((r) => r.id)).to.deep.equal([
      'rot00003',
      'rot00004',
      'rot00005',
      'rot00006',
      'rot00007',
    ])
    expect(capped.newest(3, (r) => r.id)).to.deep.equal({items: ['rot00005', 'rot00006', 'rot00007'], more: true})
    expect(capped.get('rot00003').id).to.equal('rot00003') // in the rotated file
    expect(capped.get('last').id).to.equal('rot00007')
    expect(() => capped.get('rot0000')).to.throw(CliError, 'matches 5 deliveries')
    expect(capped.count()).to.equal(5)
    expect(capped.clear()).to.equal(5)
    expect([existsSync(capped.path), existsSync(capped.rotatedPath), capped.exists()]).to.deep.equal([
      false,
      false,
      false,
    ])
  })

  it('numbers records as they are appended (across rotation, from 1 after a clear, after records written before numbering) and finds them by number', () => {
    const old = record('old00000')
    store.prepare()
    writeFileSync(store.path, JSON.stringify(old) + '\n') // written before numbering: no n
    const capped = new DeliveryStore(store.path, {maxBytes: 1000})
    const appended = Array.from({length: 6}, (_, i) => record(`num${String(i).padStart(5, '0')}`))
    for (const r of appended) capped.append(r)
    expect(appended.map((r) => r.n)).to.deep.equal([1, 2, 3, 4, 5, 6]) // the caller's record is numbered too
    expect(existsSync(capped.rotatedPath)).to.equal(true)
    expect(capped.byNumbers([2, 5, 6]).map((r) => r.id)).to.deep.equal(['num00005', 'num00004', 'num00001'])
    expect(capped.byNumbers([9])).to.deep.equal([])
    const reopened = new DeliveryStore(store.path, {maxBytes: 1000})
    const next = record('num00006')
    reopened.append(next)
    expect(next.n).to.equal(7)
    reopened.clear()
    const first = record('num00007')
    reopened.append(first)
    expect(first.n).to.equal(1)
  })

  it('reads the newest records from the end, parsing only those (and a prefix lookup only the lines that can match)', () => {
    for (let i = 0; i < 500; i++) store.append(record(`bulk${String(i).padStart(4, '0')}`))
    expect(parses(() => store.newest(20, (r) => r.id).items.at(-1))).to.deep.equal({parsed: 21, result: 'bulk0499'}) // 20, and one to know there are more
    expect(parses(() => store.get('last').id)).to.deep.equal({parsed: 1, result: 'bulk0499'})
    expect(parses(() => store.get('bulk0123').id)).to.deep.equal({parsed: 1, result: 'bulk0123'})
    expect(parses(() => store.get('bulk03').id === undefined)).to.deep.equal({
      parsed: 100,
      result: 'matches 100 deliveries',
    })
  })

  it('prepare() refuses a folder and a path it cannot create (usage errors, exit 2), and creates a missing folder', () => {
    mkdirSync(store.path, {recursive: true})
    expect(() => store.prepare()).to.throw(CliError, 'it is a folder')
    const file = join(store.path, 'a-file')
    writeFileSync(file, '')
    const under = new DeliveryStore(join(file, 'deliveries.ndjson'))
    expect(() => under.prepare()).to.throw(CliError, `Cannot record to ${under.path}`)
    const fresh = new DeliveryStore(join(store.path, 'new', 'folder', 'deliveries.ndjson'))
    fresh.prepare()
    expect(statSync(fresh.path).mode & 0o777).to.equal(0o600)
  })
})
