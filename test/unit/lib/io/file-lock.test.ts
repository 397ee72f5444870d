import {expect} from 'chai'
import {existsSync, mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {hostname, tmpdir} from 'node:os'
import {join} from 'node:path'

import {CliError} from '../../../../src/lib/errors.js'
import {acquireFileLock, lockPathFor, takeoverNotice} from '../../../../src/lib/io/file-lock.js'

const fresh = () => join(mkdtempSync(join(tmpdir(), 'okta-hooks-lock-')), 'state.json')

describe('io/file-lock', () => {
  it('creates <path>.lock with this pid, refuses a second holder naming the pid, and frees it on release', () => {
    const path = fresh()
    const lock = acquireFileLock(path, {what: 'checkpoint'})
    expect(JSON.parse(readFileSync(lockPathFor(path), 'utf8'))).to.include({host: hostname(), pid: process.pid})
    let refused: unknown
    try {
      acquireFileLock(path, {what: 'checkpoint'})
    } catch (error) {
      refused = error
    }

    expect(refused).to.be.instanceOf(CliError)
    expect((refused as CliError).exitCode).to.equal(2)
    expect((refused as CliError).message)
      .to.contain(`pid ${process.pid}`)
      .and.contain('checkpoint')
    lock.release()
    expect(existsSync(lockPathFor(path))).to.equal(false)
    const again = acquireFileLock(path, {what: 'checkpoint'})
    expect(again.tookOverFrom).to.equal(undefined)
    again.release()
  })

  it('takes over a lock whose owner no longer runs, and says whose it was', () => {
    const path = fresh()
    writeFileSync(
      lockPathFor(path),
      JSON.stringify({host: hostname(), pid: 999_999, started: '2026-11-30T10:00:00.000Z'}),
    )
    const lock = acquireFileLock(path, {isAlive: (pid) => pid !== 999_999, what: '--data file'})
    expect(lock.tookOverFrom?.pid).to.equal(999_999)
    expect(takeoverNotice(lock, path)).to.contain('pid 999999').and.contain('no longer runs')
    expect(JSON.parse(readFileSync(lockPathFor(path), 'utf8')).pid).to.equal(process.pid)
    lock.release()
  })

  it('treats a torn lock file as stale, and a lock held from another host as live', () => {
    const torn = fresh()
    writeFileSync(lockPathFor(torn), '{"pid": 12')
    const lock = acquireFileLock(torn, {what: '--record file'})
    expect(lock.tookOverFrom).to.not.equal(undefined)
    lock.release()

    const remote = fresh()
    writeFileSync(lockPathFor(remote), JSON.stringify({host: 'elsewhere.example', pid: 1, started: 'x'}))
    expect(() => acquireFileLock(remote, {isAlive: () => false, what: '--record file'})).to.throw(
      CliError,
      /elsewhere\.example/,
    )
  })

  it('does not remove a lock that another process has since taken', () => {
    const path = fresh()
    const lock = acquireFileLock(path, {what: 'checkpoint'})
    writeFileSync(lockPathFor(path), JSON.stringify({host: hostname(), pid: 424_242, started: 'x'}))
    lock.release()
    expect(existsSync(lockPathFor(path))).to.equal(true)
  })
})
