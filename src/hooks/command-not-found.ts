/**
 * oclif command_not_found hook: a mistyped command or topic (`okta-hooks lst`, `deliveries lst`)
 * gets "Did you mean `list`?" and exit 2, as a usage error (a JSON error document under --json),
 * instead of oclif's "command deliveries:lst not found". The candidates are the manifest's
 * commands and topics, so the suggestion never names something that does not exist.
 */
import type {Hook} from '@oclif/core'

import {CliError} from '../lib/errors.js'
import {ExitCode} from '../lib/exit-codes.js'
import {closestMatch} from '../lib/suggest.js'

const hook: Hook<'command_not_found'> = async function ({id}) {
  const {bin, commands, topics} = this.config
  const typed = id.split(':').join(' ')
  const phrases = [
    ...commands.filter((c) => !c.hidden).map((c) => c.id),
    ...topics.filter((t) => !t.hidden).map((t) => t.name),
  ]
  const meant = closestMatch(
    typed,
    phrases.map((phrase) => phrase.split(':').join(' ')),
  )
  throw new CliError(`${bin} ${typed}: no such command.${meant ? ` Did you mean \`${meant}\`?` : ''}`, {
    code: 'USAGE',
    ...(meant ? {details: {didYouMean: meant}} : {}),
    exitCode: ExitCode.Usage,
    suggestions: meant ? [`${bin} ${meant} --help shows what it does`] : [`${bin} --help lists the commands`],
  })
}

export default hook
