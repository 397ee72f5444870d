/** Entry of bin/run.js: oclif's execute, from the same bundle chunk the commands use. */
import {flush, handle, run} from '@oclif/core'

import {errorDocument, toCliError} from './cli/base-command.js'
import {redactKnownSecrets} from './lib/secrets/registry.js'

export {execute} from '@oclif/core'

/**
 * execute() for a run under --json: a failure oclif meets before any command runs (an unknown
 * command, say) is a JSON error document on stdout too, as every command's failures are.
 */
export async function executeJson(options: {dir: string}): Promise<void> {
  try {
    await run(process.argv.slice(2), options.dir)
    await flush()
  } catch (error) {
    const err = error as {code?: string; oclif?: {exit?: number}}
    if (err?.code === 'EEXIT' || err?.oclif?.exit === 0) {
      await handle(error as Error)
      return
    }

    const cliError = toCliError(error)
    process.stdout.write(redactKnownSecrets(JSON.stringify(errorDocument(cliError), null, 2)) + '\n')
    process.exitCode = cliError.exitCode
  }
}
