/**
 * Entry of bin/run.js (from dist/): oclif, from the same bundle chunk the commands use, started
 * from a Config the build resolved. oclif's own start looks for plugins (package.json files up the
 * tree, node_modules), reads their manifests and sorts every command id with localeCompare, which
 * is most of its start-up; okta-hooks is one plugin whose manifest the build wrote (commands in
 * oclif's order, version checked), so it is read once and nothing is looked for.
 */
import {Command, Config, flush, handle, Plugin, run, settings} from '@oclif/core'
import {existsSync, readFileSync} from 'node:fs'
import {join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'

import {errorDocument, errorText, toCliError} from './cli/base-command.js'
import type {CompileCache} from './compile-cache.js'
import {redactKnownSecrets} from './lib/secrets/registry.js'

interface Manifest {
  commands: Record<string, Record<string, unknown>>
  version: string
}

/**
 * dist/commands.json, written by the build: oclif.manifest.json without the keys of each command that
 * only help, completion and suggestions read (`details`: its flags and examples, four fifths of its
 * size), which are read from the manifest when first asked for. A run parses ~25 KB, not 156 KB,
 * and its heap holds ~0.3 MB less (a garbage collection less for some commands).
 */
interface CommandIndex extends Manifest {
  details: string[]
}

/**
 * The Config oclif would load for the package at `root`, without discovery: its package.json and
 * oclif.manifest.json (through dist/commands.json) as the one (root) plugin. A manifest of another
 * version (a stale build) gets oclif's own loading, which then ignores it as oclif always does.
 */
export async function bundledConfig(root: string, onCommand?: (id: string) => void): Promise<Config> {
  // dist/ is JavaScript: never look for tsconfig.json or a TypeScript loader.
  settings.enableAutoTranspile = false
  const pjson = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))
  let index: CommandIndex | undefined
  try {
    index = JSON.parse(readFileSync(join(root, 'dist', 'commands.json'), 'utf8'))
  } catch {}

  if (!index || index.version !== pjson.version) return Config.load(root)
  const config = new BundledConfig({pjson, plugins: new Map([[pjson.name, rootPlugin(root, pjson, index)]]), root})
  config.onCommand = onCommand
  await config.load()
  return config
}

class BundledConfig extends Config {
  /** Told which command runs (bin/run.js's compile cache keeps the code of each command it has seen). */
  onCommand?: (id: string) => void

  override async runCommand<T = unknown>(
    id: string,
    argv: string[] = [],
    cached: Command.Loadable | null = null,
  ): Promise<T> {
    if (this.onCommand && this.findCommand(id)) this.onCommand(id)
    return super.runCommand<T>(id, argv, cached)
  }

  /**
   * oclif looks for the user's theme.json (~/.config/okta-hooks) with an asynchronous read even when
   * there is none, which costs ~5 ms at every start (the first such read starts libuv's thread pool).
   */
  override async loadTheme(): ReturnType<Config['loadTheme']> {
    if (!this.pjson.oclif.theme && !existsSync(resolve(this.configDir, 'theme.json'))) return undefined
    return super.loadTheme()
  }
}

/** oclif's Plugin as its load() would leave it for this package, from the manifest alone. */
function rootPlugin(root: string, pjson: any, manifest: CommandIndex): Plugin {
  const plugin = new Plugin({isRoot: true, pjson, root})
  const name: string = pjson.name
  const hooks = Object.entries<string | string[]>(pjson.oclif.hooks ?? {})
  let full: Manifest | undefined
  const detail = (id: string, key: string) => {
    full ??= JSON.parse(readFileSync(join(root, 'oclif.manifest.json'), 'utf8')) as Manifest
    return full.commands[id]?.[key]
  }

  const withDetails = (id: string, command: Record<string, unknown>) => {
    for (const key of manifest.details)
      Object.defineProperty(command, key, {configurable: true, enumerable: true, get: () => detail(id, key)})
    return command
  }

  Object.assign(plugin, {
    alias: name,
    commandDiscoveryOpts: {strategy: 'pattern', target: pjson.oclif.commands},
    commandIDs: Object.keys(manifest.commands),
    commands: Object.entries(manifest.commands).map(([id, command]) =>
      withDetails(id, {
        ...command,
        load: () => plugin.findCommand(id, {must: true}),
        pluginAlias: name,
        pluginType: 'core',
      }),
    ),
    commandsDir: join(root, pjson.oclif.commands),
    flexibleTaxonomy: false,
    hasManifest: true,
    hooks: Object.fromEntries(
      hooks.map(([event, targets]) => [event, [targets].flat().map((target) => ({identifier: 'default', target}))]),
    ),
    manifest,
    moduleType: pjson.type === 'module' ? 'module' : 'commonjs',
    name,
    pjson,
    root,
    type: 'core',
    valid: true,
    version: pjson.version,
  })
  return plugin
}

/** bin/run.js's `dir` (its import.meta.url) as the package root. */
function rootOf(dir: string): string {
  return fileURLToPath(new URL('..', dir))
}

/**
 * oclif's run() with a Config already loaded. run() hands what it is given to Config.load, which loads any
 * Config once more as a new, plain Config: the load repeated at every start, and BundledConfig's own
 * methods (its theme lookup, telling the compile cache the command) never used. So does the command's
 * own start (Command.run, from config.runCommand), which would then run with that plain Config and its
 * theme read (an asynchronous read: fs/promises and libuv's thread pool, ~2-3 ms). While this runs,
 * Config.load of this Config returns it as it is.
 */
export async function runLoaded(argv: string[], config: Config): Promise<unknown> {
  const load = Config.load
  Config.load = async function (this: typeof Config, opts) {
    return opts === config ? config : load.call(this, opts)
  }

  try {
    return await run(argv, config)
  } finally {
    Config.load = load
  }
}

export interface ExecuteOptions {
  /** bin/run.js's V8 code cache (src/compile-cache.ts), when it has one. */
  compileCache?: Pick<CompileCache, 'noteCommand'>
  dir: string
  json?: boolean
  loadOptions?: Config
}

/**
 * oclif's execute(), from the bundled Config (or bin/dev.js's, from src/). A failure before any command runs (an unknown
 * command, say) is reported as every command reports its own: a clear message and its exit code on
 * stderr, or under --json a JSON error document on stdout.
 */
export async function execute(options: ExecuteOptions): Promise<void> {
  try {
    const onCommand = options.compileCache && ((id: string) => options.compileCache?.noteCommand(id))
    await runLoaded(process.argv.slice(2), options.loadOptions ?? (await bundledConfig(rootOf(options.dir), onCommand)))
    await flush()
  } catch (error) {
    const err = error as {code?: string; oclif?: {exit?: number}}
    if (err?.code === 'EEXIT' || err?.oclif?.exit === 0) {
      await handle(error as Error)
      return
    }

    const cliError = toCliError(error)
    if (options.json) process.stdout.write(redactKnownSecrets(JSON.stringify(errorDocument(cliError), null, 2)) + '\n')
    else process.stderr.write(errorText(cliError) + '\n')
    process.exitCode = cliError.exitCode
  }
}
