/**
 * bin/dev.js runs the TypeScript sources. Proven in a copy of the project (src/, data/, scripts/
 * and node_modules/ linked, bin/dev.js, bin/package.json and package.json copied) whose dist/ and
 * oclif.manifest.json are a fake, stale build: dev.js must ignore both and run src/.
 */
import {expect} from 'chai'
import {spawnSync} from 'node:child_process'
import {copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {ROOT} from '../receiver/cli-process.js'

const VERSION: string = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version

describe('bin/dev.js', function () {
  this.timeout(30_000)
  let project: string
  before(() => {
    project = mkdtempSync(join(tmpdir(), 'okta-hooks-dev-project-'))
    for (const name of ['src', 'data', 'scripts', 'node_modules']) symlinkSync(join(ROOT, name), join(project, name))
    mkdirSync(join(project, 'bin'))
    for (const name of ['bin/dev.js', 'bin/package.json', 'package.json', 'tsconfig.json'])
      copyFileSync(join(ROOT, name), join(project, name))
    // A stale build: a command that src/ does not have, and event-types answering something else.
    mkdirSync(join(project, 'dist', 'commands'), {recursive: true})
    const stale =
      "import {Command} from '@oclif/core'\nexport default class Stale extends " +
      "Command { async run() { this.log('STALE BUILD') } }\n"
    writeFileSync(join(project, 'dist', 'commands', 'event-types.js'), stale)
    writeFileSync(join(project, 'dist', 'commands', 'stale-only.js'), stale)
    const command = (id: string) => ({
      aliases: [],
      args: {},
      flags: {},
      hidden: false,
      id,
      isESM: true,
      pluginName: 'okta-hooks',
      pluginType: 'core',
      relativePath: ['dist', 'commands', `${id}.js`],
    })
    writeFileSync(
      join(project, 'oclif.manifest.json'),
      JSON.stringify({
        commands: {'event-types': command('event-types'), 'stale-only': command('stale-only')},
        version: VERSION,
      }),
    )
  })

  after(() => rmSync(project, {force: true, recursive: true}))

  const dev = (args: string[]) => {
    const result = spawnSync(process.execPath, [join(project, 'bin', 'dev.js'), ...args], {
      cwd: project,
      encoding: 'utf8',
      env: {...process.env, CI: '1'},
    })
    return {code: result.status, stderr: result.stderr, stdout: result.stdout}
  }

  it('runs the commands of src/, not the stale dist/ and manifest of a build', () => {
    const run = dev(['event-types', 'user.lifecycle.create', '--json'])
    expect(run.code, run.stderr).to.equal(0)
    expect(JSON.parse(run.stdout)).to.deep.include({count: 1})
    expect(run.stdout).to.not.contain('STALE BUILD')
    const stale = dev(['stale-only'])
    expect(stale.code).to.equal(2)
    expect(stale.stderr).to.contain('okta-hooks stale-only: no such command.')
  })

  it('answers --version --json (the init hook from src/hooks) with one JSON document', () => {
    const run = dev(['--json', '--version'])
    expect(run.code, run.stderr).to.equal(0)
    expect(JSON.parse(run.stdout)).to.deep.equal({
      arch: process.arch,
      name: 'okta-hooks',
      node: process.version,
      platform: process.platform,
      version: VERSION,
    })
  })
})
