import {Args, Flags} from '@oclif/core'

import {wideFlag} from '../cli/output-flags.js'
import {type DeliveryRun, ReplayCommand, replayDeliveryFlags} from '../cli/replay-command.js'
import type {Verdict} from '../lib/delivery/http-delivery.js'
import {checkFailedError, usageError} from '../lib/errors.js'
import type {EventHook} from '../lib/hooks/types.js'
import {type Column, renderTable} from '../lib/io/table.js'
import {type MissingEvent, reconcile, type Reconciliation} from '../lib/reconcile/reconcile.js'
import {fileReceipts, recordReceipts} from '../lib/reconcile/received.js'
import {type ReplayStats, replayVerdict} from '../lib/replay/replayer.js'
import {listedSelection} from '../lib/replay/selection.js'
import type {LogQuery} from '../lib/syslog/pager.js'

export interface ReconcileResult extends Reconciliation {
  /** Nothing is missing, or --replay delivered every missing event and the receiver accepted each. */
  complete: boolean
  eventTypes: string[]
  hook: {id: string; name: string}
  /** --replay: the delivery of the missing events. */
  replay?: {query: LogQuery; stats: ReplayStats; target: string; verdict: Verdict}
  /** Only after Ctrl-C or SIGTERM during --replay: the checkpoint, and the exact command that goes on from it. */
  resume?: {checkpoint: null | string; command: string}
  /** Where the receipts came from. */
  source: {path: string; type: 'received' | 'record'}
  window: {since: string; until: string}
}

/** Flags of the delivery that mean nothing without --replay (those with defaults cannot be told apart). */
const REPLAY_ONLY = ['checkpoint', 'fail-fast', 'failures', 'to'] as const

/** Shown missing events at most (--json lists them all). */
const SHOWN = 50

const MISSING_COLUMNS: Column<MissingEvent>[] = [
  {cell: (event) => event.uuid, header: 'UUID'},
  {cell: (event) => event.eventType, header: 'TYPE'},
  {cell: (event) => event.published, header: 'PUBLISHED'},
  {cell: (event) => (event.routedBy === 'okta' ? 'okta' : 'filters'), header: 'ROUTED BY'},
  {cell: (event) => event.failure?.reason ?? '', flexible: true, header: 'OKTA LOGGED'},
]

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`
}

export default class Reconcile extends ReplayCommand<typeof Reconcile> {
  static override args = {
    hook: Args.string({description: 'Event hook id or exact name.', required: true}),
  }

  static override description = [
    'Find the events Okta routed to a hook in a window that the receiver never got, as Okta advises: ' +
      '"compare events delivered to your external service with events logged in the System Log".',
    "Routed: the window's events whose debugContext.debugData.targetEventHookIds name the hook; in a window where no " +
      "event has that record, the hook's event types and filters decide. Received: a `listen --record` file (deliveries " +
      'answered 2xx) or --received, a file of receipts your service logged (NDJSON objects with the event `uuid`, ' +
      "or one uuid a line). Okta's event_hook.delivery failures of the window are attached to the events they name.",
    'Prints routed, received, missing, duplicated (received more than once) and unexpected (received, not routed) ' +
      'counts and the missing events. --replay delivers just the missing ones, as `replay` does (same auth, ' +
      'checkpoint, failures file and rate limits). Exit 0 when nothing is missing (or --replay delivered it all), ' +
      '5 when something is.',
  ].join('\n')

  static override examples = [
    '<%= config.bin %> <%= command.id %> "User sync" --since 24h --record ./deliveries.ndjson',
    '<%= config.bin %> <%= command.id %> who1a2b3c4d5e6f7g8h9 --since 2026-11-20T00:00:00Z --until ' +
      '2026-11-21T00:00:00Z --received receipts.ndjson --json',
    '<%= config.bin %> <%= command.id %> "User sync" --since 24h --until 1h --record ./deliveries.ndjson ' +
      '--replay --auth-secret-env HOOK_SECRET --checkpoint reconcile.ckpt',
  ]

  static override flags = {
    ...replayDeliveryFlags,
    'event-type': Flags.string({
      description:
        "Event types to look at instead of the hook's own (repeatable, or comma-separated): for types it no longer " +
        'subscribes to.',
      multiple: true,
    }),
    received: Flags.string({
      description: 'Receipts your service logged: NDJSON objects with the event `uuid`, or one uuid a line.',
      exactlyOne: ['received', 'record'],
      helpValue: 'FILE',
    }),
    record: Flags.string({
      description: 'The record `okta-hooks listen --record` wrote.',
      exactlyOne: ['received', 'record'],
      helpValue: 'PATH',
    }),
    replay: Flags.boolean({description: 'Deliver the missing events to the hook (or --to), as `replay` does.'}),
    since: Flags.string({description: 'Start of the window: ISO 8601 or relative (15m, 2h, 7d).', required: true}),
    until: Flags.string({default: 'now', description: 'End of the window: ISO 8601, relative, or now.'}),
    wide: wideFlag,
  }

  async run(): Promise<ReconcileResult> {
    const {flags} = this
    const idle = REPLAY_ONLY.filter((name) => flags[name] !== undefined && flags[name] !== false)
    if (idle.length > 0 && !flags.replay) {
      throw usageError(`--${idle[0]} takes effect only with --replay.`, ['Add --replay to deliver the missing events'])
    }

    const {eventTypes, hook, okta, window} = await this.hookWindow(this.args.hook)
    const source = flags.record
      ? ({path: flags.record, type: 'record'} as const)
      : ({path: flags.received as string, type: 'received'} as const)
    const received = source.type === 'record' ? recordReceipts(source.path) : fileReceipts(source.path)
    const found = await reconcile(okta, {eventTypes, hook, received, window}, {onWait: (m) => this.notice(m)})
    const result: ReconcileResult = {
      ...found,
      complete: found.counts.missing === 0,
      eventTypes,
      hook: {id: hook.id, name: hook.name},
      source,
      window,
    }
    this.show(result)
    if (flags.replay && found.counts.missing > 0) await this.replayMissing(hook, result)
    if (!result.complete) {
      const missing = plural(result.counts.missing, 'routed event')
      const replayed = result.replay ? ` (${result.replay.stats.accepted} accepted when replayed)` : ''
      throw checkFailedError(`${missing} never reached the receiver${replayed}.`, {
        code: 'EVENTS_MISSING',
        result,
        suggestions: result.replay ? [] : ['Deliver them with the same command and --replay'],
      })
    }

    return result
  }

  /** --replay: the missing events, through replay's engine; complete when the receiver accepted every one. */
  private async replayMissing(hook: EventHook, result: ReconcileResult): Promise<void> {
    const {flags} = this
    this.log('')
    this.log(`Replaying the ${plural(result.counts.missing, 'missing event')}...`)
    const selection = listedSelection(
      result.missing.map((event) => event.uuid),
      `reconcile:${hook.id}`,
    )
    const okta = await this.okta()
    const given = {since: flags.since, until: flags.until}
    const run: DeliveryRun = await this.deliverWindow(okta, hook, {given, query: result.query, selection})
    const {stats, target} = run
    result.replay = {query: run.query, stats, target, verdict: replayVerdict(stats)}
    this.summarize(run, result)
    result.complete = stats.accepted >= result.counts.missing && stats.failed + stats.rejected === 0
  }

  private show(result: ReconcileResult): void {
    const {counts, hook, routing, window} = result
    this.log(`${hook.name} (${hook.id}), ${window.since} to ${window.until}:`)
    const how = [
      routing.byOkta > 0 ? `${routing.byOkta} by Okta's targetEventHookIds` : '',
      routing.byFilters > 0 ? `${routing.byFilters} by the hook's event types and filters` : '',
    ].filter(Boolean)
    this.log(
      `  routed ${counts.routed}${how.length > 0 ? ` (${how.join(', ')})` : ''}, received ${counts.received}, ` +
        `missing ${counts.missing}, duplicated ${counts.duplicated}, unexpected ${counts.unexpected}`,
    )
    if (counts.deliveryFailures > 0)
      this.log(`  Okta logged ${plural(counts.deliveryFailures, 'failed delivery')} (event_hook.delivery).`)
    if (counts.outsideWindow > 0)
      this.log(`  ${plural(counts.outsideWindow, 'receipt')} of events published outside the window, not compared.`)
    if (routing.unrecorded > 0) {
      this.log(
        `  ${plural(routing.unrecorded, 'event')} of the hook's types without a routing record, where Okta records ` +
          'routing: routed to no hook (inactive, unverified or not yet subscribed), not counted.',
      )
    }

    if (routing.undecided > 0) {
      this.warnUser(
        `${plural(routing.undecided, 'event')} without a routing record have a filter okta-hooks cannot evaluate; ` +
          'counted as routed.',
      )
    }

    if (result.missing.length === 0) return
    this.log('')
    this.log(renderTable(MISSING_COLUMNS, result.missing.slice(0, SHOWN), this.output()))
    if (result.missing.length > SHOWN) this.log(`... and ${result.missing.length - SHOWN} more (--json lists all).`)
  }
}
