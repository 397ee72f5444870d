import {Args, Flags} from '@oclif/core'

import {type DeliveryRun, ReplayCommand, replayDeliveryFlags} from '../cli/replay-command.js'
import type {Verdict} from '../lib/delivery/http-delivery.js'
import {checkFailedError} from '../lib/errors.js'
import type {EventHook} from '../lib/hooks/types.js'
import {verdictCounts} from '../lib/replay/progress.js'
import {replayQuery, type ReplayStats, replayVerdict} from '../lib/replay/replayer.js'
import {type EventSelection, hookFilterSelection, routedSelection} from '../lib/replay/selection.js'
import type {LogQuery} from '../lib/syslog/pager.js'

export interface ReplayResult {
  hook: {id: string; name: string}
  /** The query replayed (with a resumed checkpoint, its window as resolved at its first run). */
  query: LogQuery
  /** Only after Ctrl-C or SIGTERM: the checkpoint, and the exact command that goes on from it. */
  resume?: {checkpoint: null | string; command: string}
  /** Which events of the window were sent: the hook's filters, Okta's routing record, or all. */
  selection: 'all' | 'filters' | 'routed'
  stats: ReplayStats
  target: string
  /** The worst verdict of the deliveries (accepted when every event sent was). */
  verdict: Verdict
}

/** The events of the window a replay sends, by its flags: the hook's filters unless told otherwise. */
function selectionFor(
  hook: EventHook,
  eventTypes: string[],
  flags: {'ignore-filters'?: boolean; 'routed-only'?: boolean},
): {name: ReplayResult['selection']; selection?: EventSelection} {
  if (flags['routed-only']) return {name: 'routed', selection: routedSelection(hook.id)}
  if (flags['ignore-filters']) return {name: 'all'}
  const selection = hookFilterSelection(hook, eventTypes)
  return selection ? {name: 'filters', selection} : {name: 'all'}
}

export default class Replay extends ReplayCommand<typeof Replay> {
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
    'The hook\'s event filters are applied as Okta applies them ("Not sent: skipped by filter: N"); ' +
      "--ignore-filters sends every event, --routed-only exactly those Okta's System Log says it routed to the hook " +
      '(debugContext.debugData.targetEventHookIds). A filter okta-hooks cannot evaluate stops the run (exit 2).',
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
    ...replayDeliveryFlags,
    'event-type': Flags.string({
      description: "Event types instead of the hook's own (repeatable, or comma-separated).",
      multiple: true,
    }),
    filter: Flags.string({description: 'System Log SCIM filter, added to the event types.'}),
    'ignore-filters': Flags.boolean({
      description: 'Send every event of the window, as if the hook had no event filters (default: apply them).',
      exclusive: ['routed-only'],
    }),
    q: Flags.string({description: 'System Log keyword search.'}),
    'routed-only': Flags.boolean({
      description:
        'Send exactly the events Okta routed to the hook (their debugContext.debugData.targetEventHookIds name it); ' +
        'events without that record are not sent.',
      exclusive: ['ignore-filters'],
    }),
    since: Flags.string({description: 'Start of the window: ISO 8601 or relative (15m, 2h, 7d).', required: true}),
    until: Flags.string({description: 'End of the window: ISO 8601, relative, or now.', required: true}),
  }

  async run(): Promise<ReplayResult> {
    const {flags} = this
    const {eventTypes, hook, okta, window} = await this.hookWindow(this.args.hook)
    const {name, selection} = selectionFor(hook, eventTypes, flags)
    const query = replayQuery(window, {eventTypes, filter: flags.filter, q: flags.q})
    const run = await this.deliverWindow(okta, hook, {
      given: {since: flags.since, until: flags.until},
      query,
      selection,
    })
    this.warnUnrouted(run.stats)
    return this.report(run, {hook, selection: name})
  }

  /** --routed-only: what became of the events without a routing record. */
  private warnUnrouted(stats: ReplayStats): void {
    const {fetched, withoutRouting} = stats
    if (withoutRouting === 0) return
    if (withoutRouting === fetched) {
      this.warnUser(
        `none of the ${fetched} events of the window carries debugContext.debugData.targetEventHookIds: Okta did not ` +
          "record routing here, so --routed-only sent nothing. Run without it to apply the hook's filters.",
      )
    } else {
      this.warnUser(
        `${withoutRouting} event(s) of the window carry no debugContext.debugData.targetEventHookIds where others do: ` +
          'Okta routed them to no hook; not sent.',
      )
    }
  }

  /**
   * Prints the summary; returns the result, or throws it beside the error (exit 5 on failed events, 130 after a
   * signal).
   */
  private report(run: DeliveryRun, about: {hook: EventHook; selection: ReplayResult['selection']}): ReplayResult {
    const {stats, target} = run
    const result: ReplayResult = {
      hook: {id: about.hook.id, name: about.hook.name},
      query: run.query,
      selection: about.selection,
      stats,
      target,
      verdict: replayVerdict(stats),
    }
    this.summarize(run, result, about.selection === 'filters' ? ['skippedByFilter'] : [])
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
}
