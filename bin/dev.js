#!/usr/bin/env node
// Runs okta-hooks from the TypeScript sources in src/, through tsx: never dist/, and never the
// oclif.manifest.json a build leaves behind (it would point oclif at dist/ and hide commands added
// since). oclif's own TypeScript detection cannot register tsx here and silently falls back to
// dist/, so this registers tsx itself and hands oclif a root plugin whose commands are src/'s.
// CommonJS, as bin/run.js is (bin/package.json); the sources are ES modules, imported through tsx.
const {readFileSync} = require('node:fs')
const {join} = require('node:path')

async function main() {
  const {register} = await import('tsx/esm/api')
  register()
  const {Config, Plugin, settings} = await import('@oclif/core')
  settings.enableAutoTranspile = false

  const root = join(__dirname, '..')
  const pjson = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))
  const toSource = (path) => path.replace(/^\.\/dist\//, './src/').replace(/\.js$/, '.ts')
  const hooks = Object.fromEntries(
    Object.entries(pjson.oclif.hooks ?? {}).map(([event, path]) => [event, toSource(path)]),
  )
  pjson.oclif = {...pjson.oclif, commands: toSource(pjson.oclif.commands), hooks}
  const plugin = async (options) => {
    const loaded = new Plugin({ignoreManifest: true, ...options})
    await loaded.load()
    return loaded
  }

  const plugins = [await plugin({isRoot: true, pjson, root})]
  for (const name of pjson.oclif.plugins ?? []) plugins.push(await plugin({name, root, type: 'core'}))

  const config = await Config.load({plugins: new Map(plugins.map((p) => [p.name, p])), root})
  // oclif's development mode, as its execute({development: true}) sets it
  process.env.NODE_ENV = 'development'
  settings.debug = true
  // src/main.ts's execute, as bin/run.js runs dist/main.js's: failures before any command runs are reported the same way.
  const {execute: executeCli} = await import('../src/main.ts')
  const dir = require('node:url').pathToFileURL(__filename).href
  await executeCli({dir, json: process.argv.slice(2).includes('--json'), loadOptions: config})
}

main()
