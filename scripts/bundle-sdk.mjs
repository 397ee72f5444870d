// Bundles the parts of @okta/okta-sdk-nodejs that okta-hooks uses (Client: auth with SSWS or OAuth
// private key + DPoP, Http, RequestExecutor) into CommonJS: dist/vendor/okta-sdk.cjs for the
// package (`node scripts/bundle-sdk.mjs`, run by the build), and the same bundle built on demand
// into node_modules/.cache/okta-hooks/ for code that runs from src/ (tests, bin/dev.js), so that
// both run the same SDK code (src/lib/okta/okta-sdk.ts picks the one that applies). Beside each,
// okta-sdk[-key]-oauth.cjs holds JWT signing and DPoP (node-forge, node-jose, pako: 0.5 MiB of the
// 0.6), which only OAuth private-key mode uses: loaded on first use, so an SSWS run never even
// parses them.
//
// Why: the SDK's Client constructs ~100 generated API classes (3.2 MB of its 4.5 MB), which
// okta-hooks never calls: it talks to Okta through client.http only, as raw JSON. Loading the
// package as published costs ~0.7 s and ~130 MiB; this bundle replaces the generated API classes
// with empty stubs and drops what only file uploads need. And it replaces the SDK's ConfigLoader:
// src/lib/okta/connection.ts is the one reader of okta.yaml and OKTA_CLIENT_*, and the Client gets
// every setting as constructor arguments.
//
// The bundle reaches into the SDK's internals (file names, export names, what client.js requires),
// so it is written for one SDK version, pinned exactly in package.json. Every internal it relies on
// is checked first, and every substitution must have happened: the build fails loudly otherwise.
import {createHash} from 'node:crypto'
import {existsSync, mkdirSync, readFileSync, renameSync, rmSync} from 'node:fs'
import {createRequire} from 'node:module'
import {dirname, join} from 'node:path'
import {fileURLToPath, pathToFileURL} from 'node:url'

import {build} from 'esbuild'

/** The SDK version whose internals this bundle was written against. */
export const SDK_VERSION = '8.1.0'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const ENTRY = join(ROOT, 'scripts', 'okta-sdk-entry.cjs')

/**
 * What the bundle relies on inside the SDK: files, their exports (and methods), and text in the
 * files it patches around (client.js is read, not loaded: loading it costs a second).
 */
const INTERNALS = {
  exports: {
    'src/config-loader.js': {ConfigLoader: ['apply', 'applyDefaults']},
    'src/dpop.js': {generateDpopJwt: ['function']},
    'src/jwt.js': {getPemAndJwk: ['function'], makeJwt: ['function']},
    'src/request-executor.js': {'': ['fetch']},
  },
  files: ['src/default-cache-middleware.js', 'src/generated/index.js', 'src/http.js', 'src/oauth.js'],
  text: {
    'src/client.js': [
      "require('./config-loader')",
      "require('./generated')",
      'configLoader.applyDefaults();',
      'configLoader.apply({',
      'parsedConfig.client.userAgent',
      'module.exports = Client;',
    ],
    'src/default-cache-middleware.js': ["require('lodash')", '_.get('],
  },
}

/**
 * The Client's ConfigLoader, without files or environment: the SDK's defaults (SSWS) and its
 * merge rule for the settings passed to the constructor (a list becomes a space-separated string,
 * an object its JSON, as config-loader.js does for its string settings).
 */
const CONFIG_LOADER = `
class ConfigLoader {
  constructor() {
    this.config = {client: {authorizationMode: '', clientId: '', keyId: '', orgUrl: '', privateKey: '', scopes: '', token: ''}}
  }
  applyDefaults() {
    this.config.client.authorizationMode = 'SSWS'
  }
  apply(config) {
    for (const [key, value] of Object.entries((config && config.client) || {})) {
      if (value === undefined) continue
      const text = typeof this.config.client[key] === 'string' && value !== null && typeof value === 'object'
      this.config.client[key] = text ? (Array.isArray(value) ? value.join(' ') : JSON.stringify(value)) : value
    }
  }
}
module.exports.ConfigLoader = ConfigLoader`

/** Fails, naming what changed, when the installed SDK is not the one this bundle was written for. */
export function checkSdkInternals(sdkDir = sdkFolder(), pinned = pinnedSdkVersion()) {
  const problems = []
  const version = JSON.parse(readFileSync(join(sdkDir, 'package.json'), 'utf8')).version
  if (version !== SDK_VERSION)
    problems.push(`the installed SDK is ${version}, this bundle was written for ${SDK_VERSION}`)
  if (pinned !== SDK_VERSION) problems.push(`package.json asks for "${pinned}", not exactly "${SDK_VERSION}"`)
  const required = [...INTERNALS.files, ...Object.keys(INTERNALS.exports), ...Object.keys(INTERNALS.text)]
  for (const file of new Set(required)) if (!existsSync(join(sdkDir, file))) problems.push(`${file} is missing`)
  if (problems.length === 0) {
    for (const [file, snippets] of Object.entries(INTERNALS.text)) {
      const text = readFileSync(join(sdkDir, file), 'utf8')
      for (const snippet of snippets)
        if (!text.includes(snippet)) problems.push(`${file} no longer contains ${snippet}`)
    }

    const require = createRequire(join(sdkDir, 'package.json'))
    for (const [file, names] of Object.entries(INTERNALS.exports))
      problems.push(...missingExports(require(join(sdkDir, file)), file, names))
  }

  if (problems.length > 0) {
    throw new Error(
      `scripts/bundle-sdk.mjs cannot bundle @okta/okta-sdk-nodejs (${sdkDir}):\n  ${problems.join('\n  ')}\n` +
        "Read the SDK's changes, adapt scripts/bundle-sdk.mjs (and SDK_VERSION), then pin the new version exactly in package.json.",
    )
  }
}

/** names: export name ('' for module.exports itself) -> 'function' or the prototype members it must have. */
function missingExports(exported, file, names) {
  const problems = []
  for (const [name, members] of Object.entries(names)) {
    const value = name ? exported?.[name] : exported
    const label = name ? `${file} export ${name}` : `${file}'s module.exports`
    if (typeof value !== 'function') problems.push(`${label} is not a function or class`)
    else
      for (const member of members)
        if (member !== 'function' && typeof value.prototype?.[member] !== 'function')
          problems.push(`${label} has no method ${member}`)
  }

  return problems
}

function sdkFolder() {
  return dirname(createRequire(join(ROOT, 'package.json')).resolve('@okta/okta-sdk-nodejs/package.json'))
}

function pinnedSdkVersion() {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'))
  return pkg.dependencies?.['@okta/okta-sdk-nodejs'] ?? pkg.devDependencies?.['@okta/okta-sdk-nodejs']
}

/** The OAuth-only modules of the SDK, each with the exports the rest of it uses. */
const OAUTH_EXPORTS = {dpop: ['generateDpopJwt'], jwt: ['getPemAndJwk', 'makeJwt']}

/** The file beside a bundle that holds its OAuth-only modules. */
const oauthFile = (bundle) => bundle.replace(/\.cjs$/, '-oauth.cjs')

/** An esbuild plugin that makes the substitutions, and reports which of them happened. */
function slimPlugin(hits) {
  const inSdk = (args) => args.importer.includes('/okta-sdk-nodejs/src/')
  const substitute = (b, name, filter, when, load) => {
    hits[name] = 0
    b.onResolve({filter}, (args) => {
      if (!when(args)) return undefined
      hits[name]++
      return {namespace: 'slim', path: name, pluginData: {dir: args.resolveDir, path: args.path}}
    })
    b.onLoad({filter: new RegExp(`^${name}$`), namespace: 'slim'}, (args) => ({
      loader: 'js',
      resolveDir: args.pluginData.dir,
      ...load(args.pluginData),
    }))
  }

  return {
    name: 'okta-sdk-slim',
    setup(b) {
      // client.js: `const {…Api…} = require('./generated')`: every API class becomes an empty stub.
      substitute(
        b,
        'generated-apis',
        /^\.\/generated$/,
        (args) => args.importer.endsWith('/okta-sdk-nodejs/src/client.js'),
        () => ({
          contents: 'module.exports = new Proxy({}, {get: () => class GeneratedApiNotBundled {}})',
        }),
      )
      // client.js: the ConfigLoader that read ~/.okta/okta.yaml, ./okta.yaml and OKTA_* (with js-yaml and lodash).
      substitute(
        b,
        'config-loader',
        /^\.\/config-loader$/,
        (args) => args.importer.endsWith('/okta-sdk-nodejs/src/client.js'),
        () => ({
          contents: CONFIG_LOADER,
        }),
      )
      // node-fetch 2 prefers Node's own URL and needs whatwg-url (and its 260 KiB tr46 tables) only without one.
      substitute(
        b,
        'whatwg-url',
        /^whatwg-url$/,
        () => true,
        () => ({contents: 'module.exports = {URL: require("url").URL}'}),
      )
      // JWT signing and DPoP serve only OAuth private-key mode: in the -oauth.cjs file beside this
      // one, required on first use (its path from __filename, the bundle's own, at run time).
      for (const [name, exports] of Object.entries(OAUTH_EXPORTS)) {
        substitute(b, name, new RegExp(`^\\./${name}$`), inSdk, () => ({
          contents: exports
            .map((e) => `exports.${e} = (...a) => require(__filename.replace(/\\.cjs$/, '-oauth.cjs')).${e}(...a)`)
            .join('\n'),
        }))
      }

      // lodash (110 KiB) serves one function here: the cache middleware's get.
      substitute(b, 'lodash', /^lodash$/, inSdk, () => ({contents: 'module.exports = {get: require("lodash/get")}'}))
      // https-proxy-agent is needed only when a proxy is set: evaluated on first use instead of at start-up.
      substitute(b, 'https-proxy-agent', /^https-proxy-agent$/, inSdk, () => ({
        contents: 'module.exports = function HttpsProxyAgent(...a) { return new (require("https-proxy-agent"))(...a) }',
      }))
      // form-data (and mime-db behind it) serves only postFormDataFile, which okta-hooks never calls.
      substitute(
        b,
        'form-data',
        /^form-data$/,
        () => true,
        () => ({
          contents:
            'module.exports = class FormDataNotBundled { constructor() { throw new Error("form uploads are not bundled") } }',
        }),
      )
    },
  }
}

const OPTIONS = {
  bundle: true,
  format: 'cjs',
  legalComments: 'eof',
  logLevel: 'warning',
  metafile: true,
  minify: true,
  platform: 'node',
  target: 'node20',
}
const bytesOf = (result) => Object.values(result.metafile.outputs).reduce((sum, output) => sum + output.bytes, 0)

/**
 * Builds the bundle into outfile and its OAuth part beside it (atomically: the OAuth part is in
 * place before the bundle that requires it, so a concurrent reader sees the old pair or the new).
 * Returns the bytes of both.
 */
export async function bundleSdk(outfile) {
  checkSdkInternals()
  mkdirSync(dirname(outfile), {recursive: true})
  const partial = `${outfile}.${process.pid}.tmp`
  const partialOauth = `${oauthFile(outfile)}.${process.pid}.tmp`
  const hits = {}
  try {
    const main = await build({...OPTIONS, entryPoints: [ENTRY], outfile: partial, plugins: [slimPlugin(hits)]})
    const unused = Object.keys(hits).filter((name) => hits[name] === 0)
    if (unused.length > 0)
      throw new Error(
        `scripts/bundle-sdk.mjs: the SDK no longer requires what these substitutions replace: ${unused.join(', ')}`,
      )
    const modules = Object.keys(OAUTH_EXPORTS).map((name) => `...require('@okta/okta-sdk-nodejs/src/${name}')`)
    const oauth = await build({
      ...OPTIONS,
      outfile: partialOauth,
      stdin: {contents: `module.exports = {${modules.join(', ')}}`, resolveDir: ROOT},
    })
    renameSync(partialOauth, oauthFile(outfile))
    renameSync(partial, outfile)
    return {bytes: bytesOf(main), oauthBytes: bytesOf(oauth)}
  } finally {
    rmSync(partial, {force: true})
    rmSync(partialOauth, {force: true})
  }
}

/**
 * The bundle for code running from src/: node_modules/.cache/okta-hooks/okta-sdk-<key>.cjs, built
 * on first use; the key changes with this script, the entry, the SDK and esbuild.
 */
export async function sdkBundleForSources() {
  const require = createRequire(join(ROOT, 'package.json'))
  const key = createHash('sha256')
    .update(readFileSync(fileURLToPath(import.meta.url)))
    .update(readFileSync(ENTRY))
    .update(readFileSync(join(sdkFolder(), 'package.json')))
    .update(readFileSync(require.resolve('esbuild/package.json')))
    .digest('hex')
    .slice(0, 16)
  const outfile = join(ROOT, 'node_modules', '.cache', 'okta-hooks', `okta-sdk-${key}.cjs`)
  if (!existsSync(outfile) || !existsSync(oauthFile(outfile))) await bundleSdk(outfile)
  return outfile
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const outfile = join(ROOT, 'dist', 'vendor', 'okta-sdk.cjs')
  const {bytes, oauthBytes} = await bundleSdk(outfile)
  const kib = (n) => `${(n / 1024).toFixed(0)} KiB`
  console.error(
    `bundled the Okta SDK client into dist/vendor/okta-sdk.cjs (${kib(bytes)}; its OAuth private-key part in okta-sdk-oauth.cjs, ${kib(oauthBytes)})`,
  )
}
