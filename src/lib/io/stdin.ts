/** Reading secrets and documents from standard input, once per process (tests replace `stdinSource.read`). */
import {usageError} from '../errors.js'

let cached: Promise<string> | undefined
let claimedBy: string | undefined

export const stdinSource = {
  async read(): Promise<string> {
    if (process.stdin.isTTY) {
      throw usageError('Standard input is a terminal, not a pipe.', [
        'Pipe the value in, e.g. `printf %s "$TOKEN" | okta-hooks ...`',
      ])
    }

    const chunks: Buffer[] = []
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
    return Buffer.concat(chunks).toString('utf8')
  },
}

/**
 * The whole of stdin, trimmed of its final newline, for one purpose per run: two flags that both
 * want stdin (say --token-stdin and --auth-secret-stdin) are refused naming both.
 */
export async function readStdinOnce(purpose: string): Promise<string> {
  if (claimedBy && claimedBy !== purpose) {
    throw usageError(
      `Standard input can carry only one value, and ${claimedBy} already reads it; ${purpose} cannot too.`,
      [
        'Give one of the two secrets through an environment variable ' +
          'instead (--auth-secret-env VAR, OKTA_CLIENT_TOKEN)',
      ],
    )
  }

  claimedBy = purpose
  cached ??= stdinSource.read()
  const value = (await cached).replace(/\r?\n$/, '')
  if (!value) throw usageError(`${purpose} was given but standard input was empty.`)
  return value
}

/** For tests. */
export function resetStdin(): void {
  cached = undefined
  claimedBy = undefined
}
