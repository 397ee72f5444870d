// Build: compile TypeScript to dist/, bundle a slim copy of the Okta SDK (scripts/bundle-sdk.mjs),
// write oclif.manifest.json, and pre-render help (scripts/build-help-cache.mjs) for bin/run.js's fast path.
import {execFileSync} from 'node:child_process'
import {rmSync} from 'node:fs'

const run = (cmd, args) => execFileSync(cmd, args, {stdio: 'inherit'})
rmSync('dist', {force: true, recursive: true})
rmSync('oclif.manifest.json', {force: true})
run(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.json'])
run(process.execPath, ['scripts/bundle-sdk.mjs'])
run(process.execPath, ['node_modules/oclif/bin/run.js', 'manifest'])
run(process.execPath, ['scripts/build-help-cache.mjs'])
