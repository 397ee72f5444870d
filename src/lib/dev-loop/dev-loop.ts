/**
 * One `listen --register` session against a real org: the user's tunnel (or the public URL they
 * gave), the dev hook registered and verified while listen answers, and at the end the hook
 * removed (or kept, with --keep) and the tunnel stopped. Knows nothing of oclif: the command gives
 * it a way to reach Okta (connected only now) and a place for progress lines.
 */
import type {AuthHeader} from '../hooks/auth-secret.js'
import type {EventHooksApi} from '../hooks/event-hooks-api.js'
import {label} from '../hooks/lifecycle.js'
import type {EventHook} from '../hooks/types.js'
import {devHookBody, devHookUri, registerDevHook, removeDevHook} from './dev-hook.js'
import {startTunnel, type Tunnel, type TunnelExit} from './tunnel.js'

export interface DevLoopOptions {
  /** Okta, connected on first use. */
  api: () => Promise<EventHooksApi>
  auth: AuthHeader
  events: string[]
  keep: boolean
  listenPath: string
  listenPort: number
  name: string
  /** Progress the user should see. */
  notice: (line: string) => void
  /** --public-url, when the user runs the tunnel or proxy. */
  publicUrl?: string
  /** --tunnel, when okta-hooks starts it. */
  tunnel?: {command: string; timeoutMs: number}
}

export interface DevHookInfo {
  events: string[]
  id: string
  name: string
  /** Where Okta sends: the public URL plus listen's path. */
  uri: string
}

export interface DevLoopEnd {
  hook?: {id: string; kept: boolean; name: string; removed: boolean}
  /** Set when removing the hook failed: what went wrong (the hook is left in the org). */
  removalError?: string
}

export class DevLoop {
  hook?: EventHook
  tunnel?: Tunnel
  private api?: EventHooksApi

  constructor(private readonly options: DevLoopOptions) {}

  /** Resolves when the tunnel's process ends by itself (never without --tunnel). */
  get tunnelExited(): Promise<TunnelExit> {
    return this.tunnel?.exited ?? new Promise(() => {})
  }

  /**
   * Starts the tunnel (if any), then registers and verifies the dev hook. `signal` (listen was
   * stopped) cuts the wait for the tunnel short; a registration under way is finished, so that
   * end() removes what it made.
   */
  async start(signal?: AbortSignal): Promise<DevHookInfo> {
    const {options} = this
    const {notice} = options
    let publicUrl = options.publicUrl
    if (options.tunnel) {
      this.tunnel = await startTunnel({
        command: options.tunnel.command,
        port: options.listenPort,
        signal,
        timeoutMs: options.tunnel.timeoutMs,
      })
      publicUrl = this.tunnel.publicUrl
      notice(`Tunnel: \`${this.tunnel.command}\` → ${publicUrl}`)
    }

    const uri = devHookUri(publicUrl as string, options.listenPath)
    const {body, warnings} = devHookBody({
      auth: options.auth,
      events: options.events,
      name: options.name,
      uri,
      uriFlag: options.tunnel ? "The tunnel's URL" : '--public-url',
    })
    for (const warning of warnings) notice(`Warning: ${warning}`)
    this.api = await options.api()
    const registration = await registerDevHook(this.api, body, (step, hook) => {
      if (step === 'created') notice(`Created the dev hook ${label(hook)}.`)
      else if (step === 'replaced') notice(`Reusing the dev hook ${label(hook)} an earlier session left behind.`)
      else if (step === 'removed-duplicate') notice(`Removed a duplicate dev hook ${label(hook)}.`)
      else notice(`Okta is verifying ${uri} …`)
    })
    this.hook = registration.hook
    return {events: body.events.items, id: registration.hook.id, name: registration.hook.name, uri}
  }

  /** Removes the dev hook (unless --keep) and stops the tunnel. Never throws: a failed removal is reported in the result. */
  async end(): Promise<DevLoopEnd> {
    const {hook} = this
    const result: DevLoopEnd = {}
    if (hook && this.api) {
      result.hook = {id: hook.id, kept: this.options.keep, name: hook.name, removed: false}
      if (!this.options.keep) {
        try {
          await removeDevHook(this.api, hook)
          result.hook.removed = true
        } catch (error) {
          result.removalError = (error as Error).message
        }
      }
    }

    await this.tunnel?.stop()
    return result
  }
}
