// Bundles the parts of @okta/okta-sdk-nodejs that okta-hooks uses (Client: config, auth with SSWS
// or OAuth private key + DPoP, Http, RequestExecutor) into dist/vendor/okta-sdk.cjs.
//
// Why: the SDK's Client constructs ~100 generated API classes (3.2 MB of its 4.5 MB), which
// okta-hooks never calls: it talks to Okta through client.http only, as raw JSON. Loading the
// package as published costs ~0.7 s and ~130 MiB; this bundle replaces the generated API classes
// with empty stubs and drops what only file uploads need. src/lib/okta/okta-sdk.ts loads this
// bundle when it exists and falls back to the package otherwise (tests run from src/).
import {build} from 'esbuild'
import {mkdirSync} from 'node:fs'

const stubApis = {
  name: 'okta-sdk-slim',
  setup(b) {
    // client.js: `const {…Api…} = require('./generated')`: every API class becomes an empty stub.
    b.onResolve({filter: /^\.\/generated$/}, (args) =>
      args.importer.endsWith('/okta-sdk-nodejs/src/client.js') ? {namespace: 'slim', path: 'generated-apis'} : undefined,
    )
    b.onLoad({filter: /^generated-apis$/, namespace: 'slim'}, () => ({
      contents: 'module.exports = new Proxy({}, {get: () => class GeneratedApiNotBundled {}})',
      loader: 'js',
    }))
    // node-fetch 2 prefers Node's own URL and needs whatwg-url (and its 260 KiB tr46 tables) only without one.
    b.onResolve({filter: /^whatwg-url$/}, () => ({namespace: 'slim', path: 'whatwg-url'}))
    b.onLoad({filter: /^whatwg-url$/, namespace: 'slim'}, () => ({contents: 'module.exports = {URL: require("url").URL}', loader: 'js'}))
    // JWT signing and DPoP (node-forge, node-jose, pako: ~0.4 MiB) serve only OAuth private-key mode:
    // loaded on first use instead of at start-up (esbuild evaluates a bundled CommonJS module on its first require).
    b.onResolve({filter: /^\.\/(dpop|jwt)$/}, (args) =>
      args.importer.includes('/okta-sdk-nodejs/src/') && !args.importer.endsWith('/slim-lazy.js')
        ? {namespace: 'slim', path: args.path.slice(2), pluginData: {dir: args.resolveDir}}
        : undefined,
    )
    b.onLoad({filter: /^(dpop|jwt)$/, namespace: 'slim'}, (args) => {
      const real = JSON.stringify(`${args.pluginData.dir}/${args.path}.js`)
      const names = args.path === 'dpop' ? ['generateDpopJwt'] : ['makeJwt', 'getPemAndJwk']
      return {
        contents: names.map((n) => `exports.${n} = (...a) => require(${real}).${n}(...a)`).join('\n'),
        loader: 'js',
        resolveDir: args.pluginData.dir,
      }
    })
    // lodash (110 KiB) serves two functions here: config-loader's mergeWith and the cache
    // middleware's get. Only those two modules are bundled.
    b.onResolve({filter: /^lodash$/}, (args) =>
      args.importer.includes('/okta-sdk-nodejs/src/') ? {namespace: 'slim', path: 'lodash', pluginData: {dir: args.resolveDir}} : undefined,
    )
    b.onLoad({filter: /^lodash$/, namespace: 'slim'}, (args) => ({
      contents: 'module.exports = {get: require("lodash/get"), mergeWith: require("lodash/mergeWith")}',
      loader: 'js',
      resolveDir: args.pluginData.dir,
    }))
    // js-yaml is needed only when an okta.yaml exists, https-proxy-agent only when a proxy is set:
    // both are evaluated on first use instead of at start-up.
    b.onResolve({filter: /^(js-yaml|https-proxy-agent)$/}, (args) =>
      args.importer.includes('/okta-sdk-nodejs/src/') ? {namespace: 'slim', path: `lazy:${args.path}`, pluginData: {dir: args.resolveDir}} : undefined,
    )
    b.onLoad({filter: /^lazy:/, namespace: 'slim'}, (args) => {
      const name = JSON.stringify(args.path.slice(5))
      const contents = args.path === 'lazy:js-yaml'
        ? `exports.load = (...a) => require(${name}).load(...a)`
        : `module.exports = function HttpsProxyAgent(...a) { return new (require(${name}))(...a) }`
      return {contents, loader: 'js', resolveDir: args.pluginData.dir}
    })
    // form-data (and mime-db behind it) serves only postFormDataFile, which okta-hooks never calls.
    b.onResolve({filter: /^form-data$/}, () => ({namespace: 'slim', path: 'form-data'}))
    b.onLoad({filter: /^form-data$/, namespace: 'slim'}, () => ({
      contents: 'module.exports = class FormDataNotBundled { constructor() { throw new Error("form uploads are not bundled") } }',
      loader: 'js',
    }))
  },
}

mkdirSync('dist/vendor', {recursive: true})
const result = await build({
  bundle: true,
  entryPoints: ['scripts/okta-sdk-entry.cjs'],
  format: 'cjs',
  legalComments: 'linked',
  logLevel: 'warning',
  metafile: true,
  minify: true,
  outfile: 'dist/vendor/okta-sdk.cjs',
  platform: 'node',
  plugins: [stubApis],
  target: 'node20',
})
if (process.env.BUNDLE_REPORT) { const {writeFileSync} = await import("node:fs"); writeFileSync("/tmp/meta.json", JSON.stringify(result.metafile)) }
const bytes = Object.values(result.metafile.outputs).reduce((sum, o) => sum + o.bytes, 0)
console.error(`bundled the Okta SDK client into dist/vendor/okta-sdk.cjs (${(bytes / 1024).toFixed(0)} KiB)`)
