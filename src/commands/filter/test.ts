import {Flags} from '@oclif/core'
import {readFileSync} from 'node:fs'

import {commaList} from '../../cli/flags.js'
import {OktaCommand} from '../../cli/okta-command.js'
import {wideFlag} from '../../cli/output-flags.js'
import {parseEventTypes} from '../../lib/catalog/event-types.js'
import {usageError} from '../../lib/errors.js'
import {filterTestEvents, type FilterTestSource} from '../../lib/filter-test/events.js'
import {type FilterTestReport, type FilterTestSubject, testFilter} from '../../lib/filter-test/report.js'
import {renderFilterTest, filterTestSummaryLine} from '../../lib/filter-test/view.js'
import {
  describeSubject,
  expressionSubject,
  type FilterTestSubjectView,
  hookSubject,
} from '../../lib/filter-test/subject.js'
import {EventHooksApi} from '../../lib/hooks/event-hooks-api.js'
import {readStdinOnce} from '../../lib/io/stdin.js'
import {MAX_PAGE_SIZE} from '../../lib/syslog/pager.js'

const EVENTS = 'EVENTS'

export interface FilterTestResult extends FilterTestReport {
  source: 'file' | 'sample' | 'system-log'
  subject: FilterTestSubjectView
}

export default class FilterTest extends OktaCommand<typeof FilterTest> {
  static override description = [
    'Show which events an event hook filter lets through, and why, decided as Okta decides.',
    "The filter: an expression (--expression, for the event type it filters) or a hook's filters (--hook). The " +
      'events: the System Log (the default), a file (--from-file) or built-in samples (--sample). The expression ' +
      'is evaluated here; only the hook and the System Log are read from Okta.',
    'For each event: matched (Okta delivers it), not matched (Okta does not), and why; --verbose shows how each ' +
      'part of the expression decided. With --hook, an event of a type the hook does not subscribe to is not ' +
      'matched and a subscribed type without a filter is matched; with --expression --event-type, events of ' +
      'other types are skipped.',
    'The Admin Console\'s Preview bypasses filters (Okta: "Don\'t test your filter with the Preview feature"); ' +
      'this does not.',
    'Exit 0 when the events were evaluated, whatever they decided (read .summary under --json); 2 for an ' +
      'expression okta-hooks refuses (with its position), 4 for an unknown hook or no System Log event.',
  ].join('\n')

  static override examples = [
    `<%= config.bin %> <%= command.id %> --expression "event.target.?[type eq 'UserGroup' && displayName eq ` +
      `'Sales'].size() > 0" --event-type group.user_membership.add --since 24h`,
    '<%= config.bin %> <%= command.id %> --hook "User sync" --since 2h --verbose',
    `<%= config.bin %> <%= command.id %> --expression "event.outcome.result eq 'SUCCESS'" --event-type ` +
      'user.lifecycle.create --sample',
    `<%= config.bin %> <%= command.id %> --expression "event.actor.type eq 'User'" --from-file events.ndjson --json ` +
      "| jq '.summary'",
    '<%= config.bin %> <%= command.id %> --hook who1a2b3c4d5e6f7g8h9 --event-id 4b5a2e5e-3f4c-11ef-9c1e-3b1a0b6b2f41',
  ]

  static override flags = {
    'allow-unknown-events': Flags.boolean({
      description: 'Accept --event-type values that are not in the catalog shipped with okta-hooks.',
      helpGroup: EVENTS,
    }),
    'event-id': Flags.string({
      description: 'System Log event uuid (repeatable): test exactly these events (over 90 days unless --since).',
      helpGroup: EVENTS,
      multiple: true,
    }),
    'event-type': Flags.string({
      description:
        'The event type the expression filters (repeatable, or comma-separated); with --hook, only these of its ' +
        'types. Selects the System Log events, and the --sample types.',
      helpGroup: EVENTS,
      multiple: true,
    }),
    expression: Flags.string({
      description: "Filter expression in Okta's Expression Language, e.g. \"event.outcome.result eq 'SUCCESS'\".",
      exactlyOne: ['expression', 'hook'],
      helpValue: 'EXPR',
    }),
    'from-file': Flags.string({
      description: 'LogEvents from a file (a JSON array, NDJSON, one event, or a delivery envelope); - for stdin.',
      exclusive: ['sample', 'event-id', 'since', 'until'],
      helpGroup: EVENTS,
    }),
    hook: Flags.string({
      description: 'Event hook id or exact name: test its filters and event types (read from Okta).',
      exactlyOne: ['expression', 'hook'],
      helpValue: 'ID|NAME',
    }),
    limit: Flags.integer({
      default: 20,
      description: 'How many System Log events (newest first).',
      helpGroup: EVENTS,
      max: MAX_PAGE_SIZE,
      min: 1,
    }),
    sample: Flags.boolean({
      description:
        "A built-in sample event of each event type (--event-type, or the hook's) instead of the System Log.",
      exclusive: ['event-id', 'since', 'until'],
      helpGroup: EVENTS,
    }),
    since: Flags.string({
      description: 'Oldest event: ISO 8601 or relative (15m, 2h, 7d). Default 7d (90d with --event-id).',
      helpGroup: EVENTS,
    }),
    until: Flags.string({description: 'Newest event: ISO 8601 or relative. Default now.', helpGroup: EVENTS}),
    verbose: Flags.boolean({description: 'Show how each event was decided: every part of the expression, per target.'}),
    wide: wideFlag,
  }

  async run(): Promise<FilterTestResult> {
    const {flags} = this
    const eventTypes =
      flags['event-type'] === undefined
        ? []
        : parseEventTypes(commaList(flags['event-type']), {
            allowUnknown: flags['allow-unknown-events'],
            flag: '--event-type',
          })
    const expression = flags.expression === undefined ? undefined : expressionSubject(flags.expression, eventTypes)
    if (expression && !flags['from-file'] && eventTypes.length === 0 && !flags['event-id']?.length) {
      throw usageError('--expression needs the event type it filters (--event-type) to read events.', [
        'e.g. --event-type user.lifecycle.create (with --sample, or the System Log)',
        'or give the events with --from-file, or the System Log events with --event-id',
      ])
    }

    const okta = expression && (flags['from-file'] || flags.sample) ? undefined : await this.okta()
    const hook = flags.hook && okta ? await new EventHooksApi(okta).resolve(flags.hook) : undefined
    const subject = hook ? hookSubject(hook, eventTypes) : expression!
    this.noteHook(subject)
    const source = await this.source(subject)
    const events = await filterTestEvents(source, okta, {onWait: (message) => this.notice(message)})
    const report = testFilter(subject, events)
    if (!this.jsonEnabled()) {
      this.log(renderFilterTest(report, {verbose: flags.verbose}, this.output()))
      this.inform(filterTestSummaryLine(report.summary))
    }

    return {...report, source: sourceName(source), subject: describeSubject(subject)}
  }

  /** Notes about the hook that change what Okta would deliver. */
  private noteHook(subject: FilterTestSubject): void {
    if (subject.kind !== 'hook') return
    const {hook} = subject
    if (hook.status !== 'ACTIVE') this.warnUser(`${hook.name} is ${hook.status}: Okta delivers nothing to it now.`)
    for (const {event, problem} of subject.filters.problems) {
      this.warnUser(
        `the hook's filter for ${event} cannot be evaluated here (${problem.message}); its events are undecided.`,
      )
    }
  }

  /** Where the events come from: --from-file, --sample, or the System Log. */
  private async source(subject: FilterTestSubject): Promise<FilterTestSource> {
    const {flags} = this
    const file = flags['from-file']
    if (file) return {file, text: file === '-' ? await readStdinOnce('--from-file -') : readFileSync(file, 'utf8')}
    const types = subject.kind === 'hook' ? subject.items : subject.eventTypes
    if (flags.sample) return {sample: types}
    return {
      log: {
        eventIds: flags['event-id'],
        eventTypes: types,
        limit: flags.limit,
        since: flags.since,
        until: flags.until,
      },
    }
  }
}

function sourceName(source: FilterTestSource): FilterTestResult['source'] {
  if ('file' in source) return 'file'
  return 'sample' in source ? 'sample' : 'system-log'
}
