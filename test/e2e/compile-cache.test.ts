/**
 * The built CLI with its V8 code cache (src/compile-cache.ts): the cache is written to the user's
 * cache folder, used by the next run, and nothing that can go wrong with it (a corrupt file, a
 * folder that cannot be made, turned off) changes what a command prints or its exit.
 */
import {expect} from 'chai'
import {existsSync, readdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {assertBuilt, runCli, Workspace} from './helpers/cli.js'

describe('e2e: the compile cache', () => {
  let ws: Workspace
  let expected: string
  const folder = () =>
    join(ws.home, '.cache', 'okta-hooks', `node-${process.version}-v8-${process.versions.v8}-${process.arch}`)
  const run = async (extra = {}) => {
    const result = await runCli(['event-types', 'user.lifecycle'], {env: ws.env(extra)})
    expect(result.code, result.stderr).to.equal(0)
    expect(result.stderr).to.not.match(/Error|Warning/)
    return result.stdout
  }

  before(async () => {
    assertBuilt()
    ws = new Workspace('compile-cache')
    expected = (await runCli(['event-types', 'user.lifecycle'], {env: ws.env({OKTA_HOOKS_NO_COMPILE_CACHE: '1'})}))
      .stdout
    expect(expected).to.contain('user.lifecycle.create')
  })

  after(() => ws.remove())

  it('is written under XDG_CACHE_HOME by a run, used by the next, and holds the commands it has seen', async () => {
    expect(await run()).to.equal(expected)
    const files = readdirSync(folder())
    expect(files.some((name) => /^main\.js-[\da-f]{32}$/.test(name))).to.equal(true)
    expect(await run()).to.equal(expected)
    const main = files.find((name) => name.startsWith('main.js-'))!
    const header = readFileSync(join(folder(), main)).toString('latin1').split('\n')[0]
    expect(JSON.parse(header).seen).to.deep.equal(['event-types'])
  })

  it('a corrupt cache file is not used (V8 would crash on it) and is written again', async () => {
    await run()
    const main = join(
      folder(),
      readdirSync(folder()).find((name) => name.startsWith('main.js-'))!,
    )
    const bytes = readFileSync(main)
    for (let i = bytes.indexOf(10) + 64; i < bytes.length; i += 101) bytes[i] ^= 0x5a
    writeFileSync(main, bytes)
    expect(await run()).to.equal(expected)
    expect(readFileSync(main).equals(bytes)).to.equal(false)
    expect(await run()).to.equal(expected)
  })

  it('runs as without it where no cache folder can be made, and writes nothing when turned off', async () => {
    writeFileSync(ws.path('a-file'), '')
    expect(await run({OKTA_HOOKS_CACHE_DIR: join(ws.path('a-file'), 'cache')})).to.equal(expected)
    const off = ws.path('off')
    expect(await run({OKTA_HOOKS_NO_COMPILE_CACHE: '1', XDG_CACHE_HOME: off})).to.equal(expected)
    expect(existsSync(off)).to.equal(false)
  })
})
