/**
 * The auth header a preview or replay sends. Okta never returns a hook's secret, so it comes from
 * the shared auth flags (or a hidden prompt at a terminal); `--no-auth` sends none. A hook with an
 * auth scheme and no way to get its secret is a usage error naming the flags.
 */
import {usageError} from '../errors.js'
import {type AuthHeader, type AuthInputs, hasAuthSecretSource, resolveAuthHeader} from '../hooks/auth-secret.js'
import {MASK} from '../secrets/mask.js'
import type {EventHook} from '../hooks/types.js'

export interface DeliveryAuthOptions {
  /** Present only when a person can answer a hidden prompt. */
  ask?: (message: string) => Promise<string>
  /** Nothing is sent: a missing secret is shown masked rather than asked for. */
  dryRun?: boolean
  env?: NodeJS.ProcessEnv
  noAuth?: boolean
}

export async function resolveDeliveryAuth(
  hook: EventHook | undefined,
  inputs: AuthInputs,
  options: DeliveryAuthOptions,
): Promise<AuthHeader | undefined> {
  if (options.noAuth) {
    if (hasAuthSecretSource(inputs))
      throw usageError(
        '--no-auth sends no auth header: drop it, or drop --auth-secret-env/--auth-secret-stdin/--basic-auth-user.',
      )
    return undefined
  }

  const scheme = hook?.channel?.config?.authScheme ?? undefined
  const named = {...inputs, header: inputs.header ?? scheme?.key}
  if (hasAuthSecretSource(inputs)) return resolveAuthHeader(named, {ask: options.ask, env: options.env, required: true})
  if (!scheme) return undefined
  if (options.dryRun && !options.ask) return {key: scheme.key || 'Authorization', value: MASK}
  if (!options.ask) {
    throw usageError(`The hook sends a ${scheme.key} header, and Okta never returns its secret.`, [
      'Give it with --auth-secret-env VAR, --auth-secret-stdin, or --basic-auth-user USER (password from either)',
      'Or pass --no-auth to send no auth header',
    ])
  }

  return resolveAuthHeader(named, {ask: options.ask, env: options.env, required: true})
}
