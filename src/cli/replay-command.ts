/**
 * replay and reconcile --replay: one delivery engine behind one set of flags (auth, target,
 * batches, concurrency, checkpoint, failures file, receiver timeout), one way to stop on Ctrl-C
 * and say how to resume, one progress line.
 */
import {Command, Flags} from '@oclif/core'

import {oktaDeliveryHeaders} from '../lib/delivery/okta-headers.js'
import {checkTarget, hookTarget, sourceFor} from '../lib/delivery/preview.js'
import {resolveDeliveryAuth} from '../lib/delivery/preview-auth.js'
import {CliError} from '../lib/errors.js'
import {ExitCode} from '../lib/exit-codes.js'
import {EventHooksApi} from '../lib/hooks/event-hooks-api.js'
import type {EventHook} from '../lib/hooks/types.js'
import {prompter} from '../lib/io/prompter.js'
import {displayUrl} from '../lib/net/urls.js'
import type {OktaTransport} from '../lib/okta/okta-sdk.js'
import {progressLine, shellCommand, summaryLines, verdictCounts} from '../lib/replay/progress.js'
import {Replayer, type ReplayStats, replayWindow} from '../lib/replay/replayer.js'
import type {EventSelection, Exclusion} from '../lib/replay/selection.js'
import type {LogQuery} from '../lib/syslog/pager.js'
import {authFlags, authInputs} from './auth-flags.js'
import {commaList, receiverTimeoutFlag, targetFlags} from './flags.js'
import {OktaCommand} from './okta-command.js'

export const replayDeliveryFlags = {
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
  'fail-fast': Flags.boolean({
    description: "Stop at the first delivery not accepted (rejected, or failed after Okta's retry).",
  }),
  failures: Flags.string({
    description: 'Append the events whose delivery was not accepted to this NDJSON file.',
    helpValue: 'FILE',
  }),
  'receiver-timeout': receiverTimeoutFlag('DELIVERY'),
}

/** What one delivery run did. */
export interface DeliveryRun {
  /** Set after Ctrl-C or SIGTERM: which signal, and the command line that resumes. */
  interrupted?: {resume: string; signal: string}
  /** The query delivered (with a resumed checkpoint, its window as resolved at its first run). */
  query: LogQuery
  stats: ReplayStats
  /** Where the events went, as shown (no credentials). */
  target: string
}

export interface DeliveryPlan {
  /** --since and --until as typed (kept in the checkpoint, so that a relative window resumes). */
  given: {since: string; until: string}
  query: LogQuery
  selection?: EventSelection
}

/** Exit 130 after Ctrl-C or SIGTERM, carrying the result (under --json, beside `error`). */
export function interruptedError(
  interrupted: {resume: string; signal: string},
  checkpoint: string | undefined,
  stats: ReplayStats,
  result: object,
): CliError {
  const left = `${stats.left} fetched events left${stats.morePages ? ' (and more of the window)' : ''}`
  return new CliError(`Interrupted (${interrupted.signal}) with ${verdictCounts(stats)} and ${left}.`, {
    code: 'INTERRUPTED',
    exitCode: ExitCode.Interrupted,
    result: {...result, resume: {checkpoint: checkpoint ?? null, command: interrupted.resume}},
    suggestions: checkpoint
      ? [`Resume with: ${interrupted.resume}`]
      : ['Run it again with --checkpoint FILE to be able to resume the next time'],
  })
}

/** The hook, its window and the event types to read, resolved from the command's argument and flags. */
export interface HookWindow {
  eventTypes: string[]
  hook: EventHook
  okta: OktaTransport
  window: {since: string; until: string}
}

export abstract class ReplayCommand<T extends typeof Command> extends OktaCommand<T> {
  /** The window (checked first: a bad --since fails before any call), the hook, and --event-type or its own types. */
  protected async hookWindow(hookArg: string): Promise<HookWindow> {
    const flags = this.flags as {'event-type'?: string[]; since: string; until: string}
    const window = replayWindow(flags)
    const okta = await this.okta()
    const hook = await new EventHooksApi(okta).resolve(hookArg)
    const types = commaList(flags['event-type'])
    return {eventTypes: types.length > 0 ? types : hook.events.items, hook, okta, window}
  }

  /** Delivers the planned events of the window to the hook's URL (or --to) as Okta would have. */
  protected async deliverWindow(okta: OktaTransport, hook: EventHook, plan: DeliveryPlan): Promise<DeliveryRun> {
    const flags = this.flags as Record<string, any>
    const url = flags.to ? checkTarget(flags.to, {allowHttp: flags['allow-http']}) : hookTarget(hook)
    const auth = await resolveDeliveryAuth(hook, authInputs(flags), {
      ask: this.canPrompt() ? (message) => prompter.password(message) : undefined,
      noAuth: flags['no-auth'],
    })
    const stop = this.stopOnSignal((signal) =>
      this.notice(`${signal}: stopping once the deliveries in flight are answered (again to quit at once)...`),
    )
    const replayer = new Replayer(okta, {
      batchSize: flags['batch-size'],
      checkpoint: flags.checkpoint,
      concurrency: flags.concurrency,
      failFast: flags['fail-fast'],
      failures: flags.failures,
      given: plan.given,
      headers: oktaDeliveryHeaders(hook.channel.config.headers, auth),
      onNotice: (message) => this.notice(message),
      onWait: (message) => this.notice(message),
      query: plan.query,
      selection: plan.selection,
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

    const signal = stop.signal.aborted ? String(stop.signal.reason) : undefined
    const interrupted = signal
      ? {resume: shellCommand([this.config.bin, this.id ?? '', ...this.argv]), signal}
      : undefined
    return {interrupted, query: replayer.query, stats, target: displayUrl(url)}
  }

  /**
   * Prints a run's summary; after Ctrl-C or SIGTERM throws `result` beside the error (exit 130, with how to resume).
   */
  protected summarize(run: DeliveryRun, result: object, alwaysShow: Exclusion[] = []): void {
    const flags = this.flags as {checkpoint?: string; failures?: string}
    const {interrupted, stats, target} = run
    const options = {alwaysShow, checkpoint: flags.checkpoint, failures: flags.failures, interrupted, target}
    for (const line of summaryLines(stats, options)) this.log(line)
    if (interrupted) throw interruptedError(interrupted, flags.checkpoint, stats, result)
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
