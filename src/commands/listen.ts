import {Flags} from '@oclif/core'

import {authFlags, authInputs} from '../cli/auth-flags.js'
import {BaseCommand} from '../cli/base-command.js'
import {durationFlag} from '../cli/flags.js'
import {RECEIVER_TIMEOUT_MS} from '../lib/delivery/http-delivery.js'
import {formatDuration} from '../lib/duration.js'
import {resolveAuthHeader} from '../lib/hooks/auth-secret.js'
import {prompter} from '../lib/io/prompter.js'
import {acquireFileLock, takeoverNotice} from '../lib/io/file-lock.js'
import {DeliveryStore} from '../lib/receiver/delivery-store.js'
import {deliveryId, eventLines} from '../lib/receiver/describe.js'
import {exchangeLine} from '../lib/receiver/exchange-json.js'
import {formatSize, parseAppUrl, parseSize, RECORD_FLAG_DESCRIPTION, storePath} from '../lib/receiver/options.js'
import {DEFAULT_PORT, type Exchange, normalizeListenPath, type ReceiverOptions, type ReceiverStats, startReceiver} from '../lib/receiver/server.js'

export interface ListenResult extends ReceiverStats {
  record: string
  type: 'summary'
  url: string
}

export default class Listen extends BaseCommand<typeof Listen> {
  static override description = [
'Receive event hook calls locally: answers Okta\'s verification GET, acknowledges deliveries with ' + `204, shows each event, and records every request (secrets masked) for \`deliveries\`.`,
'',
'Prints "Ready: listening on URL" on stderr once it listens. With --json, stdout is ' + 'NDJSON: a {"type":"ready"} line, one line per request (type verification, delivery or ' + 'other), and a {"type":"summary"} line when it stops (Ctrl-C or SIGTERM).',
'Put a tunnel (ngrok, cloudflared) in front of it to receive calls from a real ' + 'org, or point preview, replay and the sandbox at it directly.',
].join('\n')

  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    'HOOK_SECRET=s3cret <%= config.bin %> <%= command.id %> --port 8787 --auth-secret-env HOOK_SECRET',
    '<%= config.bin %> <%= command.id %> --forward-to http://localhost:3000/okta/events',
    '<%= config.bin %> <%= command.id %> --respond-status 500 --respond-delay 4s',
    '<%= config.bin %> <%= command.id %> --port 0 --json | jq -c \'select(.type == "delivery") | .events[]\'',
  ]

  static override flags = {
    ...authFlags,
    'forward-to': Flags.string({
      description: 'Relay every request (verification GET included) to your app and return ' + 'its answer to the caller, timed against Okta\'s 3 s budget.',
      exclusive: ['respond-status', 'respond-delay'],
      helpValue: 'URL',
    }),
    host: Flags.string({default: '127.0.0.1', description: 'Address to listen on (0.0.0.0 for every interface).'}),
    'body-timeout': durationFlag({
      default: 5000,
      description: 'Cut a request whose body is not finished within this time (408); ' + 'Okta sends a body at once and gives up after 3s.',
      max: 120_000,
    }),
    'max-body': Flags.string({default: '1MiB', description: 'Largest request body accepted; larger ones get 413.', helpValue: 'SIZE'}),
    path: Flags.string({default: '/', description: 'Path to answer on; other paths get 404.'}),
    port: Flags.integer({default: DEFAULT_PORT, description: 'Port to listen on (0 for any free port).', max: 65_535, min: 0}),
    record: Flags.string({description: RECORD_FLAG_DESCRIPTION, helpValue: 'PATH'}),
    'record-max': Flags.string({
      default: '100MiB',
      description: 'Cap of the record: past it, the file is renamed to <file>.1 (replacing an ' + 'older one) and a new one started; `deliveries` reads both.',
      helpValue: 'SIZE',
    }),
    'respond-delay': durationFlag({description: 'Wait this long before answering each delivery; past 3s Okta times out.', max: 120_000, min: 0}),
    'respond-status': Flags.integer({description: 'Answer deliveries with this status instead of 204 (e.g. 500 to see Okta retry).', max: 599, min: 200}),
  }

  /** listen --json is NDJSON: its final result (or error) is one compact line too. */
  protected override jsonLines(): boolean {
    return true
  }

  async run(): Promise<ListenResult> {
    const {flags} = this
    const options: ReceiverOptions = {
      auth: await resolveAuthHeader(authInputs(flags), {ask: this.canPrompt() ? (message) => prompter.password(message) : undefined}),
      bodyTimeoutMs: flags['body-timeout'],
      forwardTo: flags['forward-to'] === undefined ? undefined : parseAppUrl(flags['forward-to'], '--forward-to'),
      host: flags.host,
      maxBodyBytes: parseSize(flags['max-body'], '--max-body'),
      path: normalizeListenPath(flags.path),
      port: flags.port,
      respondDelayMs: flags['respond-delay'],
      respondStatus: flags['respond-status'],
    }
    const store = new DeliveryStore(storePath(flags.record, this.config.dataDir), {maxBytes: parseSize(flags['record-max'], '--record-max')})
    store.prepare()
    const lock = acquireFileLock(store.path, {what: '--record file'})
    try {
      const tookOver = takeoverNotice(lock, store.path)
      if (tookOver) this.notice(tookOver)
      return await this.serve(options, store)
    } finally {
      lock.release()
    }
  }

  /** Receives until Ctrl-C or SIGTERM, recording to `store` (locked by run()). */
  private async serve(options: ReceiverOptions, store: DeliveryStore): Promise<ListenResult> {
    const {flags} = this
    const {auth, forwardTo} = options
    const json = this.jsonEnabled()
    const receiver = await startReceiver({
      ...options,
      onExchange: (exchange) => (json ? this.jsonLine(exchangeLine(exchange), {serialized: true}) : this.showExchange(exchange)),
      onWarning: (message) => this.warnUser(message),
      store,
    })

    if (!auth) {
      this.warnUser(`no auth header configured: anyone who can reach ${receiver.url} can post to it. ` + `Expect the one your hook sends with --auth-secret-env VAR (as in create).`)
    }

    // Listening for the stop signal before saying ready: a script may send it as soon as it reads the ready line.
    const stopped = this.waitForStopSignal()
    if (json) this.jsonLine({record: store.path, type: 'ready', url: receiver.url})
    this.notice(`Ready: listening on ${receiver.url}`)
    if (forwardTo) this.notice(`Forwarding every request to ${forwardTo}`)
    this.notice(`Recording to ${store.path} (rotated to ${store.rotatedPath} past ` + `${formatSize(store.maxBytes)}). Ctrl-C to stop.`)

    const signal = await stopped
    await receiver.close()
    const {stats} = receiver
    this.notice(`Stopped (${signal}).`)
    this.log(
      `${plural(stats.requests, 'request')}: ${plural(stats.verifications, 'verification')}, ` + `${plural(stats.deliveries, 'delivery', 'deliveries')} with ${plural(stats.events, 'event')}, ` + `${plural(stats.failures, 'failure')}.`,
    )
    if (stats.requests > 0) this.log(`Inspect them with: ${this.config.bin} deliveries list${flags.record ? ` --record ${flags.record}` : ''}`)
    return {...stats, record: store.path, type: 'summary', url: receiver.url}
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
      const verdict = verificationAnswer ? `  ${verificationAnswer.status === 'pass' ? 'ok' : verificationAnswer.status.toUpperCase()}: ` + `${verificationAnswer.detail}` : ''
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
