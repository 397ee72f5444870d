/**
 * Replaying a bounded System Log window to a receiver the way Okta delivers: page after page
 * (limit 1000, following `next`; the next page is fetched while the current one is delivered, so
 * at most two pages are in memory however large the window), batches of `batchSize` events in
 * Okta's envelope, `concurrency` POSTs in flight, Okta's one retry, failures recorded and the run
 * going on (or stopping with failFast), and an optional checkpoint to resume from. No oclif here.
 */
import {closeSync, openSync, writeSync} from 'node:fs'

import {deliverLikeOkta, type JudgedResult, type Verdict} from '../delivery/http-delivery.js'
import type {OktaTransport} from '../okta/okta-sdk.js'
import {allOf, eventTypeFilter} from '../syslog/filter.js'
import {type LogQuery, readRawLogPages} from '../syslog/pager.js'
import type {RawLogEvent} from '../syslog/raw-events.js'
import {checkWindow, parseTime} from '../syslog/time.js'
import {Checkpoint, type ReplayCounts} from './checkpoint.js'
import {rawEnvelopeBody, rawEventKey} from './raw-envelope.js'
import {type EventSelection, NO_EXCLUSIONS} from './selection.js'

export interface ReplayOptions {
  batchSize: number
  /** Path of the checkpoint file (created, or resumed from). */
  checkpoint?: string
  concurrency: number
  failFast?: boolean
  /** Path of the NDJSON file the failed events are appended to. */
  failures?: string
  /** --since and --until as typed (kept in the checkpoint, so that a relative window resumes). */
  given?: {since: string; until: string}
  headers: Record<string, string>
  /** Whether a process runs (the checkpoint lock's stale check); replaced by tests. */
  isAlive?: (pid: number) => boolean
  /** What the user should know before the run starts: a stale lock taken over, a window resumed. */
  onNotice?: (message: string) => void
  /** Rate-limit waits, to show. */
  onWait?: (message: string) => void
  query: LogQuery
  /** Which events of the window are sent (default: every one). */
  selection?: EventSelection
  signal?: AbortSignal
  /** The envelope's `source`. */
  source: string
  /** Replaced by tests; defaults to deliverLikeOkta with Okta's one retry. */
  deliver?: typeof deliverLikeOkta
  timeoutMs: number
  url: string
}

/** A batch Okta would not have had accepted. */
export interface ReplayFailure {
  events: number
  explanation: string
  status?: number
  uuids: string[]
  verdict: Exclude<Verdict, 'accepted'>
}

export interface ReplayStats extends ReplayCounts {
  /** The checkpoint said the window was already fully replayed. */
  alreadyDone: boolean
  batches: number
  elapsedMs: number
  /** The first batches not accepted (at most 10), for the summary. */
  failures: ReplayFailure[]
  /** Events fetched but not answered (in flight or not sent when the run stopped). */
  left: number
  /** The window has pages not fetched yet (a run that stopped early). */
  morePages: boolean
  pages: number
  /** This run resumed from a checkpoint. */
  resumed: boolean
  /** Events sent and answered by this run (the counts above include earlier runs on resume). */
  sentThisRun: number
  /** Events skipped because the checkpoint had them acknowledged. */
  skipped: number
  /** Stopped before the end of the window (--fail-fast or an interrupt). */
  stoppedEarly: boolean
}

/** The window of a replay from --since and --until as typed (ISO 8601 or relative), checked. */
export function replayWindow(given: {since: string; until: string}, now = new Date()): {since: string; until: string} {
  const since = parseTime(given.since, {flag: '--since', now})
  const until = parseTime(given.until, {flag: '--until', now})
  checkWindow(since, until)
  return {since, until}
}

/** The bounded query of a replay: the event types in the window, narrowed by the filter and keywords, oldest first. */
export function replayQuery(
  window: {since: string; until: string},
  narrow: {eventTypes: string[]; filter?: string; q?: string},
): LogQuery {
  return {
    filter: allOf(eventTypeFilter(narrow.eventTypes), narrow.filter),
    q: narrow.q,
    ...window,
    sortOrder: 'ASCENDING',
  }
}

/** Events fetched but not sent because the selection left them out. */
export function excludedCount(counts: ReplayCounts): number {
  return counts.notListed + counts.notRouted + counts.skippedByFilter + counts.withoutRouting
}

/** A run's verdict: the worst of its deliveries' (accepted when every event sent was). */
export function replayVerdict(counts: ReplayCounts): Verdict {
  if (counts.failed > 0) return 'failed'
  return counts.rejected > 0 ? 'rejected' : 'accepted'
}

/** A bounded pool: at most `size` tasks running; a finished task wakes whoever waits for a slot. */
class Pool {
  private active = 0
  /** The first task failure (a bug or a disk error: delivery failures are results, not errors), thrown by run/drain. */
  private failure?: {error: unknown}
  private waiting: (() => void)[] = []
  constructor(private readonly size: number) {}

  async drain(): Promise<void> {
    while (this.active > 0) await this.slotFreed()
    if (this.failure) throw this.failure.error
  }

  async run(task: () => Promise<void>): Promise<void> {
    while (this.active >= this.size) await this.slotFreed()
    if (this.failure) throw this.failure.error
    this.active++
    task()
      .catch((error: unknown) => {
        this.failure ??= {error}
      })
      .finally(() => {
        this.active--
        const waiting = this.waiting
        this.waiting = []
        for (const wake of waiting) wake()
      })
  }

  private slotFreed(): Promise<void> {
    return new Promise((resolve) => {
      this.waiting.push(resolve)
    })
  }
}

export class Replayer {
  readonly stats: ReplayStats = {
    accepted: 0,
    alreadyDone: false,
    batches: 0,
    elapsedMs: 0,
    failed: 0,
    failures: [],
    fetched: 0,
    left: 0,
    morePages: false,
    pages: 0,
    rejected: 0,
    resumed: false,
    sentThisRun: 0,
    skipped: 0,
    stoppedEarly: false,
    ...NO_EXCLUSIONS,
  }

  private readonly started = performance.now()
  private stop = false
  private window: LogQuery

  constructor(
    private readonly okta: OktaTransport,
    private readonly options: ReplayOptions,
  ) {
    this.window = options.query
  }

  /** The query replayed: the one given, or with the window of the checkpoint it resumes. */
  get query(): LogQuery {
    return this.window
  }

  async run(): Promise<ReplayStats> {
    const {options} = this
    const checkpoint = options.checkpoint
      ? Checkpoint.open(options.checkpoint, {
          given: options.given,
          isAlive: options.isAlive,
          query: options.query,
          selection: options.selection?.key,
        })
      : undefined
    const failuresFd = options.failures ? openSync(options.failures, 'a') : undefined
    try {
      if (checkpoint) {
        this.window = {...options.query, ...checkpoint.window}
        for (const notice of checkpoint.notices) options.onNotice?.(notice)
        this.stats.resumed = checkpoint.resumed
        Object.assign(this.stats, checkpoint.state.counts)
        if (checkpoint.state.done) {
          this.stats.alreadyDone = true
          return this.finish()
        }
      }

      const pages = readRawLogPages(
        this.okta,
        {...this.window, limit: this.window.limit ?? 1000},
        {
          onWait: (message) => options.onWait?.(message),
          signal: options.signal,
          startUrl: checkpoint?.state.cursor ?? undefined,
        },
      )
      const pool = new Pool(options.concurrency)
      let pending = pages.next()
      pending.catch(() => {}) // handled when awaited below
      // Whether the window goes on past the pages delivered (true until the first page is in).
      let more = true
      for (;;) {
        const item = await pending
        if (item.done) break
        const page = item.value
        this.stats.pages++
        // The next page is fetched while this one is delivered.
        pending = page.next ? pages.next() : Promise.resolve({done: true, value: undefined})
        pending.catch(() => {})
        checkpoint?.start(page.url, this.counts())
        const todo = this.toSend(page.events, checkpoint)
        this.stats.fetched += page.events.length

        for (let i = 0; i < todo.length && !this.stopped(); i += options.batchSize) {
          const batch = todo.slice(i, i + options.batchSize)
          await pool.run(() => this.deliver(batch, checkpoint, failuresFd))
        }

        await pool.drain()
        more = Boolean(page.next)
        if (this.stopped()) break

        checkpoint?.advance(page.next, this.counts())
      }

      if (this.stopped()) {
        this.stats.stoppedEarly = true
        this.stats.morePages = more
      }

      return this.finish()
    } finally {
      checkpoint?.close()
      if (failuresFd !== undefined) closeSync(failuresFd)
    }
  }

  private counts(): ReplayCounts {
    const {accepted, failed, fetched, notListed, notRouted, rejected, skippedByFilter, withoutRouting} = this.stats
    return {accepted, failed, fetched, notListed, notRouted, rejected, skippedByFilter, withoutRouting}
  }

  /**
   * The events of a page to send: not acknowledged by the run a checkpoint resumes, and selected. Those left out are
   * counted; on resume a page's exclusions are counted again from its start, as its fetched events are.
   */
  private toSend(events: RawLogEvent[], checkpoint: Checkpoint | undefined): RawLogEvent[] {
    const skip = checkpoint?.acked
    const {selection} = this.options
    const todo: RawLogEvent[] = []
    for (const event of events) {
      const exclusion = selection?.exclude(event)
      if (exclusion) this.stats[exclusion]++
      else if (skip?.has(rawEventKey(event))) this.stats.skipped++
      else todo.push(event)
    }

    return todo
  }

  private async deliver(
    events: RawLogEvent[],
    checkpoint: Checkpoint | undefined,
    failuresFd: number | undefined,
  ): Promise<void> {
    if (this.stopped()) return
    const {options} = this
    const body = rawEnvelopeBody(events, {source: options.source})
    const {final} = await (options.deliver ?? deliverLikeOkta)({
      body,
      headers: options.headers,
      retry: true,
      timeoutMs: options.timeoutMs,
      url: options.url,
    })
    this.stats.batches++
    this.stats.sentThisRun += events.length
    const keys = events.map((event) => rawEventKey(event))
    if (final.verdict === 'accepted') {
      this.stats.accepted += events.length
      checkpoint?.ack(keys)
      return
    }

    this.recordFailure(events, keys, final, failuresFd)
    if (options.failFast) this.stop = true
    else checkpoint?.ack(keys, final.verdict)
  }

  private finish(): ReplayStats {
    this.stats.elapsedMs = Math.round(performance.now() - this.started)
    const {accepted, failed, fetched, rejected} = this.stats
    this.stats.left = Math.max(0, fetched - accepted - rejected - failed - excludedCount(this.stats))
    return this.stats
  }

  private recordFailure(
    events: RawLogEvent[],
    keys: string[],
    result: JudgedResult,
    failuresFd: number | undefined,
  ): void {
    const verdict = result.verdict as ReplayFailure['verdict']
    this.stats[verdict] += events.length
    if (this.stats.failures.length < 10) {
      this.stats.failures.push({
        events: events.length,
        explanation: result.explanation,
        status: result.status,
        uuids: keys,
        verdict,
      })
    }

    if (failuresFd !== undefined)
      writeSync(failuresFd, events.map((event) => event.json.replaceAll(/\r?\n\s*/g, '')).join('\n') + '\n')
  }

  private stopped(): boolean {
    return this.stop || Boolean(this.options.signal?.aborted)
  }
}
