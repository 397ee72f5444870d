import {expect} from 'chai'
import {appendFileSync, existsSync, mkdtempSync, readdirSync, readFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {Checkpoint, eventKey} from '../../../src/lib/replay/checkpoint.js'
import {queryFingerprint} from '../../../src/lib/replay/replayer.js'

const query = queryFingerprint({since: '2026-11-20T00:00:00.000Z', until: '2026-11-21T00:00:00.000Z'})
const fresh = () => join(mkdtempSync(join(tmpdir(), 'okta-hooks-ckpt-')), 'replay.ckpt')

describe('replay/checkpoint', () => {
  it('starts fresh, appends acks at once, and a resumed run knows them (a torn last line is ignored)', () => {
    const path = fresh()
    const first = Checkpoint.open(path, query)
    expect(first.resumed).to.equal(false)
    first.start('http://org/api/v1/logs?limit=1000', {delivered: 0, failed: 0, fetched: 3})
    first.ack(['a', 'b'])
    first.ack(['c'], true)
    // SIGKILL here: nothing closed; a half-written line at the end.
    appendFileSync(path, '{"a":["d"')
    const resumed = Checkpoint.open(path, query)
    expect(resumed.resumed).to.equal(true)
    expect(resumed.state.cursor).to.equal('http://org/api/v1/logs?limit=1000')
    expect([...resumed.acked]).to.deep.equal(['a', 'b', 'c'])
    expect(resumed.state.counts).to.deep.equal({delivered: 2, failed: 1, fetched: 3})
    resumed.ack(['e'])
    resumed.close()
    // A second resume neither loses nor double counts the carried-over acks.
    const again = Checkpoint.open(path, query)
    expect([...again.acked].sort()).to.deep.equal(['a', 'b', 'c', 'e'])
    expect(again.state.counts).to.deep.equal({delivered: 3, failed: 1, fetched: 3})
    again.close()
  })

  it('advances atomically to the next page (no temp file left), and is done without a next link', () => {
    const path = fresh()
    const checkpoint = Checkpoint.open(path, query)
    checkpoint.start('u1', {delivered: 0, failed: 0, fetched: 0})
    checkpoint.ack(['a'])
    checkpoint.advance('u2', {delivered: 1, failed: 0, fetched: 1})
    expect(readFileSync(path, 'utf8').trim().split('\n')).to.have.length(1)
    expect(readdirSync(join(path, '..'))).to.deep.equal(['replay.ckpt'])
    checkpoint.advance(undefined, {delivered: 1, failed: 0, fetched: 1})
    checkpoint.close()
    const state = JSON.parse(readFileSync(path, 'utf8').split('\n')[0])
    expect(state).to.deep.include({cursor: 'u2', done: true})
    expect(Checkpoint.open(path, query).state.done).to.equal(true)
  })

  it('refuses the checkpoint of another window, and a file that is not a checkpoint', () => {
    const path = fresh()
    Checkpoint.open(path, query).close()
    expect(() => Checkpoint.open(path, queryFingerprint({since: 'x', until: 'y'}))).to.throw(/belongs to another replay/)
    const other = fresh()
    appendFileSync(other, 'hello\n')
    expect(() => Checkpoint.open(other, query)).to.throw(/is not an okta-hooks replay checkpoint/)
    expect(existsSync(path)).to.equal(true)
  })

  it('keys events by uuid, or by a hash of the event without one', () => {
    expect(eventKey({uuid: 'u-1'})).to.equal('u-1')
    expect(eventKey({a: 1})).to.match(/^sha1:[0-9a-f]{40}$/)
    expect(eventKey({a: 1})).to.equal(eventKey({a: 1}))
  })
})
