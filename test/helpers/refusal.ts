/** The CliError a call throws: fails the test when it throws nothing, or something else. */
import {CliError} from '../../src/lib/errors.js'

export function refusal(run: () => unknown): CliError {
  try {
    run()
  } catch (error) {
    if (error instanceof CliError) return error
    throw new Error(`expected a CliError, got ${String(error)}`)
  }

  throw new Error('expected a CliError, got none')
}
