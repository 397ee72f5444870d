/**
 * What `listen --register` needs, checked offline before anything listens or calls Okta: the event
 * types, the dev hook's name, the public URL or the tunnel command, and its auth header. Loaded by
 * listen only with --register. No oclif here.
 */
import {randomBytes} from 'node:crypto'

import {parseEventTypes} from '../catalog/event-types.js'
import {usageError} from '../errors.js'
import {
  type AuthHeader,
  type AuthInputs,
  DEFAULT_AUTH_HEADER,
  hasAuthSecretSource,
  resolveAuthHeader,
} from '../hooks/auth-secret.js'
import {checkName, checkUrl} from '../hooks/hook-builder.js'
import {registerAuthSecret} from '../secrets/registry.js'
import {defaultDevHookName} from './dev-hook.js'
import {DEFAULT_TUNNEL_TIMEOUT_MS} from './tunnel.js'

export interface RegisterInputs {
  auth: AuthInputs
  events?: string[]
  keep?: boolean
  name?: string
  publicUrl?: string
  tunnel?: string
  /** Milliseconds the tunnel command has to print its public URL. */
  tunnelTimeoutMs?: number
}

export interface RegisterPlan {
  auth: AuthHeader
  events: string[]
  keep: boolean
  name: string
  publicUrl?: string
  tunnel?: {command: string; timeoutMs: number}
}

export async function registerPlan(inputs: RegisterInputs): Promise<RegisterPlan> {
  if (!inputs.events?.length)
    throw usageError('--register needs the event types the dev hook subscribes to: --event TYPE.', [
      'e.g. --event user.lifecycle.create (find types with `okta-hooks event-types <word>`)',
    ])
  if (!inputs.tunnel && !inputs.publicUrl) {
    throw usageError(
      '--register needs the public URL Okta will call: --tunnel "CMD" (okta-hooks starts your tunnel) or --public-url URL (one you run).',
      ['e.g. --tunnel "ngrok http {port}" or --tunnel "cloudflared tunnel --url http://127.0.0.1:{port}"'],
    )
  }

  const events = parseEventTypes(inputs.events)
  const name = checkName(inputs.name ?? defaultDevHookName())
  if (inputs.publicUrl) checkUrl(inputs.publicUrl, '--public-url')
  const timeoutMs = inputs.tunnelTimeoutMs ?? DEFAULT_TUNNEL_TIMEOUT_MS
  const tunnel = inputs.tunnel ? {command: inputs.tunnel, timeoutMs} : undefined
  return {
    auth: await devHookAuth(inputs.auth),
    events,
    keep: Boolean(inputs.keep),
    name,
    publicUrl: inputs.publicUrl,
    tunnel,
  }
}

/**
 * The dev hook's auth header: the secret given with the auth flags (so that an app behind
 * --forward-to sees what it expects), else a fresh random one that is never shown.
 */
async function devHookAuth(inputs: AuthInputs): Promise<AuthHeader> {
  if (hasAuthSecretSource(inputs)) return (await resolveAuthHeader(inputs, {required: true})) as AuthHeader
  const value = randomBytes(32).toString('base64url')
  registerAuthSecret(value, "The dev hook's auth secret")
  return {key: inputs.header || DEFAULT_AUTH_HEADER, value}
}
