#!/usr/bin/env node
// Start-up fast path: `--version` and `--help` are answered without loading oclif or any command
// (help text rendered by oclif at build time into dist/help-cache.json). Everything else, and any
// case the cache cannot answer exactly, goes to oclif.
// node:fs through require: an ESM import of it builds its ESM facade, which loads fs's streams and promises (~4 ms).
import {createRequire} from 'node:module'

const {readFileSync} = createRequire(import.meta.url)('node:fs')

function fastPath(argv) {
  if (process.env.OKTA_HOOKS_NO_FAST_PATH) return false
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'))
  if (argv.length === 1 && argv[0] === '--version') {
    process.stdout.write(`${pkg.name}/${pkg.version} ${process.platform}-${process.arch} node-${process.version}\n`)
    return true
  }

  let words
  if (argv[0] === 'help') words = argv.slice(1)
  else if (argv.length > 0 && (argv.at(-1) === '--help' || argv.at(-1) === '-h')) words = argv.slice(0, -1)
  else return false
  if (words.some((word) => word.startsWith('-'))) return false
  if (process.stdout.isTTY && process.stdout.columns < 80) return false
  let cache
  try {
    cache = JSON.parse(readFileSync(new URL('../dist/help-cache.json', import.meta.url), 'utf8'))
  } catch {
    return false
  }

  const page = cache.version === pkg.version ? cache.entries[words.join(':')] : undefined
  if (page === undefined) return false
  process.stdout.write(page)
  return true
}

if (!fastPath(process.argv.slice(2))) {
  // oclif checks the Node version with semver at import (~15 ms); a two-number check does the same.
  const [major, minor] = process.versions.node.split('.').map(Number)
  if (major < 20 || (major === 20 && minor < 19)) process.emitWarning(`okta-hooks needs Node.js >= 20.19; this is ${process.version}.`)
  process.env.OCLIF_DISABLE_ENGINE_WARNING = '1'
  const {execute} = await import('../dist/main.js')
  await execute({dir: import.meta.url, json: process.argv.slice(2).includes('--json')})
}
