/**
 * The one --json failure mechanism of the base command: a failure is a document with a top-level
 * `error`; a verdict command's result stays beside it; a stream's failure is one more NDJSON line;
 * a zero exit never has `error`; and a command that set a failing exit code without throwing still
 * gets an `error` (the safety net).
 */
import {Flags} from '@oclif/core'
import {expect} from 'chai'

import {BaseCommand, isCi} from '../../../src/cli/base-command.js'
import {checkFailedError} from '../../../src/lib/errors.js'
import {runCommand} from '../../helpers/run-command.js'

class Verdict extends BaseCommand<typeof Verdict> {
  static override flags = {pass: Flags.boolean()}

  async run(): Promise<{accepted: boolean; tried: number}> {
    const result = {accepted: Boolean(this.flags.pass), tried: 2}
    if (!result.accepted) throw checkFailedError('It was refused.', {code: 'REFUSED', result})
    return result
  }
}

class Stream extends BaseCommand<typeof Stream> {
  protected override jsonLines(): boolean {
    return true
  }

  async run(): Promise<void> {
    this.jsonLine({type: 'ready'})
    throw checkFailedError('The stream broke.', {code: 'BROKEN'})
  }
}

class MayAsk extends BaseCommand<typeof MayAsk> {
  async run(): Promise<{canPrompt: boolean}> {
    return {canPrompt: this.canPrompt()}
  }
}

class SetsExitCode extends BaseCommand<typeof SetsExitCode> {
  async run(): Promise<{done: number}> {
    process.exitCode = 5
    return {done: 1}
  }
}

describe('cli/base-command: one --json contract for every failure', () => {
  it('a verdict command keeps its result beside `error`; its success has no `error`', async () => {
    const failed = await runCommand(Verdict, ['--json'])
    expect(failed.exitCode).to.equal(5)
    expect(failed.json).to.deep.equal({
      accepted: false,
      error: {code: 'REFUSED', exitCode: 5, message: 'It was refused.'},
      tried: 2,
    })
    expect(failed.stderr).to.equal('')
    const passed = await runCommand(Verdict, ['--json', '--pass'])
    expect(passed.exitCode).to.equal(0)
    expect(passed.json).to.deep.equal({accepted: true, tried: 2})
  })

  it('without --json the failure is a message on stderr, and stdout stays empty', async () => {
    const {exitCode, stderr, stdout} = await runCommand(Verdict, [])
    expect(exitCode).to.equal(5)
    expect(stderr).to.equal('Error: It was refused.\n')
    expect(stdout).to.equal('')
  })

  it('a stream ends with one compact NDJSON line holding `error`', async () => {
    const {exitCode, stdout} = await runCommand(Stream, ['--json'])
    expect(exitCode).to.equal(5)
    expect(stdout.split('\n')).to.deep.equal([
      '{"type":"ready"}',
      '{"error":{"code":"BROKEN","message":"The stream broke.","exitCode":5}}',
      '',
    ])
  })

  it('a failing exit code set without throwing still gets `error` beside the result', async () => {
    const {exitCode, json} = await runCommand(SetsExitCode, ['--json'])
    expect(exitCode).to.equal(5)
    expect(json).to.deep.equal({
      done: 1,
      error: {code: 'FAILED', exitCode: 5, message: 'setsexitcode failed (exit 5).'},
    })
  })

  it('a parse error is the error document too (exit 2)', async () => {
    const {exitCode, json} = await runCommand(Verdict, ['--json', '--no-such-flag'])
    expect(exitCode).to.equal(2)
    expect(json.error).to.include({code: 'USAGE', exitCode: 2, message: 'Nonexistent flag: --no-such-flag'})
  })
})

describe('cli/base-command: CI', () => {
  it('counts CI as set unless it is empty, false or 0 (any case)', () => {
    for (const value of ['true', '1', 'yes', 'TRUE', 'github-actions']) expect(isCi({CI: value}), value).to.equal(true)
    for (const value of [undefined, '', ' ', 'false', 'False', 'FALSE', '0'])
      expect(isCi({CI: value}), String(value)).to.equal(false)
  })

  it('a person at a terminal is asked with CI=false or CI=0, never with CI=true', async () => {
    const saved = {err: process.stderr.isTTY, in: process.stdin.isTTY}
    Object.defineProperty(process.stdin, 'isTTY', {configurable: true, value: true})
    Object.defineProperty(process.stderr, 'isTTY', {configurable: true, value: true})
    try {
      const asks = async (CI: string | undefined) => (await runCommand(MayAsk, [], {env: {CI}})).result!.canPrompt
      expect(await asks(undefined)).to.equal(true)
      expect(await asks('false')).to.equal(true)
      expect(await asks('0')).to.equal(true)
      expect(await asks('')).to.equal(true)
      expect(await asks('true')).to.equal(false)
      expect(await asks('1')).to.equal(false)
    } finally {
      Object.defineProperty(process.stdin, 'isTTY', {configurable: true, value: saved.in})
      Object.defineProperty(process.stderr, 'isTTY', {configurable: true, value: saved.err})
    }
  })
})
