/**
 * bin/run.js answers --help from the build's cache (scripts/build-help-cache.mjs): its output must be
 * byte for byte what oclif itself prints (OKTA_HOOKS_NO_FAST_PATH=1), at 80, 120 and 200 columns, in
 * a real terminal (a pty from script(1)) with colour and with NO_COLOR, and piped.
 */
import {expect} from 'chai'
import {spawnSync} from 'node:child_process'

import {assertBuilt, BIN, Workspace} from './helpers/cli.js'

const PAGES = [[], ['list'], ['create'], ['deliveries'], ['deliveries', 'list'], ['sandbox', 'start']]

describe("e2e: help from the build-time cache is oclif's own", function () {
  this.timeout(120_000)
  let workspace: Workspace
  before(() => {
    assertBuilt()
    workspace = new Workspace('help')
  })
  after(() => workspace.remove())

  /** stdout of `okta-hooks ARGS`: piped, or in a pty of `columns` columns (script(1)). */
  function run(
    args: string[],
    options: {columns?: number; env?: Record<string, string | undefined>; fast: boolean},
  ): string {
    const env: Record<string, string | undefined> = {...workspace.env(options.env), NO_COLOR: undefined, ...options.env}
    if (options.fast) env.OKTA_HOOKS_FAST_PATH_ONLY = '1'
    else env.OKTA_HOOKS_NO_FAST_PATH = '1'
    const command = [process.execPath, BIN, ...args].map((word) => `'${word}'`).join(' ')
    const result = options.columns
      ? spawnSync('script', ['-qec', `stty cols ${options.columns} rows 50; ${command}`, '/dev/null'], {
          encoding: 'utf8',
          env,
        })
      : spawnSync(process.execPath, [BIN, ...args], {encoding: 'utf8', env})
    expect(result.status, `${args.join(' ')}: ${result.stderr}${result.stdout.slice(0, 500)}`).to.equal(0)
    return result.stdout
  }

  const same = (args: string[], options: {columns?: number; env?: Record<string, string | undefined>}) => {
    const fast = run(args, {...options, fast: true})
    expect(fast, `${args.join(' ')} ${JSON.stringify(options)}`).to.equal(run(args, {...options, fast: false}))
    return fast
  }

  it('at a terminal of 80, 120 and 200 columns, with colour: bold headings, wrapped to that width', () => {
    for (const columns of [80, 120, 200]) {
      for (const page of PAGES) {
        // (not CI=1, with which oclif's supports-color turns colour off)
        const text = same([...page, '--help'], {columns, env: {CI: undefined}})
        expect(text).to.contain('\u001B[1m')
      }
    }

    same(['list', '--help'], {columns: 120, env: {CI: '1'}})
    const wide = run(['create', '--help'], {columns: 200, fast: true})
    expect(Math.max(...wide.split(/\r?\n/).map((line) => line.length))).to.be.greaterThan(
      100,
      'a wide terminal gets wide help',
    )
  })

  it('at a terminal with NO_COLOR, piped (80 columns, no colour), with OCLIF_COLUMNS, and via `help <command>`', () => {
    for (const page of PAGES) {
      expect(same([...page, '--help'], {columns: 120, env: {NO_COLOR: '1'}})).not.to.contain('\u001B[')
      expect(same([...page, '--help'], {})).not.to.contain('\u001B[')
      same([...page, '-h'], {env: {OCLIF_COLUMNS: '150'}})
      same([...page, '--help'], {env: {FORCE_COLOR: '1', OCLIF_COLUMNS: '200'}})
    }

    same(['help', 'deliveries', 'list'], {columns: 120})
  })

  it('at any width: a spread from 40 to 700 columns, where the longest page stops changing', () => {
    for (const columns of [40, 41, 57, 99, 133, 251, 333, 520, 700])
      same(['preview', '--help'], {env: {OCLIF_COLUMNS: String(columns)}})
  })
})
