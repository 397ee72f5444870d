// Build dist/ with esbuild: one ESM file per command (and per oclif hook) (so oclif finds and loads only the command
// that runs) plus shared chunks holding oclif and the domain modules, so that a command loads a
// handful of files instead of ~150 (type checking is `npm run typecheck`, tsc --noEmit).
// oclif's modules that only its plugin discovery and help use are evaluated on first use (see
// deferOclifModules). Then: the slim Okta SDK bundle, oclif.manifest.json (its commands in the
// order oclif sorts them, so that src/main.ts need not sort them again), the pre-rendered help, and
// the inspector's page files.
import {execFileSync} from 'node:child_process'
import {cpSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {builtinModules, createRequire} from 'node:module'
import {join} from 'node:path'

import {build} from 'esbuild'

/**
 * Packages @oclif/core requires as it loads but a run of okta-hooks needs only on some paths: they
 * are bundled apart, in dist/vendor/oclif-later.cjs, and each require of one by @oclif/core gets a
 * stand-in that loads it from there on first use (so a run that does not use one does not even parse
 * it). Written for the @oclif/core version pinned in package.json: the build fails if one of them
 * is no longer required as expected.
 */
const LATER = {
  // cli-spinners: the frames of ux.action's spinner.
  'cli-spinners': (load) =>
    `module.exports = new Proxy({}, {get: (_, name) => (name === '__esModule' ? undefined : ${load}[name])})`,
  // the `debug` package: oclif's internal logging, which prints only with DEBUG set.
  debug: (load) => `module.exports = process.env.DEBUG ? ${load} : () => () => {}`,
  // ejs: renders help templates (<%= config.bin %>).
  ejs: (load) => `exports.render = (...args) => ${load}.render(...args)`,
  // lilconfig: reads another plugin's oclif settings (okta-hooks loads no plugin).
  lilconfig: (load) => `exports.lilconfig = (...args) => ${load}.lilconfig(...args)`,
  // minimatch: matches plugin names.
  minimatch: (load) => `exports.minimatch = (...args) => ${load}.minimatch(...args)`,
  // semver: the Node.js version check (bin/run.js makes its own).
  semver: (load) => `exports.satisfies = (...args) => ${load}.satisfies(...args)`,
  // tinyglobby: finds command files when there is no manifest (dist/ always has one).
  tinyglobby: (load) => `exports.glob = (...args) => ${load}.glob(...args)`,
}
const LATER_FILE = 'dist/vendor/oclif-later.cjs'

/**
 * Modules @oclif/core requires as it loads that are deferred in place: each gets a stand-in (for
 * @oclif/core's requires only) that loads the real one on first use.
 */
const DEFERRED = {
  // wsl-utils: whether Linux is WSL (config.platform), which costs ~6 ms of module loading and file
  // reads; asked only where the kernel's name or /proc/version mention Microsoft, as is-wsl first checks.
  'wsl-utils': (real) =>
    [
      'const {readFileSync} = require("node:fs")',
      'const {release} = require("node:os")',
      'const version = () => { try { return readFileSync("/proc/version", "utf8") } catch { return "" } }',
      'const maybe = process.platform === "linux" && /microsoft/i.test(release() + version())',
      `module.exports = {get isWsl() { return maybe && require(${real}).isWsl }, powerShellPath: (...args) => require(${real}).powerShellPath(...args)}`,
    ].join('\n'),
  // Node's own modules, loaded on first use of a member: child_process (for the parent shell's name on
  // Windows), perf_hooks (OCLIF_PERFORMANCE), readline (flag values read from stdin).
  'node:child_process': members,
  'node:perf_hooks': members,
  'node:readline': members,
}

/** A stand-in whose members are the real module's, looked up when used (oclif reads them only when it calls them). */
function members(real) {
  return `module.exports = new Proxy({}, {get: (_, name) => require(${real})[name]})`
}

/** Where each LATER package resolves from @oclif/core (what oclif-later.cjs bundles), and which substitutions happened. */
function deferOclifModules(hits, later) {
  const fromOclif = (importer) => importer.includes('/node_modules/@oclif/core/')
  // The stand-ins are in the chunk that holds @oclif/core, in dist/chunks/ (checked after the build).
  const load = (name) =>
    `require(require("node:path").join(__dirname, "../vendor/oclif-later.cjs"))[${JSON.stringify(name)}]`
  return {
    name: 'defer-oclif-modules',
    setup(b) {
      const filter = new RegExp(`^(${[...Object.keys(LATER), ...Object.keys(DEFERRED)].join('|')})$`)
      b.onResolve({filter}, (args) => {
        if (!fromOclif(args.importer)) return undefined
        hits[args.path] = (hits[args.path] ?? 0) + 1
        const real = createRequire(args.importer).resolve(args.path)
        if (LATER[args.path]) {
          if (later[args.path] && later[args.path] !== real)
            throw new Error(`scripts/build.mjs: @oclif/core requires two copies of ${args.path}`)
          later[args.path] = real
        }

        return {namespace: 'deferred', path: args.path, pluginData: real}
      })
      b.onLoad({filter: /.*/, namespace: 'deferred'}, (args) => ({
        contents: LATER[args.path]
          ? LATER[args.path](load(args.path))
          : DEFERRED[args.path](JSON.stringify(args.pluginData)),
        loader: 'js',
        resolveDir: process.cwd(),
      }))
    },
  }
}

const run = (cmd, args) => execFileSync(cmd, args, {stdio: 'inherit'})
const files = (dir) =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') && !path.endsWith('.d.ts') ? [path] : []
  })

/**
 * Node's own modules as require() calls instead of ESM imports: an ESM import of a built-in module
 * builds its ESM facade, which reads every export (node:fs's getters then load its streams and its
 * promises API: several ms per start for nothing). The banner's require is createRequire's.
 */
function builtinsAsRequire() {
  const builtins = new Set(builtinModules)
  return {
    name: 'builtins-as-require',
    setup(b) {
      b.onResolve({filter: /^[a-z_:/]+$/}, (args) => {
        const name = args.path.replace(/^node:/, '')
        if (!builtins.has(name) || args.kind !== 'import-statement') return undefined
        return args.namespace === 'builtin'
          ? {external: true, path: args.path}
          : {namespace: 'builtin', path: args.path}
      })
      b.onLoad({filter: /.*/, namespace: 'builtin'}, (args) => ({
        contents: `module.exports = require(${JSON.stringify(args.path)})`,
        loader: 'js',
      }))
    },
  }
}

rmSync('dist', {force: true, recursive: true})
rmSync('oclif.manifest.json', {force: true})
const deferred = {}
const later = {}
const main = await build({
  banner: {
    // oclif and other bundled CommonJS code use require, __filename and __dirname.
    js: [
      "import {createRequire as __okh_createRequire} from 'node:module';",
      "import {fileURLToPath as __okh_fileURLToPath} from 'node:url';",
      "import {dirname as __okh_dirname} from 'node:path';",
      'const require = __okh_createRequire(import.meta.url);',
      'const __filename = __okh_fileURLToPath(import.meta.url);',
      'const __dirname = __okh_dirname(__filename);',
    ].join(' '),
  },
  bundle: true,
  chunkNames: 'chunks/[name]-[hash]',
  entryPoints: ['src/main.ts', ...files('src/commands'), ...files('src/hooks')],
  external: ['@okta/okta-sdk-nodejs', 'typescript', 'ts-node', 'tsx'],
  format: 'esm',
  logLevel: 'warning',
  outbase: 'src',
  outdir: 'dist',
  platform: 'node',
  metafile: true,
  plugins: [builtinsAsRequire(), deferOclifModules(deferred, later)],
  splitting: true,
  target: 'node20',
})
// The inspector's page (HTML, CSS, JS) as files beside the bundle: read only when the page is asked for.
cpSync('src/lib/inspector/assets', 'dist/inspector', {recursive: true})
const notDeferred = [...Object.keys(LATER), ...Object.keys(DEFERRED)].filter((name) => !deferred[name])
if (notDeferred.length > 0)
  throw new Error(
    `scripts/build.mjs: @oclif/core no longer requires ${notDeferred.join(', ')}; update LATER/DEFERRED for its version.`,
  )
const standIns = Object.entries(main.metafile.outputs).filter(([, output]) =>
  Object.keys(output.inputs).some((input) => input.startsWith('deferred:')),
)
if (standIns.some(([file]) => !file.startsWith('dist/chunks/')))
  throw new Error(
    `scripts/build.mjs: oclif's stand-ins are not in dist/chunks/ (${standIns.map(([file]) => file)}), so ../vendor/ is not where they look`,
  )
await build({
  bundle: true,
  format: 'cjs',
  logLevel: 'warning',
  outfile: LATER_FILE,
  platform: 'node',
  stdin: {
    contents: `module.exports = {${Object.entries(later)
      .map(([name, real]) => `${JSON.stringify(name)}: require(${JSON.stringify(real)})`)
      .join(', ')}}`,
    resolveDir: process.cwd(),
  },
  target: 'node20',
})
run(process.execPath, ['scripts/bundle-sdk.mjs'])
run(process.execPath, ['node_modules/oclif/bin/run.js', 'manifest'])
const manifest = JSON.parse(readFileSync('oclif.manifest.json', 'utf8'))
const ids = Object.keys(manifest.commands).sort((a, b) => a.localeCompare(b)) // as oclif's Plugin.load sorts them
manifest.commands = Object.fromEntries(ids.map((id) => [id, manifest.commands[id]]))
writeFileSync('oclif.manifest.json', JSON.stringify(manifest, null, 2))
// bin/run.js's help fast path: oclif's own colour decision, alone (supports-color and ansis, as @oclif/core resolves them).
const oclifRequire = createRequire(createRequire(import.meta.url).resolve('@oclif/core/package.json'))
await build({
  bundle: true,
  entryPoints: ['scripts/help-colour-entry.mjs'],
  format: 'esm',
  logLevel: 'warning',
  outfile: 'dist/help-colour.js',
  platform: 'node',
  plugins: [
    {
      name: 'as-oclif-resolves',
      setup: (b) =>
        b.onResolve({filter: /^(ansis|supports-color)$/}, (args) => ({path: oclifRequire.resolve(args.path)})),
    },
  ],
  target: 'node20',
  banner: {
    js: "import {createRequire as __okh_createRequire} from 'node:module'; const require = __okh_createRequire(import.meta.url);",
  },
})
run(process.execPath, ['scripts/build-help-cache.mjs'])
