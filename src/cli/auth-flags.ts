/** The auth header flags, identical on every command that sends or expects a hook's auth header. */
import {Flags} from '@oclif/core'

import type {AuthInputs} from '../lib/hooks/auth-secret.js'

const AUTH = 'AUTH HEADER'

export const authFlags = {
  'auth-header': Flags.string({
    description: 'Name of the auth header Okta sends (default Authorization).',
    helpGroup: AUTH,
  }),
  'auth-secret-env': Flags.string({
    description: "Name of the environment variable that holds the auth header's value (the secret stays out of argv).",
    exclusive: ['auth-secret-stdin'],
    helpGroup: AUTH,
    helpValue: 'VAR',
  }),
  'auth-secret-stdin': Flags.boolean({
    description: "Read the auth header's value (or the Basic password) from stdin.",
    helpGroup: AUTH,
  }),
  'basic-auth-user': Flags.string({
    description:
      'Use Basic auth: the value becomes "Basic base64(USER:password)", the password ' +
      'from --auth-secret-env, --auth-secret-stdin or a hidden prompt.',
    helpGroup: AUTH,
    helpValue: 'USER',
  }),
}

export function authInputs(flags: Record<string, any>): AuthInputs {
  return {
    basicUser: flags['basic-auth-user'],
    header: flags['auth-header'],
    secretEnv: flags['auth-secret-env'],
    secretStdin: flags['auth-secret-stdin'],
  }
}
