import {Args, Flags} from '@oclif/core'

import {BaseCommand} from '../cli/base-command.js'
import {type EventTypeInfo, loadCatalog, searchEventTypes} from '../lib/catalog/event-types.js'

export interface EventTypesResult {
  count: number
  eventTypes: EventTypeInfo[]
  source: string
}

export default class EventTypes extends BaseCommand<typeof EventTypes> {
  static override args = {
    search: Args.string({description: 'Words that every listed type\'s id or category must contain, e.g. "user lifecycle".'}),
  }

  static override description = [
'List the event types an event hook can subscribe to, from the catalog shipped with okta-hooks.',
'Only event-hook-eligible types by default; --all adds the ' + 'others, marked. Works offline: it does not call Okta.',
].join('\n')

  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> "user lifecycle"',
    '<%= config.bin %> <%= command.id %> group --all',
    '<%= config.bin %> <%= command.id %> --json | jq -r \'.eventTypes[].id\'',
  ]

  static override flags = {
    all: Flags.boolean({description: 'Include types Okta does not deliver to event hooks (marked in an ELIGIBLE column).'}),
  }

  async run(): Promise<EventTypesResult> {
    const {all} = this.flags
    const eventTypes = searchEventTypes(this.args.search, {all})
    const {source} = loadCatalog()
    if (eventTypes.length === 0) {
      this.log(`No ${all ? '' : 'event-hook-eligible '}event types match "${this.args.search}" in ${source}.`)
      if (!all) this.log('Try fewer words, or --all to include types that are not eligible.')
    } else {
      this.log(await renderTable(eventTypes, Boolean(all)))
      this.log(`${eventTypes.length} ${all ? '' : 'eligible '}event type${eventTypes.length === 1 ? '' : 's'} (${source}).`)
    }

    return {count: eventTypes.length, eventTypes, source}
  }
}

async function renderTable(types: EventTypeInfo[], all: boolean): Promise<string> {
  const {default: Table} = await import('cli-table3')
  const columns: [string, (t: EventTypeInfo) => string][] = [
    ['ID', (t) => t.id],
    ['CATEGORY', (t) => t.category],
    ['RELEASE', (t) => t.release],
    ['BETA', (t) => (t.beta ? 'beta' : '')],
    ...(all ? ([['ELIGIBLE', (t: EventTypeInfo) => (t.eventHookEligible ? 'yes' : 'no')]] as [string, (t: EventTypeInfo) => string][]) : []),
  ]
  const table = new Table({head: columns.map(([title]) => title), style: {border: [], head: []}})
  for (const type of types) table.push(columns.map(([, cell]) => cell(type)))
  return table.toString()
}
