import {Args, Flags} from '@oclif/core'

import {authFlags, authInputs} from '../cli/auth-flags.js'
import {commaList, receiverTimeoutFlag, targetFlags} from '../cli/flags.js'
import {OktaCommand} from '../cli/okta-command.js'
import type {Verdict} from '../lib/delivery/http-delivery.js'
import {oktaDeliveryHeaders} from '../lib/delivery/okta-headers.js'
import {checkTarget, hookTarget, sourceFor} from '../lib/delivery/preview.js'
import {resolveDeliveryAuth} from '../lib/delivery/preview-auth.js'
import {checkFailedError, CliError} from '../lib/errors.js'
import {ExitCode} from '../lib/exit-codes.js'
import {EventHooksApi} from '../lib/hooks/event-hooks-api.js'
import {prompter} from '../lib/io/prompter.js'
import {displayUrl} from '../lib/net/urls.js'
import {progressLine, shellCommand, summaryLines, verdictCounts} from '../lib/replay/progress.js'
import {Replayer, replayQuery, type ReplayStats, replayVerdict, replayWindow} from '../lib/replay/replayer.js'
import type {LogQuery} from '../lib/syslog/pager.js'

export interface ReplayResult {
  hook: {id: string; name: string}
  /** The query replayed (with a resumed checkpoint, its window as resolved at its first run). */
  query: LogQuery
  /** Only after Ctrl-C or SIGTERM: the checkpoint, and the exact command that goes on from it. */
  resume?: {checkpoint: null | string; command: string}
  stats: ReplayStats
  target: string
  /** The worst verdict of the deliveries (accepted when every event sent was). */
  verdict: Verdict
}

/** Exit 130 after Ctrl-C or SIGTERM, carrying the summary (under --json, beside `error`). */
function interruptedError(
  interrupted: {resume: string; signal: string},
  checkpoint: string | undefined,
  result: ReplayResult,
): CliError {
  const {stats} = result
  const left = `${stats.left} fetched events left${stats.morePages ? ' (and more of the window)' : ''}`
  return new CliError(`Interrupted (${interrupted.signal}) with ${verdictCounts(stats)} and ${left}.`, {
    code: 'INTERRUPTED',
    exitCode: ExitCode.Interrupted,
    result,
    suggestions: checkpoint
      ? [`Resume with: ${interrupted.resume}`]
      : ['Run it again with --checkpoint FILE to be able to resume the next time'],
  })
}

export default class Replay extends OktaCommand<typeof Replay> {
  static override args = {
    hook: Args.string({description: 'Event hook id or exact name.', required: true}),
  }

  static override description = [
    "Deliver every matching System Log event of a time window to a hook's URL (or --to), as Okta would have.",
    "Events are the hook's event types (or --event-type), narrowed by --filter/--q, read page after page (1,000 " +
      "per page, following Okta's next links; memory stays flat) and sent in Okta's envelope, --batch-size events " +
      "per POST, --concurrency POSTs at once. Okta's System Log rate limits are respected and every wait is shown.",
    "A failed delivery (5xx, timeout, no connection) gets Okta's one retry, a rejected one (4xx) none; a " +
      `batch not accepted is recorded in --failures (NDJSON that \`preview --from-file\` resends) and the ` +
      'run goes on, or stops with --fail-fast. Exit 5 if any event was not accepted.',
    '--checkpoint FILE makes the run resumable: run the same command again after a crash or Ctrl-C and ' +
      'it goes on from where it was, sending again at most the batches that were in flight.',
    "--batch-size defaults to 1 (one event per POST, like Okta's deliveries of events " +
      'that are not close in time); raise it (e.g. 50) for large windows.',
  ].join('\n')

  static override examples = [
    '<%= config.bin %> <%= command.id %> "User sync" --since 2026-11-20T00:00:00Z ' +
      '--until 2026-11-21T00:00:00Z --auth-secret-env HOOK_SECRET',
    '<%= config.bin %> <%= command.id %> "User sync" --since 24h --until 1h --to ' +
      'http://127.0.0.1:3000/okta --no-auth --checkpoint replay.ckpt --failures failed.ndjson',
    '<%= config.bin %> <%= command.id %> who1a2b3c4d5e6f7g8h9 --since 7d --until now ' +
      '--event-type user.lifecycle.create --batch-size 50 --concurrency 8 --fail-fast',
  ]

  static override flags = {
    ...authFlags,
    ...targetFlags,
    'batch-size': Flags.integer({
      default: 1,
      description: 'Events per POST (Okta batches events close in time).',
      helpGroup: 'DELIVERY',
      max: 1000,
      min: 1,
    }),
    checkpoint: Flags.string({
      description: 'Checkpoint file: created, kept up to date, and resumed from when it exists.',
      helpValue: 'FILE',
    }),
    concurrency: Flags.integer({
      default: 4,
      description: 'POSTs in flight at once.',
      helpGroup: 'DELIVERY',
      max: 64,
      min: 1,
    }),
    'event-type': Flags.string({
      description: "Event types instead of the hook's own (repeatable, or comma-separated).",
      multiple: true,
    }),
    'fail-fast': Flags.boolean({
      description: "Stop at the first delivery not accepted (rejected, or failed after Okta's retry).",
    }),
    failures: Flags.string({
      description: 'Append the events whose delivery was not accepted to this NDJSON file.',
      helpValue: 'FILE',
    }),
    filter: Flags.string({description: 'System Log SCIM filter, added to the event types.'}),
    q: Flags.string({description: 'System Log keyword search.'}),
    'receiver-timeout': receiverTimeoutFlag('DELIVERY'),
    since: Flags.string({description: 'Start of the window: ISO 8601 or relative (15m, 2h, 7d).', required: true}),
    until: Flags.string({description: 'End of the window: ISO 8601, relative, or now.', required: true}),
  }

  async run(): Promise<ReplayResult> {
    const {flags} = this
    const window = replayWindow(flags)
    const okta = await this.okta()
    const hook = await new EventHooksApi(okta).resolve(this.args.hook)
    const url = flags.to ? checkTarget(flags.to, {allowHttp: flags['allow-http']}) : hookTarget(hook)
    const auth = await resolveDeliveryAuth(hook, authInputs(flags), {
      ask: this.canPrompt() ? (message) => prompter.password(message) : undefined,
      noAuth: flags['no-auth'],
    })
    const types = commaList(flags['event-type'])
    const query = replayQuery(window, {
      eventTypes: types.length > 0 ? types : hook.events.items,
      filter: flags.filter,
      q: flags.q,
    })
    const target = displayUrl(url)
    const stop = this.stopOnSignal((signal) =>
      this.notice(`${signal}: stopping once the deliveries in flight are answered (again to quit at once)...`),
    )
    const replayer = new Replayer(okta, {
      batchSize: flags['batch-size'],
      checkpoint: flags.checkpoint,
      concurrency: flags.concurrency,
      failFast: flags['fail-fast'],
      failures: flags.failures,
      given: {since: flags.since, until: flags.until},
      headers: oktaDeliveryHeaders(hook.channel.config.headers, auth),
      onNotice: (message) => this.notice(message),
      onWait: (message) => this.notice(message),
      query,
      signal: stop.signal,
      source: sourceFor(okta.orgUrl, hook),
      timeoutMs: flags['receiver-timeout'],
      url,
    })

    const stopProgress = this.showProgress(replayer)
    let stats: ReplayStats
    try {
      stats = await replayer.run()
    } finally {
      stop.dispose()
      stopProgress()
    }

    const hookRef = {id: hook.id, name: hook.name}
    const result: ReplayResult = {hook: hookRef, query: replayer.query, stats, target, verdict: replayVerdict(stats)}
    return this.report(result, stop.signal.aborted ? String(stop.signal.reason) : undefined)
  }

  /**
   * Prints the summary; returns the result, or throws it beside the error (exit 5 on failed events, 130 after a
   * signal).
   */
  private report(result: ReplayResult, signal: string | undefined): ReplayResult {
    const {flags} = this
    const {stats, target} = result
    const interrupted = signal ? {resume: shellCommand([this.config.bin, 'replay', ...this.argv]), signal} : undefined
    for (const line of summaryLines(stats, {
      checkpoint: flags.checkpoint,
      failures: flags.failures,
      interrupted,
      target,
    }))
      this.log(line)
    if (interrupted)
      throw interruptedError(interrupted, flags.checkpoint, {
        ...result,
        resume: {checkpoint: flags.checkpoint ?? null, command: interrupted.resume},
      })
    const notAccepted = stats.rejected + stats.failed
    if (notAccepted > 0) {
      const events = `${notAccepted} event${notAccepted === 1 ? '' : 's'}`
      throw checkFailedError(`${events} not accepted by ${target} (${verdictCounts(stats)}).`, {
        code: 'DELIVERY_FAILED',
        result,
      })
    }

    return result
  }

  /** A progress line on stderr, redrawn a few times a second, at a terminal only. */
  protected showProgress(replayer: Replayer): () => void {
    if (!process.stderr.isTTY) return () => {}
    const started = performance.now()
    const draw = () => process.stderr.write(`\r${progressLine(replayer.stats, performance.now() - started)}\u001B[K`)
    const timer = setInterval(draw, 250)
    return () => {
      clearInterval(timer)
      draw()
      process.stderr.write('\n')
    }
  }
}
