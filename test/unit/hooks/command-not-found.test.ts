import {expect} from 'chai'

import hook from '../../../src/hooks/command-not-found.js'
import {CliError} from '../../../src/lib/errors.js'

const config = {
  bin: 'okta-hooks',
  commands: [{id: 'list'}, {id: 'listen'}, {id: 'deliveries:list'}, {hidden: true, id: 'secret-thing'}],
  topics: [{name: 'deliveries'}, {name: 'sandbox'}],
}

async function refusal(id: string): Promise<CliError> {
  try {
    await (hook as any).call({config}, {argv: [], config, id})
  } catch (error) {
    return error as CliError
  }

  throw new Error('expected the hook to throw')
}

describe('hooks/command-not-found', () => {
  it('names the closest command or topic, in the words the user types, as a usage error', async () => {
    const error = await refusal('deliveries:lst')
    expect(error).to.be.instanceOf(CliError)
    expect([error.message, error.code, error.exitCode]).to.deep.equal([
      'okta-hooks deliveries lst: no such command. Did you mean `deliveries list`?',
      'USAGE',
      2,
    ])
    expect(error.details).to.deep.equal({didYouMean: 'deliveries list'})
    expect(error.suggestions).to.deep.equal(['okta-hooks deliveries list --help shows what it does'])
    expect((await refusal('sandbx')).details).to.deep.equal({didYouMean: 'sandbox'})
  })

  it('suggests nothing when nothing is close, nor a hidden command', async () => {
    const error = await refusal('secret-thin')
    expect(error.message).to.equal('okta-hooks secret-thin: no such command.')
    expect(error.details).to.equal(undefined)
    expect(error.suggestions).to.deep.equal(['okta-hooks --help lists the commands'])
  })
})
