/**
 * The one duration flag: every form on a real command line, each flag's bounds named in the
 * error, and help that shows each default as it would be typed; and which commands have which
 * of the two timeouts.
 */
import {expect} from 'chai'
import {readdirSync} from 'node:fs'
import {join} from 'node:path'
import {fileURLToPath, pathToFileURL} from 'node:url'

import {BaseCommand} from '../../../src/cli/base-command.js'
import {commaList, durationFlag} from '../../../src/cli/flags.js'
import {runCommand} from '../../helpers/run-command.js'

class Waits extends BaseCommand<typeof Waits> {
  static override flags = {
    pause: durationFlag({description: 'A pause.', max: 3_600_000, min: 0}),
    wait: durationFlag({default: 3000, description: 'A wait.', max: 7_200_000, min: 100}),
  }

  async run(): Promise<{pause?: number; wait: number}> {
    return {pause: this.flags.pause, wait: this.flags.wait}
  }
}

const COMMANDS = fileURLToPath(new URL('../../../src/commands', import.meta.url))

/** Every command class of src/commands, by id. */
async function commands(dir = COMMANDS, prefix: string[] = []): Promise<[string, any][]> {
  const found: [string, any][] = []
  for (const entry of readdirSync(dir, {withFileTypes: true})) {
    if (entry.isDirectory()) found.push(...(await commands(join(dir, entry.name), [...prefix, entry.name])))
    else if (entry.name.endsWith('.ts')) {
      const {default: Cmd} = await import(pathToFileURL(join(dir, entry.name)).href)
      found.push([[...prefix, entry.name.replace(/\.ts$/, '')].join(' '), Cmd])
    }
  }

  return found
}

/** The help default of every duration flag (the ones whose value is DURATION), per command. */
async function durationDefaults(): Promise<Record<string, Record<string, string | undefined>>> {
  const out: Record<string, Record<string, string | undefined>> = {}
  for (const [id, Cmd] of await commands()) {
    for (const [name, flag] of Object.entries<any>({...Cmd.baseFlags, ...Cmd.flags})) {
      if (flag.helpValue !== 'DURATION') continue
      const shown =
        typeof flag.defaultHelp === 'function' ? await flag.defaultHelp({flags: {}, options: flag}) : flag.defaultHelp
      out[id] = {...out[id], [name]: shown}
    }
  }

  return out
}

describe('cli/flags: the one duration flag', () => {
  it('takes 500ms, 3s, 1.5s, 2m, 1h, and a bare number as seconds, as milliseconds', async () => {
    const cases: [string, number][] = [
      ['500ms', 500],
      ['3s', 3000],
      ['1.5s', 1500],
      ['2m', 120_000],
      ['1h', 3_600_000],
      ['2', 2000],
    ]
    for (const [text, ms] of cases) {
      const {error, result} = await runCommand(Waits, ['--wait', text])
      expect(error, text).to.equal(undefined)
      expect(result!.wait, text).to.equal(ms)
    }

    expect((await runCommand(Waits, [])).result).to.deep.equal({pause: undefined, wait: 3000})
    expect((await runCommand(Waits, ['--pause', '0'])).result!.pause).to.equal(0)
  })

  it("refuses a value out of the flag's bounds or not a duration: exit 2, naming the flag, without oclif's wrapper", async () => {
    const long = await runCommand(Waits, ['--wait', '3h'])
    expect(long.exitCode).to.equal(2)
    expect(long.stderr).to.equal('Error: --wait 3h is too long: it must be at most 2h.\n')
    const short = await runCommand(Waits, ['--wait', '10ms', '--json'])
    expect(short.json.error).to.deep.equal({
      code: 'USAGE',
      exitCode: 2,
      message: '--wait 10ms is too short: it must be at least 100ms.',
    })
    const wrong = await runCommand(Waits, ['--pause', 'soon'])
    expect(wrong.exitCode).to.equal(2)
    expect(wrong.stderr).to.contain(
      'Error: --pause "soon" is not a duration.\n  Try: Give a number and a unit, e.g. --pause 500ms',
    )
  })

  it("help shows every command's duration defaults as typed (3s, 30s, 5s, 1m)", async () => {
    const okta = {timeout: '30s'}
    expect(await durationDefaults()).to.deep.equal({
      activate: okta,
      apply: okta,
      'check-endpoint': {'receiver-timeout': '3s'},
      create: okta,
      deactivate: okta,
      delete: okta,
      'deliveries replay': {'receiver-timeout': '3s'},
      'dev cleanup': okta,
      export: okta,
      'filter test': okta,
      get: okta,
      list: okta,
      listen: {...okta, 'body-timeout': '5s', 'respond-delay': undefined, 'tunnel-timeout': undefined},
      logs: {...okta, interval: '5s'},
      plan: okta,
      preview: {...okta, 'receiver-timeout': '3s'},
      reconcile: {...okta, 'receiver-timeout': '3s'},
      replay: {...okta, 'receiver-timeout': '3s'},
      'sandbox start': {'rate-limit-window': '1m'},
      update: okta,
      verify: okta,
    })
  })

  it("--timeout always means each call to Okta; the receiver's time is --receiver-timeout", async () => {
    for (const [id, Cmd] of await commands()) {
      const flags = {...Cmd.baseFlags, ...Cmd.flags}
      if (flags.timeout)
        expect(flags.timeout.description, id).to.equal(
          'Time allowed for each call to Okta before it is retried or given up.',
        )
      if (flags['receiver-timeout'])
        expect(flags['receiver-timeout'].description, id).to.equal(
          'Time the receiver has to answer each request (Okta: 3s).',
        )
    }
  })

  it('reads repeatable comma lists', () => {
    expect(commaList(['a, b', 'c', ' ,d,'])).to.deep.equal(['a', 'b', 'c', 'd'])
    expect(commaList(undefined)).to.deep.equal([])
  })
})
