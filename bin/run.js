#!/usr/bin/env node
// CommonJS (bin/package.json): an ES module as the entry point costs Node ~5 ms more (its ESM loader, fs/promises).
// Start-up fast path: `--version` and `--help` are answered without loading oclif or any command:
// the help is oclif's own, rendered at build time at every terminal width (scripts/build-help-cache.mjs),
// here picked for this terminal's width and coloured only where oclif would colour it. Everything
// else, and any case the cache cannot answer exactly, goes to oclif, from dist/ compiled with a V8 code cache.
const {existsSync, readFileSync} = require('node:fs')
const {join} = require('node:path')

const read = (path) => JSON.parse(readFileSync(join(__dirname, path), 'utf8'))

/** The width oclif's help wraps to (its screen.js): OCLIF_COLUMNS, else the terminal's (at least 40), else 80. */
function helpWidth() {
  const columns = Number.parseInt(process.env.OCLIF_COLUMNS, 10)
  if (columns) return columns
  if (!process.stdout.isTTY) return 80
  const width = process.stdout.getWindowSize()[0]
  return width < 1 ? 80 : Math.max(width, 40)
}

/** A theme.json of the user's (oclif's config folder: ~/.config/okta-hooks) changes oclif's colours: then oclif renders. */
function userTheme() {
  const {env} = process
  if (['1', 'true'].includes(env.OKTA_HOOKS_DISABLE_THEME)) return false
  const home = env.HOME || require('node:os').homedir()
  const base = env.XDG_CONFIG_HOME || (process.platform === 'win32' && env.LOCALAPPDATA) || `${home}/.config`
  return existsSync(`${env.OKTA_HOOKS_CONFIG_DIR || `${base}/okta-hooks`}/theme.json`)
}

function helpPage(words, pkg) {
  const index = read('../dist/help-cache.json')
  const file = index.version === pkg.version ? index.pages[words.join(':')] : undefined
  const width = helpWidth()
  if (file === undefined || width < index.minWidth || userTheme()) return undefined
  const page = read(`../dist/help/${file}`)
  const range = page.ranges.findLast(([from]) => from <= width)
  const text = range[1].map((line) => page.lines[line]).join('\n')
  // Without a terminal (and without FORCE_COLOR) oclif has no colour; otherwise its own libraries decide.
  const colour =
    (process.stdout.isTTY || 'FORCE_COLOR' in process.env) && require('../dist/help-colour.js').helpInColour
  // eslint-disable-next-line no-control-regex
  return colour ? text : text.replaceAll(/\u001B\[[\d;]*m/g, '')
}

function fastPath(argv) {
  if (process.env.OKTA_HOOKS_NO_FAST_PATH) return false
  const pkg = read('../package.json')
  if (argv.length === 1 && argv[0] === '--version') {
    process.stdout.write(`${pkg.name}/${pkg.version} ${process.platform}-${process.arch} node-${process.version}\n`)
    return true
  }

  let words
  if (argv[0] === 'help') words = argv.slice(1)
  else if (argv.length > 0 && (argv.at(-1) === '--help' || argv.at(-1) === '-h')) words = argv.slice(0, -1)
  else return false
  if (words.some((word) => word.startsWith('-'))) return false
  let text
  try {
    text = helpPage(words, pkg)
  } catch {
    return false
  }

  if (text === undefined) return false
  process.stdout.write(text)
  return true
}

const answered = fastPath(process.argv.slice(2))
// For the test that proves the fast path is oclif's output: fail rather than let oclif answer.
if (!answered && process.env.OKTA_HOOKS_FAST_PATH_ONLY) {
  process.stderr.write('okta-hooks: the help fast path could not answer this\n')
  process.exit(70)
}

if (!answered) {
  // oclif checks the Node version with semver at import (~15 ms); a two-number check does the same.
  const [major, minor] = process.versions.node.split('.').map(Number)
  if (major < 20 || (major === 20 && minor < 19))
    process.emitWarning(`okta-hooks needs Node.js >= 20.19; this is ${process.version}.`)
  process.env.OCLIF_DISABLE_ENGINE_WARNING = '1'
  // dist/ compiled with the V8 code cache of earlier runs (src/compile-cache.ts); without one if anything goes wrong.
  let compileCache
  try {
    const {cacheFolder, enableCompileCache} = require('../dist/compile-cache.js')
    const dir = cacheFolder()
    compileCache = dir && enableCompileCache({dir, root: join(__dirname, '..', 'dist')})
  } catch {
    compileCache = undefined
  }

  const {execute} = require('../dist/main.js')
  execute({
    compileCache,
    dir: require('node:url').pathToFileURL(__filename).href,
    json: process.argv.slice(2).includes('--json'),
  })
}
