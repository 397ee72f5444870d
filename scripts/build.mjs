// Build dist/ with esbuild: one ESM file per command (and per oclif hook) (so oclif finds and loads only the command
// that runs) plus shared chunks holding oclif and the domain modules, so that a command loads a
// handful of files instead of ~150 (type checking is `npm run typecheck`, tsc --noEmit).
// Then: the inspector's page files, the slim Okta SDK bundle, oclif.manifest.json, and the pre-rendered help for bin/run.js.
import {execFileSync} from 'node:child_process'
import {cpSync, readdirSync, rmSync, statSync} from 'node:fs'
import {join} from 'node:path'

import {build} from 'esbuild'

const run = (cmd, args) => execFileSync(cmd, args, {stdio: 'inherit'})
const files = (dir) =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') && !path.endsWith('.d.ts') ? [path] : []
  })

rmSync('dist', {force: true, recursive: true})
rmSync('oclif.manifest.json', {force: true})
await build({
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
  splitting: true,
  target: 'node20',
})
// The inspector's page (HTML, CSS, JS) as files beside the bundle: read only when the page is asked for.
cpSync('src/lib/inspector/assets', 'dist/inspector', {recursive: true})
run(process.execPath, ['scripts/bundle-sdk.mjs'])
run(process.execPath, ['node_modules/oclif/bin/run.js', 'manifest'])
run(process.execPath, ['scripts/build-help-cache.mjs'])
