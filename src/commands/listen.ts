import {Flags} from '@oclif/core'

import {authFlags, authInputs} from '../cli/auth-flags.js'
import {toCliError} from '../cli/base-command.js'
import {OktaCommand} from '../cli/okta-command.js'
import {durationFlag} from '../cli/flags.js'
import {RECEIVER_TIMEOUT_MS} from '../lib/delivery/http-delivery.js'
import {formatDuration} from '../lib/duration.js'
import type {DevHookInfo, DevLoop, DevLoopEnd} from '../lib/dev-loop/dev-loop.js'
import type {RegisterPlan} from '../lib/dev-loop/plan.js'
import {CliError, usageError} from '../lib/errors.js'
import {ExitCode} from '../lib/exit-codes.js'
import {resolveAuthHeader} from '../lib/hooks/auth-secret.js'
import {prompter} from '../lib/io/prompter.js'
import {acquireFileLock, takeoverNotice} from '../lib/io/file-lock.js'
import type {Inspector} from '../lib/inspector/inspector.js'
import type {InspectorReplays} from '../lib/inspector/replays.js'
import {DeliveryStore} from '../lib/receiver/delivery-store.js'
import {deliveryId, eventLines} from '../lib/receiver/describe.js'
import {exchangeLine} from '../lib/receiver/exchange-json.js'
import {formatSize, parseAppUrl, parseSize, RECORD_FLAG_DESCRIPTION, storePath} from '../lib/receiver/options.js'
import {
  DEFAULT_PORT,
  type Exchange,
  normalizeListenPath,
  type Receiver,
  type ReceiverOptions,
  type ReceiverStats,
  startReceiver,
} from '../lib/receiver/server.js'
import {cliVersion} from '../lib/version.js'

export interface ListenResult extends ReceiverStats {
  /** With --register: the dev hook, and whether it was removed (or kept with --keep). */
  hook?: NonNullable<DevLoopEnd['hook']>
  record: string
  type: 'summary'
  url: string
}

const REGISTER = 'DEV HOOK (--register)'
const INSPECTOR = 'INSPECTOR'
/** The connection flags that mean something only with --register (--timeout has a default, so it cannot be told apart). */
const CONNECTION_FLAGS = ['client-id', 'key-id', 'org-url', 'private-key-file', 'token-stdin']

export default class Listen extends OktaCommand<typeof Listen> {
  static override description = `Receive event hook calls locally: answers Okta's verification GET, acknowledges deliveries with 204, shows each event, and records every request (secrets masked) for \`deliveries\`.

Prints "Ready: listening on URL" on stderr once it listens, and serves an inspector page on loopback (http://127.0.0.1:8788/ by default: the requests live, each in detail, replay with modifications; a JSON API under /api). With --json, stdout is NDJSON: a {"type":"ready"} line, one line per request (type verification, delivery or other), with --register a {"type":"registered"} line, and a {"type":"summary"} line when it stops (Ctrl-C or SIGTERM).
With --register it works with a real org in one command: through your tunnel (--tunnel "ngrok http {port}", or --public-url of one you run) it creates a temporary dev hook for --event types, has Okta verify it, and removes it when it stops. Only --register talks to Okta, and only it needs the connection flags.`

  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> --register --tunnel "ngrok http {port}" --event user.lifecycle.create --forward-to http://localhost:3000/okta',
    '<%= config.bin %> <%= command.id %> --register --tunnel "cloudflared tunnel --url http://127.0.0.1:{port}" --event user.lifecycle.create,user.lifecycle.deactivate',
    '<%= config.bin %> <%= command.id %> --register --public-url https://hooks-dev.example.com --event group.user_membership.add --keep',
    'HOOK_SECRET=s3cret <%= config.bin %> <%= command.id %> --port 8787 --auth-secret-env HOOK_SECRET',
    '<%= config.bin %> <%= command.id %> --forward-to http://localhost:3000/okta/events --answer-verification',
    '<%= config.bin %> <%= command.id %> --respond-status 500 --respond-delay 4s',
    '<%= config.bin %> <%= command.id %> --port 0 --json | jq -c \'select(.type == "delivery") | .events[]\'',
  ]

  static override flags = {
    ...authFlags,
    'answer-verification': Flags.boolean({
      dependsOn: ['forward-to'],
      description:
        "With --forward-to: answer Okta's verification challenge here and forward only deliveries (for an app with no verification handler, such as Okta's Hookdeck sample).",
    }),
    'forward-to': Flags.string({
      description:
        "Relay every request (verification GET included, unless --answer-verification) to your app and return its answer to the caller, timed against Okta's 3 s budget.",
      exclusive: ['respond-status', 'respond-delay'],
      helpValue: 'URL',
    }),
    host: Flags.string({
      default: '127.0.0.1',
      description:
        'Address to listen on (0.0.0.0 for every interface). The inspector listens on 127.0.0.1 only, whatever this is.',
    }),
    'body-timeout': durationFlag({
      default: 5000,
      description:
        'Cut a request whose body is not finished within this time (408); Okta sends a body at once and gives up after 3s.',
      max: 120_000,
    }),
    event: Flags.string({
      dependsOn: ['register'],
      description: 'Event type the dev hook subscribes to; repeatable, or a comma list (see `okta-hooks event-types`).',
      helpGroup: REGISTER,
      multiple: true,
    }),
    inspect: Flags.boolean({
      allowNo: true,
      default: true,
      description: 'Serve the inspector page and its JSON API on 127.0.0.1 (--no-inspect: none).',
      helpGroup: INSPECTOR,
    }),
    'inspect-port': Flags.integer({
      description:
        'Port of the inspector (default 8788, or any free port when that one is taken; 0 for any free port).',
      helpGroup: INSPECTOR,
      max: 65_535,
      min: 0,
    }),
    keep: Flags.boolean({
      dependsOn: ['register'],
      description: 'Keep the dev hook in the org when listen stops (remove it later with `okta-hooks dev cleanup`).',
      helpGroup: REGISTER,
    }),
    'max-body': Flags.string({
      default: '1MiB',
      description: 'Largest request body accepted; larger ones get 413.',
      helpValue: 'SIZE',
    }),
    name: Flags.string({
      dependsOn: ['register'],
      description: 'Name of the dev hook (default "okta-hooks dev <user>@<host>").',
      helpGroup: REGISTER,
    }),
    path: Flags.string({default: '/', description: 'Path to answer on; other paths get 404.'}),
    port: Flags.integer({
      default: DEFAULT_PORT,
      description: 'Port to listen on (0 for any free port).',
      max: 65_535,
      min: 0,
    }),
    'public-url': Flags.string({
      dependsOn: ['register'],
      description:
        'The https URL at which your tunnel or reverse proxy reaches this listen (plain http only for loopback). Its path, if any, is used as is; otherwise --path is added.',
      exclusive: ['tunnel'],
      helpGroup: REGISTER,
      helpValue: 'URL',
    }),
    record: Flags.string({description: RECORD_FLAG_DESCRIPTION, helpValue: 'PATH'}),
    'record-max': Flags.string({
      default: '100MiB',
      description:
        'Cap of the record: past it, the file is renamed to <file>.1 (replacing an ' +
        'older one) and a new one started; `deliveries` reads both.',
      helpValue: 'SIZE',
    }),
    register: Flags.boolean({
      description:
        'Create a temporary dev hook in the org for --event types, pointing at --public-url or --tunnel, have Okta verify it, and remove it when listen stops. A dev hook an earlier session left behind (same name) is reused.',
      helpGroup: REGISTER,
    }),
    'respond-delay': durationFlag({
      description: 'Wait this long before answering each delivery; past 3s Okta times out.',
      max: 120_000,
      min: 0,
    }),
    'respond-status': Flags.integer({
      description: 'Answer deliveries with this status instead of 204 (e.g. 500 to see Okta retry).',
      max: 599,
      min: 200,
    }),
    tunnel: Flags.string({
      dependsOn: ['register'],
      description:
        "Your tunnel command, started with listen's port for {port} and stopped with it: its first public https URL (or ngrok's local API) is the dev hook's address. E.g. \"ngrok http {port}\".",
      helpGroup: REGISTER,
      helpValue: 'CMD',
    }),
    'tunnel-timeout': durationFlag({
      dependsOn: ['tunnel'],
      description: 'How long the tunnel command has to print its public URL (default 30s).',
      helpGroup: REGISTER,
      max: 600_000,
      min: 1,
    }),
  }

  /** listen --json is NDJSON: its final result (or error) is one compact line too. */
  protected override jsonLines(): boolean {
    return true
  }

  async run(): Promise<ListenResult> {
    const {flags} = this
    const plan = await this.registerPlan()
    const options: ReceiverOptions = {
      answerVerification: flags['answer-verification'],
      auth: plan
        ? plan.auth
        : await resolveAuthHeader(authInputs(flags), {
            ask: this.canPrompt() ? (message) => prompter.password(message) : undefined,
          }),
      bodyTimeoutMs: flags['body-timeout'],
      forwardTo: flags['forward-to'] === undefined ? undefined : parseAppUrl(flags['forward-to'], '--forward-to'),
      host: flags.host,
      maxBodyBytes: parseSize(flags['max-body'], '--max-body'),
      path: normalizeListenPath(flags.path),
      port: flags.port,
      respondDelayMs: flags['respond-delay'],
      respondStatus: flags['respond-status'],
    }
    const store = new DeliveryStore(storePath(flags.record, this.config.dataDir), {
      maxBytes: parseSize(flags['record-max'], '--record-max'),
    })
    store.prepare()
    const lock = acquireFileLock(store.path, {what: '--record file'})
    try {
      const tookOver = takeoverNotice(lock, store.path)
      if (tookOver) this.notice(tookOver)
      return await this.serve(options, store, plan)
    } finally {
      lock.release()
    }
  }

  /**
   * --register's inputs, all checked offline before anything listens or calls Okta; undefined
   * without --register (then no connection flag may be given: they would do nothing).
   */
  private async registerPlan(): Promise<RegisterPlan | undefined> {
    const {flags} = this
    const given = flags as Record<string, unknown>
    if (!flags.register) {
      const stray = CONNECTION_FLAGS.filter((name) => given[name] !== undefined && given[name] !== false)
      if (stray.length > 0)
        throw usageError(`${stray.map((name) => `--${name}`).join(', ')}: listen talks to Okta only with --register.`, [
          'Add --register (with --event and --tunnel or --public-url), or leave the connection flags out',
        ])
      return undefined
    }

    // Loaded only now: plain listen pays nothing for --register.
    const {registerPlan} = await import('../lib/dev-loop/plan.js')
    return registerPlan({
      auth: authInputs(flags),
      events: flags.event,
      keep: flags.keep,
      name: flags.name,
      publicUrl: flags['public-url'],
      tunnel: flags.tunnel,
      tunnelTimeoutMs: flags['tunnel-timeout'],
    })
  }

  /** Receives until Ctrl-C or SIGTERM, recording to `store` (locked by run()). */
  private async serve(
    options: ReceiverOptions,
    store: DeliveryStore,
    plan: RegisterPlan | undefined,
  ): Promise<ListenResult> {
    const {flags} = this
    const {auth, forwardTo} = options
    const json = this.jsonEnabled()
    let replays: InspectorReplays | undefined
    // Loaded only with the inspector, and while the receiver starts: plain listen --no-inspect never pays for it.
    const inspectorModules = flags.inspect
      ? Promise.all([import('../lib/inspector/replays.js'), import('../lib/inspector/inspector.js')])
      : undefined
    inspectorModules?.catch(() => {}) // awaited below; unawaited only when the receiver fails to start first
    const receiver = await startReceiver({
      ...options,
      onExchange: (exchange) =>
        json ? this.jsonLine(exchangeLine(exchange), {serialized: true}) : this.showExchange(exchange),
      onWarning: (message) => this.warnUser(message),
      replayTarget: (token) => replays?.targetFor(token),
      store,
    })
    let inspector: Inspector | undefined
    try {
      if (inspectorModules)
        ({inspector, replays} = await this.startInspector(await inspectorModules, receiver, options, store))
    } catch (error) {
      await receiver.close()
      throw error
    }

    if (!auth) {
      this.warnUser(
        `no auth header configured: anyone who can reach ${receiver.url} can post to it. ` +
          `Expect the one your hook sends with --auth-secret-env VAR (as in create).`,
      )
    }

    // Listening for the stop signal before saying ready: a script may send it as soon as it reads the ready line.
    const stopped = this.waitForStopSignal()
    if (json)
      this.jsonLine({
        ...(inspector ? {inspector: inspector.url} : {}),
        record: store.path,
        type: 'ready',
        url: receiver.url,
      })
    this.notice(`Ready: listening on ${receiver.url}`)
    if (inspector)
      this.notice(
        `Inspector: ${inspector.url} (every request live, in detail, replay with modifications; JSON API under /api)`,
      )
    if (forwardTo)
      this.notice(
        `Forwarding every request${options.answerVerification ? " but Okta's verification (answered here)" : ''} to ${forwardTo}`,
      )
    this.notice(
      `Recording to ${store.path} (rotated to ${store.rotatedPath} past ${formatSize(store.maxBytes)}). Ctrl-C to stop.`,
    )

    const loop = plan ? await this.devLoop(plan, receiver) : undefined
    let failure: unknown
    let signal: string | undefined
    try {
      const hook = loop ? await this.registerHook(loop, stopped, inspector) : undefined
      if (!loop || hook) signal = await this.untilStopped(stopped, loop)
    } catch (error) {
      failure = error
    }

    const end = loop ? await this.endDevLoop(loop) : {}
    await Promise.all([receiver.close(), inspector?.close()])
    const {stats} = receiver
    this.notice(`Stopped${signal ? ` (${signal})` : ''}.`)
    this.log(
      `${plural(stats.requests, 'request')}: ${plural(stats.verifications, 'verification')}, ` +
        `${plural(stats.deliveries, 'delivery', 'deliveries')} with ${plural(stats.events, 'event')}, ` +
        `${plural(stats.failures, 'failure')}.`,
    )
    if (stats.requests > 0)
      this.log(
        `Inspect them with: ${this.config.bin} deliveries list${flags.record ? ` --record ${flags.record}` : ''}`,
      )
    const result: ListenResult = {
      ...stats,
      ...(end.hook ? {hook: end.hook} : {}),
      record: store.path,
      type: 'summary',
      url: receiver.url,
    }
    if (failure && !(failure instanceof CliError && failure.code === 'INTERRUPTED'))
      throw toCliError(failure).withResult(result)
    if (end.removalError) {
      throw new CliError(
        `Could not remove the dev hook ${end.hook?.name} (${end.hook?.id}) from the org: ${end.removalError}`,
        {
          code: 'DEV_HOOK_LEFT',
          exitCode: ExitCode.Remote,
          result,
          suggestions: ['Remove it with `okta-hooks dev cleanup` (or the next `listen --register` reuses it)'],
        },
      )
    }

    return result
  }

  private async startInspector(
    [{InspectorReplays}, {startInspector}]: [
      typeof import('../lib/inspector/replays.js'),
      typeof import('../lib/inspector/inspector.js'),
    ],
    receiver: Receiver,
    options: ReceiverOptions,
    store: DeliveryStore,
  ): Promise<{inspector: Inspector; replays: InspectorReplays}> {
    const endpointHost = ['0.0.0.0', '::', ''].includes(receiver.host) ? '127.0.0.1' : receiver.host
    const endpoint = `http://${endpointHost.includes(':') ? `[${endpointHost}]` : endpointHost}:${receiver.port}${receiver.path}`
    const replays = new InspectorReplays({
      auth: options.auth,
      endpoint,
      forwardTo: options.forwardTo,
      subscribe: (listener) => receiver.subscribe(listener),
    })
    const given = this.flags['inspect-port']
    const inspector = await startInspector({
      exactPort: given !== undefined,
      port: given,
      replays,
      session: {
        answerVerification: Boolean(options.answerVerification),
        defaultReplayTarget: replays.defaultTarget,
        ...(options.forwardTo ? {forwardTo: options.forwardTo} : {}),
        listenUrl: receiver.url,
        record: store.path,
        version: cliVersion(),
      },
      store,
      subscribe: (listener) => receiver.subscribe(listener),
    })
    return {inspector, replays}
  }

  private async devLoop(plan: RegisterPlan, receiver: Receiver): Promise<DevLoop> {
    const [{DevLoop}, {EventHooksApi}] = await Promise.all([
      import('../lib/dev-loop/dev-loop.js'),
      import('../lib/hooks/event-hooks-api.js'),
    ])
    return new DevLoop({
      api: async () => new EventHooksApi(await this.okta()),
      auth: plan.auth,
      events: plan.events,
      keep: plan.keep,
      listenPath: receiver.path,
      listenPort: receiver.port,
      name: plan.name,
      notice: (line) => this.notice(line),
      publicUrl: plan.publicUrl,
      tunnel: plan.tunnel,
    })
  }

  /** Registers the dev hook while listen answers; undefined when listen was stopped first. */
  private async registerHook(
    loop: DevLoop,
    stopped: Promise<NodeJS.Signals>,
    inspector: Inspector | undefined,
  ): Promise<DevHookInfo | undefined> {
    const stop = new AbortController()
    let interrupted = false
    void stopped.then(() => {
      interrupted = true
      stop.abort()
    })
    let hook: DevHookInfo
    try {
      hook = await loop.start(stop.signal)
    } catch (error) {
      throw this.withVerificationHint(toCliError(error))
    }

    if (this.jsonEnabled()) this.jsonLine({hook, type: 'registered'})
    inspector?.update({hook})
    const events = hook.events.join(', ')
    this.notice(
      `Okta now sends ${events} to ${hook.uri} (dev hook "${hook.name}", ${hook.id}: active, verified). ${this.flags.keep ? 'Kept when listen stops (--keep).' : 'Removed when listen stops.'}`,
    )
    return interrupted ? undefined : hook
  }

  /** A failed verification behind --forward-to is most often an app without a verification handler. */
  private withVerificationHint(error: CliError): CliError {
    if (error.code !== 'VERIFICATION_FAILED' || !this.flags['forward-to'] || this.flags['answer-verification'])
      return error
    const hint = `If ${this.flags['forward-to']} has no verification handler (Okta's Hookdeck sample has none), add --answer-verification: listen then answers Okta's challenge itself`
    const {causes, code, details, exitCode, suggestions} = error
    return new CliError(error.message, {causes, code, details, exitCode, suggestions: [hint, ...suggestions]})
  }

  /** The stop signal's name, or a failure when the tunnel ends by itself first. */
  private async untilStopped(stopped: Promise<NodeJS.Signals>, loop: DevLoop | undefined): Promise<NodeJS.Signals> {
    if (!loop?.tunnel) return stopped
    const tunnel = loop.tunnel
    const first = await Promise.race([stopped, tunnel.exited.then((exit) => ({exit}))])
    if (typeof first === 'string') return first
    const how = first.exit.signal ?? `exit ${first.exit.code}`
    throw new CliError(
      `The tunnel command \`${tunnel.command}\` ended by itself (${how}): Okta can no longer reach listen, so it stopped.${tunnel.output() ? ` Its last output:\n${tunnel.output()}` : ''}`,
      {
        code: 'TUNNEL_EXITED',
        exitCode: ExitCode.Remote,
        suggestions: ['Start listen --register again; the same dev hook is reused'],
      },
    )
  }

  private async endDevLoop(loop: DevLoop): Promise<DevLoopEnd> {
    const end = await loop.end()
    if (end.hook?.removed) this.notice(`Removed the dev hook "${end.hook.name}" (${end.hook.id}) from the org.`)
    if (end.hook?.kept)
      this.notice(
        `Kept the dev hook "${end.hook.name}" (${end.hook.id}): Okta keeps sending to it, and deliveries fail while nothing answers there. Remove it with \`${this.config.bin} dev cleanup\`.`,
      )
    return end
  }

  private showExchange({envelope, record, verificationAnswer}: Exchange): void {
    const time = record.receivedAt.slice(11, 19)
    const head = `${time}  ${record.request.method} ${record.request.path}  ${record.response.status}`
    const forward = record.forward
    const failure = forward?.error === 'TIMEOUT' ? 'no answer in time' : `unreachable (${forward?.error})`
    const overBudget = ` — over Okta's ${formatDuration(RECEIVER_TIMEOUT_MS)} budget: Okta would time out and retry`
    const forwardText = forward
      ? forward.error
        ? `  ← app ${forward.url}: ${failure}`
        : `  ← app ${forward.status} in ${forward.latencyMs} ms${forward.withinBudget ? '' : overBudget}`
      : ''

    if (record.problem && record.problem.code !== 'NOT_AN_ENVELOPE') {
      this.log(`${head}  ${record.problem.message}${forwardText}  (${record.id})`)
      return
    }

    if (record.kind === 'verification') {
      const verdict = verificationAnswer
        ? `  ${verificationAnswer.status === 'pass' ? 'ok' : verificationAnswer.status.toUpperCase()}: ` +
          `${verificationAnswer.detail}`
        : ''
      this.log(`${head}  verification challenge answered${forwardText}${verdict}  (${record.id})`)
      return
    }

    if (!envelope) {
      this.log(`${head}  ${record.problem?.message ?? 'not an Okta delivery'}${forwardText}  (${record.id})`)
      return
    }

    const lines = eventLines(envelope)
    if (lines.length === 0) lines.push(`delivery ${deliveryId(envelope)} with no events`)
    for (const line of lines) this.log(line)
    this.log(`  ↳ ${record.response.status} in ${record.latencyMs} ms${forwardText}  (recorded as ${record.id})`)
  }
}

function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`
}
