import {expect} from 'chai'
import {appendFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync} from 'node:fs'
import {hostname, tmpdir} from 'node:os'
import {join} from 'node:path'

import {lockPathFor} from '../../../src/lib/io/file-lock.js'
import {Checkpoint, eventKey, queryFingerprint} from '../../../src/lib/replay/checkpoint.js'
import type {LogQuery} from '../../../src/lib/syslog/pager.js'
import {NO_EXCLUSIONS} from '../../../src/lib/replay/selection.js'
import {refusal} from '../../helpers/refusal.js'

const query: LogQuery = {since: '2026-11-20T00:00:00.000Z', until: '2026-11-21T00:00:00.000Z'}
const fresh = () => join(mkdtempSync(join(tmpdir(), 'okta-hooks-ckpt-')), 'replay.ckpt')
/** Simulates the previous holder having died (SIGKILL): its lock is stale. */
const dead = () => false

describe('replay/checkpoint', () => {
  it('starts fresh, appends acks at once, and a resumed run knows them (a torn last line is ignored)', () => {
    const path = fresh()
    const first = Checkpoint.open(path, {query})
    expect(first.resumed).to.equal(false)
    first.start('http://org/api/v1/logs?limit=1000', {
      accepted: 0,
      failed: 0,
      fetched: 4,
      rejected: 0,
      ...NO_EXCLUSIONS,
    })
    first.ack(['a', 'b'])
    first.ack(['c'], 'failed')
    first.ack(['x'], 'rejected')
    // SIGKILL here: nothing closed, the lock left behind; a half-written line at the end.
    appendFileSync(path, '{"a":["d"')
    const resumed = Checkpoint.open(path, {isAlive: dead, query})
    expect(resumed.resumed).to.equal(true)
    expect(resumed.notices[0]).to.match(
      /^Took over the lock on .*replay\.ckpt: its owner \(pid \d+, since .*\) no longer runs\.$/,
    )
    expect(resumed.state.cursor).to.equal('http://org/api/v1/logs?limit=1000')
    expect([...resumed.acked]).to.deep.equal(['a', 'b', 'c', 'x'])
    expect(resumed.state.counts).to.deep.equal({accepted: 2, failed: 1, fetched: 4, rejected: 1, ...NO_EXCLUSIONS})
    resumed.ack(['e'])
    resumed.close()
    expect(existsSync(lockPathFor(path)), 'lock released on close').to.equal(false)
    // A second resume neither loses nor double counts the carried-over acks.
    const again = Checkpoint.open(path, {query})
    expect(again.notices).to.deep.equal([])
    expect([...again.acked].sort()).to.deep.equal(['a', 'b', 'c', 'e', 'x'])
    expect(again.state.counts).to.deep.equal({accepted: 3, failed: 1, fetched: 4, rejected: 1, ...NO_EXCLUSIONS})
    again.close()
  })

  it('advances atomically to the next page (no temp file left), and is done without a next link', () => {
    const path = fresh()
    const checkpoint = Checkpoint.open(path, {query})
    checkpoint.start('u1', {accepted: 0, failed: 0, fetched: 0, rejected: 0, ...NO_EXCLUSIONS})
    checkpoint.ack(['a'])
    checkpoint.advance('u2', {accepted: 1, failed: 0, fetched: 1, rejected: 0, ...NO_EXCLUSIONS})
    expect(readFileSync(path, 'utf8').trim().split('\n')).to.have.length(1)
    expect(readdirSync(join(path, '..')).sort()).to.deep.equal(['replay.ckpt', 'replay.ckpt.lock'])
    checkpoint.advance(undefined, {accepted: 1, failed: 0, fetched: 1, rejected: 0, ...NO_EXCLUSIONS})
    checkpoint.close()
    expect(readdirSync(join(path, '..'))).to.deep.equal(['replay.ckpt'])
    const state = JSON.parse(readFileSync(path, 'utf8').split('\n')[0])
    expect(state).to.deep.include({cursor: 'u2', done: true})
    const done = Checkpoint.open(path, {query})
    expect(done.state.done).to.equal(true)
    done.close()
  })

  it('refuses the checkpoint of another window, and a file that is not a checkpoint, leaving no lock behind', () => {
    const path = fresh()
    Checkpoint.open(path, {query}).close()
    const other = refusal(() =>
      Checkpoint.open(path, {query: {since: '2026-11-22T00:00:00.000Z', until: '2026-11-23T00:00:00.000Z'}}),
    )
    expect(other.exitCode).to.equal(2)
    expect(other.message).to.equal(
      `--checkpoint ${path} belongs to another replay: 2026-11-20T00:00:00.000Z to 2026-11-21T00:00:00.000Z, not ` +
        `2026-11-22T00:00:00.000Z to 2026-11-23T00:00:00.000Z (or the filter, or which events are sent, differs).`,
    )
    expect(existsSync(lockPathFor(path))).to.equal(false)
    const notOurs = fresh()
    appendFileSync(notOurs, 'hello\n')
    expect(refusal(() => Checkpoint.open(notOurs, {query})).message).to.match(/is not an okta-hooks replay checkpoint/)
    expect(existsSync(lockPathFor(notOurs))).to.equal(false)
  })

  it('is held by one run at a time: a second live run is refused naming its pid, with nothing changed', () => {
    const path = fresh()
    // Another process that runs (this one's parent) holds the lock.
    writeFileSync(
      lockPathFor(path),
      JSON.stringify({host: hostname(), pid: process.ppid, started: '2026-12-01T10:00:00.000Z'}),
    )
    const error = refusal(() => Checkpoint.open(path, {query}))
    expect(error.exitCode).to.equal(2)
    expect(error.message).to.contain(
      `The checkpoint ${path} is in use by another okta-hooks process (pid ${process.ppid} on ${hostname()}`,
    )
    expect(existsSync(path), 'no checkpoint written').to.equal(false)
    expect(JSON.parse(readFileSync(lockPathFor(path), 'utf8')).pid).to.equal(process.ppid)
  })

  it('keeps the window as resolved and as typed: the same relative command later resumes it, saying so', () => {
    const path = fresh()
    const given = {since: '24h', until: '1h'}
    const firstRun = {...query, filter: 'eventType eq "user.lifecycle.create"'}
    const first = Checkpoint.open(path, {given, query: firstRun})
    expect(first.window).to.deep.equal({since: query.since, until: query.until})
    first.close()
    // Three hours later, `--since 24h --until 1h` resolves to another window: the checkpoint's is kept.
    const later = {...firstRun, since: '2026-11-20T03:00:00.000Z', until: '2026-11-21T03:00:00.000Z'}
    const resumed = Checkpoint.open(path, {given, query: later})
    expect(resumed.window).to.deep.equal({since: query.since, until: query.until})
    expect(resumed.notices).to.deep.equal([
      `Resuming --checkpoint ${path}: the window 2026-11-20T00:00:00.000Z to ` +
        `2026-11-21T00:00:00.000Z, which --since 24h --until 1h meant at its first run.`,
    ])
    resumed.close()
    // Other words for the window, or another filter, are another replay.
    expect(refusal(() => Checkpoint.open(path, {given: {since: '25h', until: '1h'}, query: later})).message).to.contain(
      'belongs to another replay: 2026-11-20T00:00:00.000Z to 2026-11-21T00:00:00.000Z (--since 24h --until ' +
        '1h), not 2026-11-20T03:00:00.000Z to 2026-11-21T03:00:00.000Z (--since 25h --until 1h)',
    )
    expect(
      refusal(() => Checkpoint.open(path, {given, query: {...later, filter: 'eventType eq "user.lifecycle.activate"'}}))
        .suggestions[0],
    ).to.contain('Resume it with the command that made it (--since 24h --until 1h')
  })

  it('resumes a checkpoint of an older okta-hooks (no window, `delivered` counts, `f` acks) when the window is the same', () => {
    const path = fresh()
    const state = {
      counts: {delivered: 1, failed: 2, fetched: 4},
      cursor: 'u1',
      done: false,
      format: 'okta-hooks-replay-checkpoint/1',
      query: queryFingerprint(query),
      updated: '2026-11-30T00:00:00.000Z',
    }
    writeFileSync(path, JSON.stringify(state) + '\n' + JSON.stringify({a: ['z'], f: 1}) + '\n')
    const resumed = Checkpoint.open(path, {given: {since: query.since!, until: query.until!}, query})
    expect(resumed.resumed).to.equal(true)
    expect(resumed.state.counts).to.deep.equal({accepted: 1, failed: 3, fetched: 4, rejected: 0, ...NO_EXCLUSIONS})
    resumed.close()
  })

  it('keys events by uuid, or by a hash of the event without one', () => {
    expect(eventKey({uuid: 'u-1'})).to.equal('u-1')
    expect(eventKey({a: 1})).to.match(/^sha1:[0-9a-f]{40}$/)
    expect(eventKey({a: 1})).to.equal(eventKey({a: 1}))
  })
})
