/**
 * The hook's auth header: its name, and its secret value from an environment variable, stdin or a
 * hidden prompt; never from argv. `--basic-auth-user` builds `Basic base64(user:password)`.
 * The same sources serve every command that sends or expects the header (create, update,
 * preview, replay, listen, check-endpoint).
 */
import {usageError} from '../errors.js'
import {readStdinOnce} from '../io/stdin.js'
import {registerAuthSecret, registerSecret} from '../secrets/registry.js'

export interface AuthInputs {
  basicUser?: string
  /** Header name; Okta's default is Authorization. */
  header?: string
  secretEnv?: string
  secretStdin?: boolean
}

export interface AuthHeader {
  key: string
  /** The whole header value (for Basic: "Basic base64(user:pass)"). A secret. */
  value: string
}

export const DEFAULT_AUTH_HEADER = 'Authorization'
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/

/** Whether the user gave any source for a secret. */
export function hasAuthSecretSource(inputs: AuthInputs): boolean {
  return Boolean(inputs.secretEnv || inputs.secretStdin || inputs.basicUser)
}

export function checkHeaderName(name: string, flag = '--auth-header'): string {
  if (!TOKEN.test(name))
    throw usageError(`${flag} "${name}" is not a valid HTTP header name.`, [
      'Use letters, digits and dashes, e.g. X-Hook-Secret',
    ])
  return name
}

/**
 * Resolves the auth header, or undefined when no source was given and nobody can be asked.
 * `ask` (present only when a person is at a terminal) is called for a hidden prompt.
 * With `required`, a missing secret is a usage error naming the flags.
 */
export async function resolveAuthHeader(
  inputs: AuthInputs,
  options: {ask?: (message: string) => Promise<string>; env?: NodeJS.ProcessEnv; required?: boolean} = {},
): Promise<AuthHeader | undefined> {
  const env = options.env ?? process.env
  const key = checkHeaderName(inputs.header || DEFAULT_AUTH_HEADER)
  if (inputs.secretEnv && inputs.secretStdin) {
    throw usageError('Give the auth secret one way: --auth-secret-env or --auth-secret-stdin, not both.')
  }

  let secret: string | undefined
  if (inputs.secretEnv) {
    secret = env[inputs.secretEnv]
    if (!secret) {
      throw usageError(`--auth-secret-env ${inputs.secretEnv}: that environment variable is not set or is empty.`, [
        `export ${inputs.secretEnv}=... first (the name of the variable goes on the command line, never the secret)`,
      ])
    }
  } else if (inputs.secretStdin) {
    secret = await readStdinOnce('--auth-secret-stdin')
  } else if (options.ask && (inputs.basicUser || options.required)) {
    secret = await options.ask(
      inputs.basicUser ? `Password for ${inputs.basicUser} (hidden)` : `Value of the ${key} header (hidden)`,
    )
  }

  if (!secret) {
    if (inputs.basicUser || options.required) {
      throw usageError(
        inputs.basicUser
          ? `--basic-auth-user ${inputs.basicUser} needs a password.`
          : `The ${key} header needs a secret value.`,
        ['Give it with --auth-secret-env VAR or --auth-secret-stdin (or run at a terminal to be asked, hidden)'],
      )
    }

    return undefined
  }

  registerAuthSecret(
    secret,
    inputs.basicUser ? `The password for ${inputs.basicUser}` : `The secret of the ${key} header`,
  )
  const value = inputs.basicUser ? `Basic ${Buffer.from(`${inputs.basicUser}:${secret}`).toString('base64')}` : secret
  registerSecret(value)
  return {key, value}
}
