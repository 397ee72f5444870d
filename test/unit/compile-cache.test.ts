/**
 * The V8 code cache bin/run.js compiles dist/ with: where it lives, that it is used only when whole and
 * the user's own, that nothing going wrong (no home, an unwritable folder, a corrupt or foreign file)
 * stops a module from loading, and which files it writes. Modules are compiled through Module's
 * _compile (what require does) on fixture files in a temporary "dist/", each with unique text so that
 * V8's in-memory cache of this process never stands in for the file's cache.
 */
import {expect} from 'chai'
import {createHash, randomUUID} from 'node:crypto'
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs'
import Module from 'node:module'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {crc32} from 'node:zlib'

import {
  cacheFolder,
  type CompileCache,
  enableCompileCache,
  ownedByUser,
  readCache,
  writeCache,
} from '../../src/compile-cache.js'

/** A file as the build leaves it: its text, then the key line (the hash of that text). */
function buildFile(path: string, text: string): string {
  const key = createHash('sha256').update(text).digest('hex').slice(0, 32)
  writeFileSync(path, `${text}// okta-hooks-cache ${key}\n`)
  return key
}

/** What require() does with a file's text: Module's _compile, which the cache replaces. */
function load(path: string): unknown {
  const module = new Module(path)
  module.filename = path
  ;(module as unknown as {_compile(content: string, filename: string): void})._compile(readFileSync(path, 'utf8'), path)
  return module.exports
}

const unique = () => `module.exports = {value: 42, id: ${JSON.stringify(randomUUID())}}\n`

describe('compile cache (src/compile-cache.ts)', () => {
  let work: string
  let root: string
  let dir: string
  let cache: CompileCache | undefined
  const saved = process.env.OKTA_HOOKS_NO_COMPILE_CACHE

  beforeEach(() => {
    work = mkdtempSync(join(tmpdir(), 'okta-hooks-compile-cache-'))
    root = join(work, 'dist')
    dir = join(work, 'cache', 'node-x')
    mkdirSync(join(root, 'vendor'), {recursive: true})
    delete process.env.OKTA_HOOKS_NO_COMPILE_CACHE
  })

  afterEach(() => {
    cache?.disable()
    cache = undefined
    if (saved === undefined) delete process.env.OKTA_HOOKS_NO_COMPILE_CACHE
    else process.env.OKTA_HOOKS_NO_COMPILE_CACHE = saved
    rmSync(work, {force: true, recursive: true})
  })

  const enable = (): CompileCache => {
    cache?.disable()
    cache = enableCompileCache({dir, root})
    if (!cache) throw new Error('the compile cache did not start')
    return cache
  }

  describe('cacheFolder', () => {
    const leaf = `node-${process.version}-v8-${process.versions.v8}-${process.arch}`
    const noHome = () => {
      throw new Error('no home')
    }

    it('is one folder per Node, V8 and architecture, under OKTA_HOOKS_CACHE_DIR when set', () => {
      expect(cacheFolder({HOME: '/home/ann', OKTA_HOOKS_CACHE_DIR: '/var/c'}, 'linux')).to.equal(join('/var/c', leaf))
    })

    it('is under XDG_CACHE_HOME when it is absolute, else ~/.cache', () => {
      expect(cacheFolder({HOME: '/home/ann', XDG_CACHE_HOME: '/x'}, 'linux')).to.equal(join('/x/okta-hooks', leaf))
      expect(cacheFolder({HOME: '/home/ann', XDG_CACHE_HOME: 'rel'}, 'linux')).to.equal(
        join('/home/ann/.cache/okta-hooks', leaf),
      )
    })

    it("is where oclif keeps a CLI's cache on macOS and Windows", () => {
      expect(cacheFolder({HOME: '/Users/ann'}, 'darwin')).to.equal(join('/Users/ann/Library/Caches/okta-hooks', leaf))
      expect(cacheFolder({LOCALAPPDATA: 'C:/Users/ann/AppData/Local'}, 'win32')).to.equal(
        join('C:/Users/ann/AppData/Local/okta-hooks', leaf),
      )
      expect(cacheFolder({HOMEDRIVE: 'C:', HOMEPATH: '/Users/ann'}, 'win32', noHome)).to.equal(
        join('C:/Users/ann/.cache/okta-hooks', leaf),
      )
      expect(cacheFolder({USERPROFILE: 'D:/ann'}, 'win32', noHome)).to.equal(join('D:/ann/.cache/okta-hooks', leaf))
    })

    it("falls back to the user's home from the system, and is none at all without one (never a shared folder)", () => {
      expect(cacheFolder({}, 'linux', () => '/home/bob')).to.equal(join('/home/bob/.cache/okta-hooks', leaf))
      expect(cacheFolder({}, 'linux', noHome)).to.equal(undefined)
      expect(cacheFolder({}, 'darwin', () => '')).to.equal(undefined)
    })
  })

  describe('ownedByUser', () => {
    it("accepts only the user's own files that nobody else may write to", () => {
      expect(ownedByUser({mode: 0o40700, uid: 501}, 501)).to.equal(true)
      expect(ownedByUser({mode: 0o40755, uid: 501}, 501)).to.equal(true)
      expect(ownedByUser({mode: 0o40700, uid: 0}, 501)).to.equal(false)
      expect(ownedByUser({mode: 0o40775, uid: 501}, 501)).to.equal(false)
      expect(ownedByUser({mode: 0o40777, uid: 501}, 501)).to.equal(false)
      expect(ownedByUser({mode: 0o40777, uid: 0}, null)).to.equal(true) // Windows: no uid
    })
  })

  describe('enableCompileCache', () => {
    it('compiles a keyed file of dist/ and writes its cache at flush, in a folder only the user can read', () => {
      const file = join(root, 'main.js')
      const key = buildFile(file, unique())
      enable()
      expect(load(file)).to.include({value: 42})
      expect(existsSync(dir)).to.equal(false) // nothing written before the run ends
      cache!.flush()
      const cacheFile = join(dir, `main.js-${key}`)
      expect(readdirSync(dir)).to.deep.equal([`main.js-${key}`])
      const entry = readCache(cacheFile)
      expect(entry?.seen).to.deep.equal([])
      expect(entry?.data.length).to.be.greaterThan(0)
      if (process.platform !== 'win32') {
        expect(statSync(dir).mode & 0o777).to.equal(0o700)
        expect(statSync(cacheFile).mode & 0o777).to.equal(0o600)
      }
    })

    it('names a file of a subfolder with dots, and writes again only for a command it has not seen', () => {
      const file = join(root, 'vendor', 'yaml.cjs')
      const key = buildFile(file, unique())
      const cacheFile = join(dir, `vendor.yaml.cjs-${key}`)
      enable().noteCommand('list')
      load(file)
      cache!.flush()
      expect(readCache(cacheFile)?.seen).to.deep.equal(['list'])

      enable().noteCommand('list')
      load(file)
      rmSync(cacheFile)
      cache!.flush()
      expect(existsSync(cacheFile)).to.equal(false) // a cache that had it: nothing to write

      writeCacheOf(file, cacheFile, ['list'])
      enable().noteCommand('get')
      load(file)
      cache!.flush()
      expect(readCache(cacheFile)?.seen).to.deep.equal(['list', 'get'])
      cache!.flush()
      expect(readCache(cacheFile)?.seen).to.deep.equal(['list', 'get'])
    })

    /** A valid cache file for `file` made by a run of its own. */
    function writeCacheOf(file: string, cacheFile: string, seen: string[]) {
      enable()
      for (const id of seen) cache!.noteCommand(id)
      load(file)
      rmSync(cacheFile, {force: true})
      cache!.flush()
      expect(readCache(cacheFile)?.seen).to.deep.equal(seen)
    }

    it('leaves files without a key, and files outside dist/, to Node', () => {
      const plain = join(root, 'commands.js')
      writeFileSync(plain, unique())
      const outside = join(work, 'elsewhere.js')
      buildFile(outside, unique())
      enable()
      expect(load(plain)).to.include({value: 42})
      expect(load(outside)).to.include({value: 42})
      cache!.flush()
      expect(existsSync(dir)).to.equal(false)
    })

    it("gives a file with a syntax error Node's own error", () => {
      const file = join(root, 'main.js')
      buildFile(file, 'module.exports = {\n')
      enable()
      expect(() => load(file)).to.throw(SyntaxError)
    })

    it('leaves an ES module that require() loads to Node (the format Node >= 20.19 passes)', () => {
      const file = join(root, 'main.js')
      buildFile(file, unique())
      enable()
      const module = new Module(file)
      let passed: unknown[] = []
      const node = Module.prototype as unknown as {_compile(...args: unknown[]): unknown}
      cache!.disable()
      const original = node._compile
      node._compile = function (...args: unknown[]) {
        passed = args
        return undefined
      }

      try {
        cache = enableCompileCache({dir, root})
        node._compile.call(module, readFileSync(file, 'utf8'), file, 'module')
      } finally {
        cache?.disable()
        cache = undefined
        node._compile = original
      }

      expect(passed[2]).to.equal('module')
      expect(existsSync(dir)).to.equal(false)
    })

    it('is off with OKTA_HOOKS_NO_COMPILE_CACHE=1', () => {
      process.env.OKTA_HOOKS_NO_COMPILE_CACHE = '1'
      expect(enableCompileCache({dir, root})).to.equal(undefined)
    })

    it('is off when the cache folder is not the user’s own or others may write to it', function () {
      if (process.platform === 'win32') this.skip()
      mkdirSync(dir, {recursive: true})
      chmodSync(dir, 0o777)
      expect(enableCompileCache({dir, root})).to.equal(undefined)
      chmodSync(dir, 0o700)
      expect(enable()).to.not.equal(undefined)
    })

    it('puts Node’s own compile back and stops writing at exit when disabled', () => {
      const node = Module.prototype as unknown as {_compile: unknown}
      const original = node._compile
      const exits = process.listenerCount('exit')
      enable()
      expect(node._compile).to.not.equal(original)
      expect(process.listenerCount('exit')).to.equal(exits + 1)
      cache!.disable()
      cache = undefined
      expect(node._compile).to.equal(original)
      expect(process.listenerCount('exit')).to.equal(exits)
    })
  })

  describe('a cache file that is not whole', () => {
    let file: string
    let cacheFile: string

    beforeEach(() => {
      file = join(root, 'main.js')
      cacheFile = join(dir, `main.js-${buildFile(file, unique())}`)
      enable()
      load(file)
      cache!.flush()
    })

    const corrupt = (change: (bytes: Buffer) => Buffer) => writeFileSync(cacheFile, change(readFileSync(cacheFile)))

    it('is not used when a byte of V8’s data changed (V8 would crash on it): the module loads, the cache is rewritten', () => {
      corrupt((bytes) => {
        const copy = Buffer.from(bytes)
        copy[copy.length - 10] ^= 0xff
        return copy
      })
      const corrupted = readFileSync(cacheFile)
      expect(readCache(cacheFile)).to.equal(undefined)
      enable()
      expect(load(file)).to.include({value: 42})
      cache!.flush()
      // rewritten whole and valid (V8's data need not be byte for byte the first one: its size
      // depends on what V8 had compiled by then)
      expect(readCache(cacheFile)).to.not.equal(undefined)
      expect(readFileSync(cacheFile).equals(corrupted)).to.equal(false)
    })

    it('is not used when cut short, without its header, with another format or an unreadable header', () => {
      const good = readFileSync(cacheFile)
      const header = good.subarray(0, good.indexOf(10)).toString()
      for (const bytes of [
        good.subarray(0, good.length - 100),
        good.subarray(0, 20),
        Buffer.from(''),
        Buffer.concat([Buffer.from(header.replace('"format":1', '"format":2')), good.subarray(header.length)]),
        Buffer.concat([Buffer.from('{"format":1,"seen":'), good.subarray(header.length)]),
        Buffer.concat([
          Buffer.from(header.replace(/"seen":\[[^\]]*\]/, '"seen":"list"')),
          good.subarray(header.length),
        ]),
      ]) {
        writeFileSync(cacheFile, bytes)
        expect(readCache(cacheFile)).to.equal(undefined)
      }

      expect(readCache(join(dir, 'missing'))).to.equal(undefined)
    })

    it('is not used when someone else may have written it', function () {
      if (process.platform === 'win32') this.skip()
      chmodSync(cacheFile, 0o666)
      expect(readCache(cacheFile)).to.equal(undefined)
    })

    it('is rewritten when V8 rejects its data (another V8 or other flags)', () => {
      const other = join(root, 'vendor', 'prompts.cjs')
      const target = join(dir, `vendor.prompts.cjs-${buildFile(other, unique())}`)
      const data = Buffer.from('not V8 code cache data at all '.repeat(20))
      const checksum = `${crc32(data).toString(16)}-${data.length}`
      writeFileSync(
        target,
        Buffer.concat([Buffer.from(JSON.stringify({checksum, format: 1, seen: ['x']}) + '\n'), data]),
      )
      expect(readCache(target)?.seen).to.deep.equal(['x'])
      enable()
      expect(load(other)).to.include({value: 42})
      cache!.flush()
      expect(readCache(target)?.seen).to.deep.equal([])
      expect(readCache(target)?.data.equals(data)).to.equal(false)
    })
  })

  describe('writeCache', () => {
    it('costs nothing and writes nothing where the folder cannot be made (V8’s data is never made)', () => {
      const blocker = join(work, 'a-file')
      writeFileSync(blocker, '')
      let made = 0
      writeCache(join(blocker, 'node-x', 'main.js-abc'), () => (made++, Buffer.from('data')), [])
      expect(made).to.equal(0)
      expect(readdirSync(work).sort()).to.deep.equal(['a-file', 'dist'])
    })

    it('leaves no partial file when writing fails', () => {
      mkdirSync(dir, {recursive: true})
      const file = join(dir, 'main.js-abc')
      writeCache(file, () => {
        throw new Error('V8 could not serialise')
      }, [])
      expect(readdirSync(dir)).to.deep.equal([])
    })

    it('replaces a file whole, over a partial file this process left before (two writers never mix)', () => {
      mkdirSync(dir, {recursive: true})
      const file = join(dir, 'main.js-abc')
      writeFileSync(`${file}.${process.pid}.tmp`, 'left over')
      writeFileSync(`${file}.999999.tmp`, 'another writer, still writing')
      writeCache(file, () => Buffer.from('one'), ['a'])
      writeCache(file, () => Buffer.from('two'), ['b'])
      expect(readCache(file)).to.deep.equal({data: Buffer.from('two'), seen: ['b']})
      expect(readdirSync(dir).sort()).to.deep.equal(['main.js-abc', 'main.js-abc.999999.tmp'])
    })

    it("keeps the newest three builds' caches of a file (two installs need not take turns), and drops dead partials", () => {
      mkdirSync(dir, {recursive: true})
      const old = (name: string, minutes: number) => {
        writeFileSync(join(dir, name), 'x')
        const when = new Date(Date.now() - minutes * 60_000)
        utimesSync(join(dir, name), when, when)
      }

      old('main.js-0001', 40)
      old('main.js-0002', 30)
      old('main.js-0003', 20)
      old('main.js-0004', 10)
      old('main.js-0004.123.tmp', 60)
      old('vendor.yaml.cjs-0001', 90)
      writeCache(join(dir, 'main.js-0005'), () => Buffer.from('new'), [])
      expect(readdirSync(dir).sort()).to.deep.equal([
        'main.js-0003',
        'main.js-0004',
        'main.js-0005',
        'vendor.yaml.cjs-0001',
      ])
    })
  })
})
