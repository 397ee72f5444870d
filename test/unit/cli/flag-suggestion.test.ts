import {expect} from 'chai'

import {longFlags, withFlagSuggestion} from '../../../src/cli/flag-suggestion.js'
import List from '../../../src/commands/list.js'
import {CliError} from '../../../src/lib/errors.js'
import {runCommand} from '../../helpers/run-command.js'

describe('cli/flag-suggestion', () => {
  it("a mistyped flag: the closest of the command's flags, exit 2; under --json in the error document", async () => {
    const human = await runCommand(List, ['--stauts', 'ACTIVE'])
    expect(human.exitCode).to.equal(2)
    expect(human.stderr).to.contain('Nonexistent flag: --stauts. Did you mean --status?').and.contain('Try: See --help')
    const json = await runCommand(List, ['--verfication', 'VERIFIED', '--json'])
    expect(json.exitCode).to.equal(2)
    expect(json.json.error).to.deep.include({code: 'USAGE', details: {didYouMean: '--verification'}, exitCode: 2})
    process.exitCode = undefined
  })

  it('a value that is not one of the options: the closest option', async () => {
    const {exitCode, stderr} = await runCommand(List, ['--status', 'actve'])
    expect(exitCode).to.equal(2)
    expect(stderr).to.contain('Expected --status=actve to be one of: ACTIVE, INACTIVE. Did you mean ACTIVE?')
  })

  it('several unknown flags each get theirs; nothing close is left as oclif says it', () => {
    const definitions = {status: {options: ['ACTIVE']}, wide: {}}
    const several = withFlagSuggestion(
      Object.assign(new Error('Nonexistent flags: --stauts=X, --wid\nSee more help with --help'), {
        flags: ['--stauts=X', '--wid'],
        oclif: {exit: 2},
      }),
      definitions,
      true,
    ) as CliError
    expect(several.message).to.equal(
      'Nonexistent flags: --stauts=X, --wid. --stauts=X: did you mean --status? --wid: did you mean --wide?',
    )
    expect(several.details).to.deep.equal({didYouMean: {'--stauts=X': '--status', '--wid': '--wide'}})
    const far = withFlagSuggestion(
      Object.assign(new Error('Nonexistent flag: -z'), {flags: ['-z'], oclif: {exit: 2}}),
      definitions,
      true,
    ) as CliError
    expect([far.message, far.exitCode, far.details]).to.deep.equal(['Nonexistent flag: -z', 2, undefined])
    const other = new Error('boom')
    expect(withFlagSuggestion(other, definitions, true)).to.equal(other)
    const noOption = Object.assign(new Error('Expected --status=zzzzzz to be one of: ACTIVE'), {oclif: {exit: 2}})
    expect(withFlagSuggestion(noOption, definitions, true)).to.equal(noOption)
  })

  it('a missing required flag is named with its description, exit 2 (several: one line each)', async () => {
    const Replay = (await import('../../../src/commands/replay.js')).default
    const {exitCode, stderr} = await runCommand(Replay, ['who1', '--since', '1h'])
    expect(exitCode).to.equal(2)
    expect(stderr).to.contain('Error: --until is required: End of the window: ISO 8601, relative, or now.')
    expect(stderr).not.to.contain('The following error occurred')
    const several = withFlagSuggestion(
      Object.assign(
        new Error('The following errors occurred:\n  Missing required flag since\n  Missing required flag to'),
        {oclif: {exit: 2}},
      ),
      {since: {description: 'Start.'}},
      true,
    ) as CliError
    expect([several.message, several.details]).to.deep.equal([
      '--since is required: Start.\n--to is required.',
      {missingFlags: ['--since', '--to']},
    ])
  })

  it('knows --no-X of allowNo flags, aliases, --json and --help', () => {
    expect(longFlags({color: {allowNo: true}, name: {aliases: ['title']}}, true)).to.deep.equal([
      '--color',
      '--no-color',
      '--name',
      '--title',
      '--json',
      '--help',
    ])
    expect(longFlags({}, false)).to.deep.equal(['--help'])
  })
})
