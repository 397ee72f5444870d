/**
 * A V8 code cache for the bundle in dist/ (Node 20 has no module.enableCompileCache). Compiling
 * dist/main.js (oclif and every command, 2 MB) costs ~15 ms of parsing at every start, and the
 * functions a run calls are compiled again each time; with the code V8 made last time, it
 * deserialises instead (~2-3 ms). So bin/run.js installs this before it requires dist/main.js.
 *
 * What is cached: the files of dist/ whose last line is the build's key (`// okta-hooks-cache <hash>`,
 * the hash of the rest of the file, written by scripts/build.mjs), so the key always comes from the
 * very text V8 compiles, even while an upgrade replaces files. A cache file is
 * <cache dir>/node-<node version>-v8-<V8 version>-<arch>/<file>-<key>: a line of JSON (format, the
 * commands whose code it holds, the CRC-32 and length of V8's data) then V8's data. V8 trusts its code cache (a
 * corrupt one, or one made from other text of the same length, crashes Node), so the data is used
 * only when its checksum matches, from a folder the user owns that nobody else may write to.
 * Nothing of a run's data is stored: V8's data holds the bundle's code only.
 *
 * A run that had no cache, or whose cache V8 rejected (other flags), or that ran a command the cache
 * has not seen yet, writes it at exit, whole or not at all (a rename). Anything that goes wrong (no
 * home, a read-only folder, a corrupt file) means compiling as Node would, silently;
 * OKTA_HOOKS_NO_COMPILE_CACHE=1 turns it off, OKTA_HOOKS_CACHE_DIR moves it.
 *
 * A script compiled by vm.Script cannot run import() on Node 20 (it would need
 * --experimental-vm-modules), so the build leaves none in the bundle (esbuild's
 * supported: {'dynamic-import': false}).
 */
import {
  closeSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  type Stats,
  statSync,
  writeSync,
} from 'node:fs'
import Module, {createRequire} from 'node:module'
import {homedir} from 'node:os'
import {dirname, isAbsolute, join, relative, sep} from 'node:path'
import {Script} from 'node:vm'
import {crc32} from 'node:zlib'

export interface CompileCacheOptions {
  /** The build's folder (dist/): only its files that end with a key are cached. */
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

/** A cache file as read: what V8 gets, and the commands it holds the code of. */
export interface CacheEntry {
  data: Buffer
  seen: string[]
}

interface Loaded {
  cacheFile: string
  script: Script
  /** The commands the cache file already holds the code of. */
  seen: string[]
  write: boolean
}

type Compile = (this: Module, content: string, filename: string, ...rest: unknown[]) => unknown

/** The last line of a file the build made cacheable: its key (the hash of the rest of the file). */
export const KEY_LINE = /\n\/\/ okta-hooks-cache ([\da-f]{16,64})\n?$/
const FORMAT = 1
/** How many builds of one file keep their cache (two installs of different versions need not take turns). */
const KEEP = 3
/** A partial write older than this is left from a process that died: removed. */
const STALE_PARTIAL_MS = 10 * 60 * 1000

/**
 * The folder oclif's Config.cacheDir names for this CLI (OKTA_HOOKS_CACHE_DIR; on macOS
 * ~/Library/Caches/okta-hooks; else XDG_CACHE_HOME when absolute, LOCALAPPDATA on Windows, or
 * ~/.cache), then one folder per Node, V8 and architecture, so that a newer Node never reads an
 * older one's cache. Undefined (no cache) when there is no home to put it in.
 */
export function cacheFolder(
  env: NodeJS.ProcessEnv = process.env,
  platform: string = process.platform,
  home: () => string = homedir,
): string | undefined {
  const folder = env.OKTA_HOOKS_CACHE_DIR || userCacheFolder(env, platform, home)
  return folder && join(folder, `node-${process.version}-v8-${process.versions.v8}-${process.arch}`)
}

function userCacheFolder(env: NodeJS.ProcessEnv, platform: string, home: () => string): string | undefined {
  const windows = platform === 'win32'
  const user = () =>
    env.HOME ||
    (windows && ((env.HOMEDRIVE && env.HOMEPATH && join(env.HOMEDRIVE, env.HOMEPATH)) || env.USERPROFILE)) ||
    safely(home)
  if (platform === 'darwin') {
    const macHome = user()
    return macHome && join(macHome, 'Library', 'Caches', 'okta-hooks')
  }

  const xdg = env.XDG_CACHE_HOME && isAbsolute(env.XDG_CACHE_HOME) ? env.XDG_CACHE_HOME : undefined
  const base = xdg || (windows && env.LOCALAPPDATA)
  if (base) return join(base, 'okta-hooks')
  const userHome = user()
  return userHome && join(userHome, '.cache', 'okta-hooks')
}

function safely(home: () => string): string | undefined {
  try {
    return home() || undefined
  } catch {
    return undefined // no HOME and no user in the password database
  }
}

/** Whether a folder (or file) is the user's own and nobody else may write to it (always so on Windows). */
export function ownedByUser(
  stats: Pick<Stats, 'mode' | 'uid'>,
  uid: null | number = process.getuid?.() ?? null,
): boolean {
  return uid === null || (stats.uid === uid && (stats.mode & 0o022) === 0)
}

/**
 * Compiles the files of options.root that end with a key with a V8 code cache from options.dir.
 * Undefined (Node compiles as always) when turned off, or when the folder is someone else's.
 */
export function enableCompileCache(options: CompileCacheOptions): CompileCache | undefined {
  if (['1', 'true'].includes(process.env.OKTA_HOOKS_NO_COMPILE_CACHE ?? '')) return undefined
  let folder: Stats | undefined
  try {
    folder = statSync(options.dir)
  } catch {
    folder = undefined // none yet: the first write makes it
  }

  if (folder && !ownedByUser(folder)) return undefined
  const loaded: Loaded[] = []
  let command: string | undefined
  const prototype = Module.prototype as unknown as {_compile: Compile}
  const nodeCompile = prototype._compile
  prototype._compile = function (content, filename, ...rest) {
    const name = relative(options.root, filename).split(sep).join('/')
    const key = KEY_LINE.exec(content.slice(-80))?.[1]
    // rest: Node >= 20.19 passes a format, 'module' for an ES module that require() loads.
    if (!key || name.startsWith('..') || rest[0] === 'module' || rest[0] === true)
      return nodeCompile.call(this, content, filename, ...rest)
    const cacheFile = join(options.dir, `${name.replaceAll('/', '.')}-${key}`)
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
      writeCache(entry.cacheFile, () => entry.script.createCachedData(), seen)
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
 * What a cache file's header says of V8's data: its CRC-32 and length (zlib's, which Node >= 20.15 has: a third of
 * what loading node:crypto for a SHA-256 would cost the commands that do not otherwise load it).
 */
const checksum = (data: Buffer) => `${crc32(data).toString(16)}-${data.length}`

/**
 * A cache file: undefined when there is none, or it is not whole (its checksum), or not the user's
 * own: V8 would crash on a corrupt one rather than reject it.
 */
export function readCache(file: string): CacheEntry | undefined {
  let bytes: Buffer
  try {
    bytes = readFileSync(file)
    if (!ownedByUser(statSync(file))) return undefined
  } catch {
    return undefined
  }

  const newline = bytes.indexOf(10)
  if (newline < 0) return undefined
  let header: {checksum?: unknown; format?: unknown; seen?: unknown}
  try {
    header = JSON.parse(bytes.subarray(0, newline).toString('utf8'))
  } catch {
    return undefined
  }

  const data = bytes.subarray(newline + 1)
  const {format, seen} = header
  if (format !== FORMAT || !Array.isArray(seen) || header.checksum !== checksum(data)) return undefined
  return {data, seen: seen.filter((id): id is string => typeof id === 'string')}
}

/**
 * Writes a cache file whole or not at all (a rename), in a folder only the user can read, then
 * removes that file's caches of older builds (all but the newest few). V8's data is made only once
 * the folder is known to be writable: a read-only cache costs a run nothing.
 */
export function writeCache(file: string, data: () => Buffer, seen: string[]): void {
  const folder = dirname(file)
  const partial = `${file}.${process.pid}.tmp`
  let fd: number | undefined
  try {
    mkdirSync(folder, {mode: 0o700, recursive: true})
    fd = openSync(partial, 'w', 0o600)
    const bytes = data()
    writeSync(fd, JSON.stringify({checksum: checksum(bytes), format: FORMAT, seen}) + '\n')
    writeSync(fd, bytes)
    closeSync(fd)
    fd = undefined
    renameSync(partial, file)
    prune(file)
  } catch {
    try {
      if (fd !== undefined) closeSync(fd)
      rmSync(partial, {force: true})
    } catch {
      // nothing was written
    }
  }
}

/** Keeps the newest KEEP caches of a file (by the time they were written); old partial writes go too. */
function prune(file: string): void {
  const folder = dirname(file)
  const prefix = file.slice(folder.length + 1).replace(/-[\da-f]+$/, '-')
  const now = Date.now()
  const others = readdirSync(folder)
    .filter((name) => name.startsWith(prefix))
    .map((name) => ({name, stats: statSync(join(folder, name))}))
  const builds = others.filter(({name}) => !name.endsWith('.tmp'))
  builds.sort((a, b) => b.stats.mtimeMs - a.stats.mtimeMs)
  const stale = others.filter(({name, stats}) => name.endsWith('.tmp') && now - stats.mtimeMs > STALE_PARTIAL_MS)
  for (const {name} of [...builds.slice(KEEP), ...stale])
    if (join(folder, name) !== file) rmSync(join(folder, name), {force: true})
}
