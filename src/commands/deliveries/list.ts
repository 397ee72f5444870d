import {Flags} from '@oclif/core'

import {BaseCommand} from '../../cli/base-command.js'
import {wideFlag} from '../../cli/output-flags.js'
import {DeliveryStore} from '../../lib/receiver/delivery-store.js'
import {RECORD_FLAG_DESCRIPTION, storePath} from '../../lib/receiver/options.js'
import {type DeliveryRow, deliveryRow, renderDeliveryTable} from '../../lib/receiver/view.js'

export default class DeliveriesList extends BaseCommand<typeof DeliveriesList> {
  static override description = [
    `List the requests \`listen\` received, newest last: id, time, method, path, status, events and latency.`,
    '',
    'Reads from the end of the record (and on into its rotated <file>.1), ' +
      'so it is as quick on a large record as on a small one.',
  ].join('\n')
  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> --limit 50',
    "<%= config.bin %> <%= command.id %> --json | jq -r '.deliveries[] | select(.status >= 400) | .id'",
  ]

  static override flags = {
    limit: Flags.integer({default: 20, description: 'Show at most this many of the newest (0 for all).', min: 0}),
    record: Flags.string({description: RECORD_FLAG_DESCRIPTION, helpValue: 'PATH'}),
    wide: wideFlag,
  }

  async run(): Promise<{deliveries: DeliveryRow[]; more: boolean; record: string}> {
    const store = new DeliveryStore(storePath(this.flags.record, this.config.dataDir))
    const {items: shown, more} = store.newest(this.flags.limit, deliveryRow)
    if (shown.length === 0) {
      this.inform(`No deliveries recorded in ${store.path}.\nStart a receiver with: ${this.config.bin} listen`)
    } else if (!this.jsonEnabled()) {
      this.log(renderDeliveryTable(shown, this.output()))
      if (more) this.inform(`Showing the newest ${shown.length}; older ones are recorded too: --limit 0 shows all.`)
    }

    return {deliveries: shown, more, record: store.path}
  }
}
