import {Args, Flags} from '@oclif/core'

import {BaseCommand} from '../../cli/base-command.js'
import {type DeliveryRecord, DeliveryStore} from '../../lib/receiver/delivery-store.js'
import {RECORD_FLAG_DESCRIPTION, storePath} from '../../lib/receiver/options.js'
import {renderDelivery} from '../../lib/receiver/view.js'

export default class DeliveriesShow extends BaseCommand<typeof DeliveriesShow> {
  static override args = {
    id: Args.string({
      description: 'Delivery id from `deliveries list` (a unique prefix is enough), or "last".',
      required: true,
    }),
  }

  static override description = 'Show one recorded request and the answer it got: headers (secrets masked) and bodies.'
  static override examples = [
    '<%= config.bin %> <%= command.id %> last',
    '<%= config.bin %> <%= command.id %> mwvaf1bs2d41bd',
    '<%= config.bin %> <%= command.id %> mwvaf1bs --json | jq -r .delivery.request.body | jq .data.events',
  ]

  static override flags = {
    record: Flags.string({description: RECORD_FLAG_DESCRIPTION, helpValue: 'PATH'}),
  }

  async run(): Promise<{delivery: DeliveryRecord}> {
    const store = new DeliveryStore(storePath(this.flags.record, this.config.dataDir))
    const delivery = store.get(this.args.id)
    this.log(renderDelivery(delivery))
    return {delivery}
  }
}
