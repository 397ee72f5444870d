import {Args, Flags} from '@oclif/core'

import {durationFlag} from '../cli/flags.js'
import {OktaCommand} from '../cli/okta-command.js'
import {wideFlag} from '../cli/output-flags.js'
import type {LogEvent} from '../lib/delivery/envelope.js'
import {CliError} from '../lib/errors.js'
import {ExitCode} from '../lib/exit-codes.js'
import {EventHooksApi, isHookId} from '../lib/hooks/event-hooks-api.js'
import type {OktaTransport} from '../lib/okta/okta-sdk.js'
import {
  findDeletion,
  HOOK_EVENT_KINDS,
  type HookDeletion,
  hookStoryFilter,
  type StoryRow,
  storyRow,
} from '../lib/syslog/hook-story.js'
import {type Column, type Output, renderTable} from '../lib/io/table.js'
import {type LogQuery, readLogPages} from '../lib/syslog/pager.js'
import {parseTime} from '../lib/syslog/time.js'

export interface LogsResult {
  /** Only for a hook that no longer exists: who deleted it, and when (its event_hook.deleted event). */
  deleted?: Omit<HookDeletion, 'name'>
  events: LogEvent[]
  hook: {id: string; name: string}
  query: LogQuery
}

export default class Logs extends OktaCommand<typeof Logs> {
  static override args = {
    hook: Args.string({
      description: 'Event hook id or exact name; the id of a deleted hook works too.',
      required: true,
    }),
  }

  static override description = [
    "The hook's own story from the System Log: its event_hook.* events (failed " +
      'deliveries, verification attempts, updates, activation), newest first.',
    "A deleted hook's history stays in the System Log (90 days): give " +
      'its id, and logs says who deleted it and when.',
    'event_hook.delivery is written only when a delivery fails; its ' +
      'fields are undocumented, so its debugData is shown raw.',
    '--follow polls for new events (oldest first), sleeping --interval between empty ' +
      'pages, until Ctrl-C; with --json it prints one event per line (NDJSON).',
  ].join('\n')

  static override examples = [
    '<%= config.bin %> <%= command.id %> "User sync"',
    '<%= config.bin %> <%= command.id %> "User sync" --type delivery --since 24h',
    '<%= config.bin %> <%= command.id %> who1a2b3c4d5e6f7g8h9 --follow --interval 10',
    '<%= config.bin %> <%= command.id %> "User sync" --json --follow | jq -c .debugContext.debugData',
  ]

  static override flags = {
    follow: Flags.boolean({description: 'Keep polling for new events until Ctrl-C.'}),
    interval: durationFlag({
      default: 5000,
      description: 'With --follow: how long to sleep after an empty page.',
      max: 3_600_000,
      min: 100,
    }),
    limit: Flags.integer({default: 100, description: 'At most this many events (without --follow).', min: 1}),
    since: Flags.string({default: '7d', description: 'Oldest event: ISO 8601 or relative (15m, 2h, 7d).'}),
    type: Flags.string({
      description: 'Only these kinds of event hook events (repeatable, or comma-separated).',
      multiple: true,
      options: [...HOOK_EVENT_KINDS],
    }),
    wide: wideFlag,
  }

  /** Under --json --follow the events went out as NDJSON: the final result is not printed. */
  private streamed = false

  override logJson(json: unknown): void {
    if (!this.streamed) super.logJson(json)
  }

  /** --json --follow is NDJSON: one event a line, and an error as one more line. */
  protected override jsonLines(): boolean {
    return Boolean(this.flags?.follow)
  }

  async run(): Promise<LogsResult> {
    const {flags} = this
    const okta = await this.okta()
    const {deleted, hook} = await this.hookOrDeleted(okta, this.args.hook)
    const kinds =
      flags.type
        ?.flatMap((t) => t.split(','))
        .map((t) => t.trim())
        .filter(Boolean) ?? []
    const since = parseTime(flags.since, {flag: '--since'})
    const query: LogQuery = flags.follow
      ? {filter: hookStoryFilter(hook.id, kinds), limit: 100, since, sortOrder: 'ASCENDING'}
      : {
          filter: hookStoryFilter(hook.id, kinds),
          limit: Math.min(flags.limit, 1000),
          since,
          sortOrder: 'DESCENDING',
          until: new Date().toISOString(),
        }
    const result: LogsResult = {...(deleted ? {deleted} : {}), events: [], hook: {id: hook.id, name: hook.name}, query}
    return flags.follow ? this.follow(result) : this.list(result)
  }

  /**
   * The hook, or for the id of a hook that is gone, what the System Log remembers of it: its name
   * and who deleted it (said on stderr). A name, or an id the log knows nothing of, is not found.
   */
  private async hookOrDeleted(
    okta: OktaTransport,
    ref: string,
  ): Promise<{deleted?: Omit<HookDeletion, 'name'>; hook: {id: string; name: string}}> {
    try {
      return {hook: await new EventHooksApi(okta).resolve(ref)}
    } catch (error) {
      if (!(error instanceof CliError) || error.exitCode !== ExitCode.NotFound || !isHookId(ref)) throw error
      const deletion = await findDeletion(okta, ref, {onWait: (message) => this.notice(message)})
      if (!deletion) throw error
      const {by, name, published} = deletion
      this.notice(
        `The event hook ${ref} ("${name}") no longer exists: ${by} deleted it at ` +
          `${published}. Showing its history from the System Log.`,
      )
      return {deleted: {by, published}, hook: {id: ref, name}}
    }
  }

  /** Stops --follow; tests replace it. */
  protected interruptSignal(): {dispose: () => void; signal: AbortSignal} {
    const controller = new AbortController()
    const onSigint = () => controller.abort()
    process.once('SIGINT', onSigint)
    return {dispose: () => process.removeListener('SIGINT', onSigint), signal: controller.signal}
  }

  private async follow(result: LogsResult): Promise<LogsResult> {
    const json = this.jsonEnabled()
    const interrupt = this.interruptSignal()
    if (!json) this.notice(`Following the System Log for ${result.hook.name} (${result.hook.id}); Ctrl-C to stop.`)
    try {
      for await (const page of readLogPages(await this.okta(), result.query, {
        intervalMs: this.flags.interval,
        onWait: (message) => this.notice(message),
        signal: interrupt.signal,
      })) {
        for (const event of page.events) {
          if (json) this.jsonLine(event)
          else this.log(renderRow(event))
        }
      }
    } finally {
      interrupt.dispose()
    }

    this.streamed = json
    return result
  }

  private async list(result: LogsResult): Promise<LogsResult> {
    for await (const page of readLogPages(await this.okta(), result.query, {
      onWait: (message) => this.notice(message),
    })) {
      for (const event of page.events) {
        if (result.events.length >= this.flags.limit) break
        result.events.push(event)
      }

      if (result.events.length >= this.flags.limit) break
    }

    if (result.events.length === 0) {
      this.inform(`No event hook events for ${result.hook.name} (${result.hook.id}) since ${result.query.since}.`)
      return result
    }

    if (!this.jsonEnabled())
      this.log(
        renderStoryTable(
          result.events.map((event) => storyRow(event)),
          this.output(),
        ),
      )
    return result
  }
}

const STORY_COLUMNS: Column<StoryRow>[] = [
  {cell: (row) => row.time, header: 'TIME'},
  {cell: (row) => row.eventType, header: 'EVENT TYPE'},
  {cell: (row) => row.outcome, flexible: true, header: 'OUTCOME'},
  {cell: (row) => row.message, flexible: true, header: 'MESSAGE'},
]
const DEBUG_DATA: Column<StoryRow> = {cell: (row) => row.debugData ?? '', flexible: true, header: 'DEBUG DATA'}

/** The hook's story as a table; a DEBUG DATA column (event_hook.delivery's, raw) when an event has one. */
function renderStoryTable(rows: StoryRow[], output: Output): string {
  return renderTable(rows.some((row) => row.debugData) ? [...STORY_COLUMNS, DEBUG_DATA] : STORY_COLUMNS, rows, output)
}

function renderRow(event: LogEvent): string {
  const row = storyRow(event)
  return (
    `${row.time}  ${row.eventType}  ${row.outcome}  ` +
    `${row.message}${row.debugData ? `\n    debugData: ${row.debugData}` : ''}`
  )
}
