/**
 * A V8 code cache for the bundle in dist/ (Node 20 has no module.enableCompileCache). Compiling
 * dist/main.js (oclif and every command, 2 MB) costs ~15 ms of parsing at every start, and the
 * functions a run calls are compiled again each time; with the code V8 made last time, it
 * deserialises instead (~2-3 ms). So bin/run.js installs this before it requires dist/main.js: the
 * files that dist/build.json lists (with the hash of their content, written by the build) are
 * compiled through vm.Script with the cached data of an earlier run, and a run that had none, or
 * whose cache V8 rejected (another V8, other flags), or that ran a command the cache has not seen
 * yet, writes the cache at exit: <cache dir>/v8-<node version>-<arch>/<file>-<hash>-<size>-<mtime>.
 * Anything that goes wrong (no cache folder, a read-only one, a corrupt file) means compiling as
 * Node would, silently; OKTA_HOOKS_NO_COMPILE_CACHE turns it off.
 *
 * A script compiled by vm.Script cannot run import() on Node 20 (it would need
 * --experimental-vm-modules), so the build leaves none in the bundle (esbuild's
 * supported: {'dynamic-import': false}).
 */
import {existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync} from 'node:fs'
import Module, {createRequire} from 'node:module'
import {homedir, tmpdir} from 'node:os'
import {basename, dirname, join, relative, sep} from 'node:path'
import {Script} from 'node:vm'

/** dist/build.json: each cached file (relative to dist/, with /) and the hash of its content. */
export interface BuildHashes {
  files: Record<string, string>
}

export interface CompileCacheOptions {
  /** The build's folder (dist/) with its build.json. */
  root: string
  /** Where the cache files go (created on the first write). */
  dir: string
}

export interface CompileCache {
  /** The cache folder in use. */
  readonly dir: string
  /** The command this run is (oclif's id): a command the cache has not seen yet makes this run write it. */
  noteCommand(id: string): void
  /** Writes what this run should (process exit does it; tests call it). */
  flush(): void
  /** Puts Node's own compile back (tests). */
  disable(): void
}

interface Loaded {
  cacheFile: string
  script: Script
  /** The commands the cache file already holds the code of. */
  seen: string[]
  write: boolean
}

type Compile = (this: Module, content: string, filename: string, ...rest: unknown[]) => unknown

/**
 * The folder oclif's Config.cacheDir names for this CLI (OKTA_HOOKS_CACHE_DIR; on macOS
 * ~/Library/Caches/okta-hooks; else XDG_CACHE_HOME, LOCALAPPDATA on Windows, or ~/.cache), then
 * v8-<node version>-<arch>, so that two versions of Node never overwrite each other's cache.
 */
export function cacheFolder(env: NodeJS.ProcessEnv = process.env, platform: string = process.platform): string {
  const windows = platform === 'win32'
  const home =
    env.HOME ||
    (windows && ((env.HOMEDRIVE && env.HOMEPATH && join(env.HOMEDRIVE, env.HOMEPATH)) || env.USERPROFILE)) ||
    homedir() ||
    tmpdir()
  const base =
    env.OKTA_HOOKS_CACHE_DIR ||
    (platform === 'darwin'
      ? join(home, 'Library', 'Caches', 'okta-hooks')
      : join(env.XDG_CACHE_HOME || (windows && env.LOCALAPPDATA) || join(home, '.cache'), 'okta-hooks'))
  return join(base, `v8-${process.version}-${process.arch}`)
}

/**
 * Compiles the files of options.root that its build.json lists with a V8 code cache from
 * options.dir. Undefined (Node compiles as always) when turned off or when there is no build.json.
 */
export function enableCompileCache(options: CompileCacheOptions): CompileCache | undefined {
  if (process.env.OKTA_HOOKS_NO_COMPILE_CACHE) return undefined
  let hashes: BuildHashes
  try {
    hashes = JSON.parse(readFileSync(join(options.root, 'build.json'), 'utf8'))
  } catch {
    return undefined
  }

  const loaded: Loaded[] = []
  let command: string | undefined
  const prototype = Module.prototype as unknown as {_compile: Compile}
  const nodeCompile = prototype._compile
  prototype._compile = function (content, filename, ...rest) {
    const name = relative(options.root, filename).split(sep).join('/')
    const hash = hashes.files[name]
    // rest: Node >= 20.19 passes a format, 'module' for an ES module that require() loads.
    if (!hash || rest[0] === 'module') return nodeCompile.call(this, content, filename, ...rest)
    const stat = statSync(filename)
    const cacheFile = join(options.dir, `${name.replaceAll('/', '.')}-${hash}-${stat.size}-${Math.trunc(stat.mtimeMs)}`)
    const cached = readCache(cacheFile)
    let script: Script
    try {
      script = new Script(Module.wrap(content), {cachedData: cached?.data, filename})
    } catch {
      return nodeCompile.call(this, content, filename, ...rest) // a syntax error: Node's own message
    }

    const rejected = !cached || script.cachedDataRejected === true
    loaded.push({cacheFile, script, seen: rejected ? [] : cached.seen, write: rejected})
    const run = script.runInThisContext({displayErrors: true})
    return run.call(this.exports, this.exports, createRequire(filename), this, filename, dirname(filename))
  }

  const flush = () => {
    for (const entry of loaded) {
      const seen = command && !entry.seen.includes(command) ? [...entry.seen, command] : entry.seen
      if (!entry.write && seen === entry.seen) continue
      writeCache(entry.cacheFile, entry.script.createCachedData(), seen)
      entry.write = false
      entry.seen = seen
    }
  }

  const onExit = () => flush()
  process.once('exit', onExit)
  return {
    dir: options.dir,
    disable() {
      prototype._compile = nodeCompile
      process.off('exit', onExit)
    },
    flush,
    noteCommand(id) {
      command = id
    },
  }
}

/**
 * A cache file: a line of JSON (the commands whose code it holds) then V8's data. Undefined when
 * there is none or it cannot be read.
 */
function readCache(file: string): undefined | {data: Buffer; seen: string[]} {
  let bytes: Buffer
  try {
    bytes = readFileSync(file)
  } catch {
    return undefined
  }

  const newline = bytes.indexOf(10)
  try {
    const seen = JSON.parse(bytes.subarray(0, newline).toString('utf8'))
    return Array.isArray(seen) ? {data: bytes.subarray(newline + 1), seen} : undefined
  } catch {
    return undefined
  }
}

/** Writes a cache file whole or not at all (a rename), and removes that file's caches of other builds. */
function writeCache(file: string, data: Buffer, seen: string[]): void {
  const partial = `${file}.${process.pid}.tmp`
  try {
    mkdirSync(dirname(file), {recursive: true})
    writeFileSync(partial, Buffer.concat([Buffer.from(JSON.stringify(seen) + '\n'), data]))
    renameSync(partial, file)
    const prefix = basename(file).replace(/-[^-]+-\d+-\d+$/, '-')
    for (const other of readdirSync(dirname(file)))
      if (other.startsWith(prefix) && other !== basename(file) && !other.endsWith('.tmp'))
        rmSync(join(dirname(file), other), {force: true})
  } catch {
    if (existsSync(partial)) rmSync(partial, {force: true})
  }
}
