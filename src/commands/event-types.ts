import {Args, Flags} from '@oclif/core'

import {BaseCommand} from '../cli/base-command.js'
import {wideFlag} from '../cli/output-flags.js'
import {loadCatalog, searchEventTypes} from '../lib/catalog/event-types.js'
import {identityEngineSource, withIdentityEngine} from '../lib/catalog/identity-engine.js'
import {type EventTypeRow, eventTypesLegend, renderEventTypes} from '../lib/catalog/view.js'

export interface EventTypesResult {
  count: number
  eventTypes: EventTypeRow[]
  /** Where the Identity Engine marks come from (Okta's guide). */
  identityEngineSource: string
  source: string
}

export default class EventTypes extends BaseCommand<typeof EventTypes> {
  static override args = {
    search: Args.string({
      description: 'Words that every listed type\'s id or category must contain, e.g. "user lifecycle".',
    }),
  }

  static override description = [
    'List the event types an event hook can subscribe to, from the catalog shipped with okta-hooks.',
    'Only event-hook-eligible types by default; --all adds the others, marked. Works offline: it does not call Okta.',
    'At a terminal, one line per family of types (user.lifecycle: create, activate, ...); --wide, or piped, the table: ' +
      'one type a line with its category, release and beta mark.',
    'Marks what Okta\'s guide "Update your event hooks for Identity Engine" says: types Identity Engine orgs never ' +
      'trigger (name!, "not triggered"), types whose payload differs there (name~, "payload changed"), and, in the ' +
      'table, types only Identity Engine has ("only"). --json: identityEngine and identityEngineNote on each type.',
  ].join('\n')

  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> "user lifecycle"',
    '<%= config.bin %> <%= command.id %> group --all',
    "<%= config.bin %> <%= command.id %> --json | jq -r '.eventTypes[].id'",
  ]

  static override flags = {
    all: Flags.boolean({description: 'Include types Okta does not deliver to event hooks (marked as not eligible).'}),
    wide: wideFlag,
  }

  async run(): Promise<EventTypesResult> {
    const {all} = this.flags
    const eventTypes = withIdentityEngine(searchEventTypes(this.args.search, {all}))
    const {source} = loadCatalog()
    if (eventTypes.length === 0) {
      this.inform(`No ${all ? '' : 'event-hook-eligible '}event types match "${this.args.search}" in ${source}.`)
      if (!all) this.inform('Try fewer words, or --all to include types that are not eligible.')
    } else if (!this.jsonEnabled()) {
      const output = this.output()
      this.log(renderEventTypes(eventTypes, {all: Boolean(all)}, output))
      const legend = eventTypesLegend(eventTypes, output)
      this.inform(
        `${eventTypes.length} ${all ? '' : 'eligible '}event type${eventTypes.length === 1 ? '' : 's'} (${source}).${legend ? ` ${legend}` : ''}`,
      )
    }

    return {count: eventTypes.length, eventTypes, identityEngineSource: identityEngineSource(), source}
  }
}
