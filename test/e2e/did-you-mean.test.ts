/**
 * Help when the user slips, from the built binary: a mistyped command or topic and a mistyped flag
 * or flag value name the closest real one and exit 2; under --json each is the error document.
 */
import {expect} from 'chai'

import {schemaProblems} from '../helpers/json-contract.js'
import {assertBuilt, describeRun, runCli, Workspace} from './helpers/cli.js'

describe('e2e: did you mean', function () {
  let workspace: Workspace
  before(() => {
    assertBuilt()
    workspace = new Workspace('did-you-mean')
  })
  after(() => workspace.remove())

  const run = (args: string[]) => runCli(args, {env: workspace.env()})

  it('a mistyped command or topic: "Did you mean `list`?" on stderr, exit 2; never the internal id deliveries:lst', async () => {
    const cases: [string[], string][] = [
      [['lst'], 'Did you mean `list`?'],
      [['deliveries', 'lst'], 'Did you mean `deliveries list`?'],
      [['sandbx', 'start'], 'Did you mean `sandbox start`?'],
      [['delivries'], 'Did you mean `deliveries`?'],
    ]
    for (const [args, hint] of cases) {
      const result = await run(args)
      expect(result.code, describeRun(result)).to.equal(2)
      expect(result.stderr).to.contain(hint).and.not.contain(':lst')
      expect(result.stdout).to.equal('')
    }

    const nothing = await run(['zzzzzz'])
    expect(nothing.code).to.equal(2)
    expect(nothing.stderr)
      .to.contain('okta-hooks zzzzzz: no such command.')
      .and.contain('okta-hooks --help')
      .and.not.contain('Did you mean')
  })

  it('a mistyped flag names the closest flag, a wrong option value the closest option; exit 2', async () => {
    const flag = await run(['list', '--stauts', 'ACTIVE'])
    expect(flag.code, describeRun(flag)).to.equal(2)
    expect(flag.stderr).to.contain('Nonexistent flag: --stauts. Did you mean --status?')
    const value = await run(['list', '--status', 'ACTVE'])
    expect(value.code).to.equal(2)
    expect(value.stderr).to.contain('Did you mean ACTIVE?')
  })

  it('under --json: each is the error document (schemas/error.json) with details.didYouMean', async () => {
    for (const [args, meant] of [
      [['deliveries', 'lst', '--json'], 'deliveries list'],
      [['list', '--stauts', '--json'], '--status'],
    ] as const) {
      const result = await run([...args])
      expect(result.code, describeRun(result)).to.equal(2)
      expect(schemaProblems('error.json', result.json())).to.deep.equal([])
      expect(result.json().error).to.include({code: 'USAGE', exitCode: 2})
      expect(result.json().error.details).to.deep.equal({didYouMean: meant})
    }
  })
})
