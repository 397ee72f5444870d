// Build dist/ with esbuild: one CommonJS bundle (dist/main.js: oclif, every command and the domain modules, each
// evaluated only when first used), compiled by bin/run.js with a V8 code cache (src/compile-cache.ts), and for each
// command and oclif hook a one-line stub that oclif finds and requires (type checking is `npm run typecheck`).
// oclif's modules that only its plugin discovery and help use are evaluated on first use (see
// deferOclifModules). Then: the slim Okta SDK bundle, oclif.manifest.json (its commands in the
// order oclif sorts them, so that src/main.ts need not sort them again), the pre-rendered help, and
// the inspector's page files.
import {execFileSync} from 'node:child_process'
import {createHash} from 'node:crypto'
import {cpSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {createRequire} from 'node:module'
import {dirname, join, relative} from 'node:path'

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
const BUNDLE = 'dist/main.js'
/** data/event-types.json in the compact form the bundle reads (the data file stays the source of truth). */
const CATALOG = 'dist/event-types.json'

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
  // Windows), fs/promises (plugin discovery, tsconfig lookup, theme.json: ~1 ms, with the fs watchers and
  // readline internals it loads), perf_hooks (OCLIF_PERFORMANCE), readline (flag values read from stdin).
  'node:child_process': members,
  'node:fs/promises': members,
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
  // The stand-ins are in the bundle, dist/main.js, so vendor/ is beside them.
  const load = (name) =>
    `require(require("node:path").join(__dirname, "vendor/oclif-later.cjs"))[${JSON.stringify(name)}]`
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

rmSync('dist', {force: true, recursive: true})
rmSync('oclif.manifest.json', {force: true})
const deferred = {}
const later = {}
/**
 * Packages only some commands use, bundled apart in dist/vendor/ and required on first use, so that the
 * bundle every run reads (and V8 hashes and deserialises) holds none of their 0.9 MB: the prompts
 * (@inquirer/prompts, with iconv-lite and chardet behind its editor prompt) and YAML (hooks files, okta.yaml).
 */
const VENDOR = {'@inquirer/prompts': 'prompts.cjs', yaml: 'yaml.cjs'}
/**
 * Every `import {...} from 'yaml'` (yaml-reader.ts, exporter.ts, io/yaml.ts) gets a stand-in, bundled
 * in dist/main.js, whose exports load dist/vendor/yaml.cjs on first use: the bundle reads an imported
 * name at each use (import_yaml.parseDocument), so a run that imports the module but uses none of
 * its exports (plan and apply on a plain file: plain-yaml.ts) never loads the library.
 */
const lazyYaml = () =>
  [
    'let real',
    `const load = () => (real ??= require(${JSON.stringify(`./vendor/${VENDOR.yaml}`)}))`,
    'Object.defineProperty(exports, "__esModule", {value: true})',
    `for (const name of ${JSON.stringify(YAML_NAMES)})`,
    '  Object.defineProperty(exports, name, {enumerable: true, get: () => load()[name]})',
  ].join('\n')
function vendorPackages() {
  return {
    name: 'vendor-packages',
    setup(b) {
      const filter = new RegExp(`^(${Object.keys(VENDOR).join('|').replaceAll('/', '\\/')})$`)
      b.onResolve({filter}, (args) =>
        args.path === 'yaml'
          ? {namespace: 'lazy-vendor', path: args.path}
          : {external: true, path: `./vendor/${VENDOR[args.path]}`},
      )
      b.onLoad({filter: /^yaml$/, namespace: 'lazy-vendor'}, () => ({contents: lazyYaml(), loader: 'js'}))
      b.onResolve({filter: /^\.\/vendor\//, namespace: 'lazy-vendor'}, (args) => ({external: true, path: args.path}))
    },
  }
}

/**
 * esbuild writes non-ASCII text as escapes except in regular expression literals (ansis has one): those
 * are escaped here too (\\uXXXX means the same in a regular expression), so that the bundle is ASCII,
 * which Node decodes and V8 hashes as one-byte text (~1 ms less a run than with a single other character).
 */
function asciiOnly(file) {
  const text = readFileSync(file, 'utf8')
  if (/\\[\u0080-\uFFFF]/.test(text))
    throw new Error(`scripts/build.mjs: ${file} has an escaped non-ASCII character, which \\uXXXX would change`)
  const escape = (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`
  writeFileSync(file, text.replaceAll(/[\u0080-\uFFFF]/g, escape))
}

/**
 * The YAML vendor bundle holds only what src/ imports from `yaml`: taken from the package's ES
 * module build (the same version; its CommonJS index requires every module), esbuild keeps only what
 * those names reach, minified (nobody reads yaml's stack frames). A third less to read, evaluate and
 * deserialise (~1 ms a run that loads it). That build is the browser's: the library's own warnings
 * (never a hooks file's problems, which okta-hooks reports) go to console.warn, not
 * process.emitWarning, and its LOG_TOKENS and LOG_STREAM debug switches are not there. The names
 * come from the sources' import statements, so a new import cannot be missing here.
 */
function yamlEntry() {
  const esm = join(process.cwd(), 'node_modules/yaml/browser/index.js')
  return `export {${YAML_NAMES.join(', ')}} from ${JSON.stringify(esm)}`
}

/** The names src/ imports from `yaml`, from its import and export statements. */
function yamlNames() {
  const names = new Set()
  for (const file of files('src')) {
    const text = readFileSync(file, 'utf8').replaceAll(/\/\*[\s\S]*?\*\/|\/\/.*/g, '') // without comments
    const statements = [...text.matchAll(/\b(?:import|export)( type)? \{([^}]*)\} from 'yaml'/g)]
    const uses = text.split("from 'yaml'").length - 1 + (text.match(/\b(?:import|require)\(\s*'yaml'/g)?.length ?? 0)
    if (uses !== statements.length)
      throw new Error(`scripts/build.mjs: ${file} imports yaml other than by name ({...} from 'yaml')`)
    for (const [, typeOnly, list] of statements)
      for (const item of typeOnly ? [] : list.split(',').map((name) => name.trim()))
        if (item && !item.startsWith('type ')) names.add(item.split(/\s+as\s+/)[0])
  }
  return [...names].sort()
}

/** What src/ imports from yaml, read once: the stand-in's exports and the vendor bundle's are the same list. */
const YAML_NAMES = yamlNames()
const commandFiles = files('src/commands')
const hookFiles = files('src/hooks')
/** A module's id in the bundle's maps: src/commands/deliveries/list.ts -> deliveries/list. */
const idOf = (dir, file) => relative(dir, file).replace(/\.ts$/, '')
const lazyMap = (dir, list) =>
  `{${list.map((file) => `${JSON.stringify(idOf(dir, file))}: () => require(${JSON.stringify(`./${file}`)})`).join(', ')}}`
const main = await build({
  // The bundle is CommonJS (so bin/run.js can compile it with a V8 code cache), where import.meta is empty:
  // a module's import.meta.url is the bundle's own URL, as it was in every chunk of an ESM build.
  banner: {js: 'var __okh_import_meta_url = require("node:url").pathToFileURL(__filename).href;'},
  bundle: true,
  // The bundle reads the event-type catalog from the compact copy written below (src/lib/catalog/event-types.ts).
  define: {OKTA_HOOKS_COMPACT_CATALOG: JSON.stringify(CATALOG), 'import.meta.url': '__okh_import_meta_url'},
  external: ['@okta/okta-sdk-nodejs', 'typescript', 'ts-node', 'tsx'],
  format: 'cjs',
  logLevel: 'warning',
  metafile: true,
  // Whitespace and comments cost every run reading and hashing the bundle; names stay (stack traces with --debug).
  minifyWhitespace: true,
  outfile: BUNDLE,
  platform: 'node',
  plugins: [deferOclifModules(deferred, later), vendorPackages()],
  stdin: {
    // Every command and hook, each evaluated only when its stub (dist/commands, dist/hooks) asks for it.
    contents: [
      "export {bundledConfig, execute} from './src/main.ts'",
      "export {compactCatalog} from './src/lib/catalog/event-types.ts'",
      `export const commands = ${lazyMap('src/commands', commandFiles)}`,
      `export const hooks = ${lazyMap('src/hooks', hookFiles)}`,
    ].join('\n'),
    loader: 'ts',
    resolveDir: process.cwd(),
    sourcefile: 'okta-hooks-entry.ts',
  },
  // No import() left in the bundle: a script compiled with a code cache (vm.Script) cannot run one on Node 20.
  supported: {'dynamic-import': false},
  target: 'node20',
})
// The .js files of dist/ are CommonJS (the package itself is "type": "module"), for Node and for oclif's module loader.
writeFileSync('dist/package.json', JSON.stringify({type: 'commonjs'}, null, 2) + '\n')
/** Where oclif finds each command and hook (package.json's oclif section): a one-line stub that takes it from the bundle. */
const stub = (out, map, id) => {
  const to = relative(dirname(out), BUNDLE).replace(/^(?!\.)/, './')
  mkdirSync(dirname(out), {recursive: true})
  writeFileSync(out, `module.exports = require(${JSON.stringify(to)}).${map}[${JSON.stringify(id)}]()\n`)
}
for (const file of commandFiles)
  stub(join('dist/commands', `${idOf('src/commands', file)}.js`), 'commands', idOf('src/commands', file))
for (const file of hookFiles)
  stub(join('dist/hooks', `${idOf('src/hooks', file)}.js`), 'hooks', idOf('src/hooks', file))
const apart = Object.keys(main.metafile.inputs).filter((input) =>
  Object.keys(VENDOR).some((name) => input.includes(`node_modules/${name}/`)),
)
if (apart.length > 0)
  throw new Error(`scripts/build.mjs: ${apart[0]} is in ${BUNDLE}, not in its vendor file: import the package itself`)
writeFileSync(
  CATALOG,
  JSON.stringify(
    createRequire(import.meta.url)(join(process.cwd(), BUNDLE)).compactCatalog(
      JSON.parse(readFileSync('data/event-types.json', 'utf8')),
    ),
  ) + '\n',
)
// The inspector's page (HTML, CSS, JS) as files beside the bundle: read only when the page is asked for.
cpSync('src/lib/inspector/assets', 'dist/inspector', {recursive: true})
const notDeferred = [...Object.keys(LATER), ...Object.keys(DEFERRED)].filter((name) => !deferred[name])
if (notDeferred.length > 0)
  throw new Error(
    `scripts/build.mjs: @oclif/core no longer requires ${notDeferred.join(', ')}; update LATER/DEFERRED for its version.`,
  )
for (const [name, file] of Object.entries(VENDOR))
  await build({
    bundle: true,
    format: 'cjs',
    logLevel: 'warning',
    ...(name === 'yaml' ? {minify: true} : {minifyWhitespace: true}),
    outfile: `dist/vendor/${file}`,
    platform: 'node',
    stdin: {
      contents: name === 'yaml' ? yamlEntry() : `module.exports = require(${JSON.stringify(name)})`,
      resolveDir: process.cwd(),
    },
    target: 'node20',
  })
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
// What a run reads instead (src/main.ts, CommandIndex): the manifest without the keys only help and completion read
// (a command's description and args stay: oclif's Config describes each topic with one as it loads, and finds
// which words of a space-separated command line are the command's id with the other).
const DETAILS = ['examples', 'flags']
const withoutDetails = (command) =>
  Object.fromEntries(Object.entries(command).filter(([key]) => !DETAILS.includes(key)))
writeFileSync(
  'dist/commands.json',
  JSON.stringify({
    commands: Object.fromEntries(ids.map((id) => [id, withoutDetails(manifest.commands[id])])),
    details: DETAILS,
    version: manifest.version,
  }) + '\n',
)
// bin/run.js's help fast path: oclif's own colour decision, alone (supports-color and ansis, as @oclif/core resolves them).
const oclifRequire = createRequire(createRequire(import.meta.url).resolve('@oclif/core/package.json'))
await build({
  bundle: true,
  entryPoints: ['scripts/help-colour-entry.mjs'],
  format: 'cjs',
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
})
run(process.execPath, ['scripts/build-help-cache.mjs'])
// bin/run.js's compile cache (src/compile-cache.ts), loaded as Node loads any file, and what it may cache: the
// bundle and its vendor files, each ending with the key of its content (a cache is used only for the text it was made from).
await build({
  bundle: true,
  entryPoints: ['src/compile-cache.ts'],
  format: 'cjs',
  logLevel: 'warning',
  outfile: 'dist/compile-cache.js',
  platform: 'node',
  target: 'node20',
})
const cached = [BUNDLE, ...readdirSync('dist/vendor').map((name) => `dist/vendor/${name}`)]
for (const file of cached) {
  asciiOnly(file)
  const text = readFileSync(file, 'utf8').replace(/\n?$/, '\n')
  writeFileSync(file, `${text}// okta-hooks-cache ${createHash('sha256').update(text).digest('hex').slice(0, 32)}\n`)
}
