import {Flags} from '@oclif/core'

import {BaseCommand} from '../../cli/base-command.js'
import {prompter} from '../../lib/io/prompter.js'
import {DeliveryStore} from '../../lib/receiver/delivery-store.js'
import {RECORD_FLAG_DESCRIPTION, storePath} from '../../lib/receiver/options.js'

export default class DeliveriesClear extends BaseCommand<typeof DeliveriesClear> {
  /** The confirmation question; tests replace it. */
  static confirm = (message: string) => prompter.confirm(message, false)

  static override description =
    'Delete every recorded request (the rotated `<file>.1` too). Asks first at a terminal; elsewhere needs --yes.'
  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> --yes',
    '<%= config.bin %> <%= command.id %> --record ./hooks.ndjson --yes',
  ]
  static override flags = {
    record: Flags.string({description: RECORD_FLAG_DESCRIPTION, helpValue: 'PATH'}),
    yes: Flags.boolean({char: 'y', description: 'Delete without asking.'}),
  }

  async run(): Promise<{cleared: number; record: string}> {
    const store = new DeliveryStore(storePath(this.flags.record, this.config.dataDir))
    if (!store.exists()) {
      this.log(`Nothing to clear: ${store.path} does not exist.`)
      return {cleared: 0, record: store.path}
    }

    const count = store.count()
    if (!this.flags.yes) {
      this.requirePrompt('--yes', `confirm deleting ${count} recorded request(s) in ${store.path}`)
      if (!(await DeliveriesClear.confirm(`Delete ${count} recorded request(s) in ${store.path}?`))) {
        this.log('Nothing deleted.')
        return {cleared: 0, record: store.path}
      }
    }

    const cleared = store.clear()
    this.log(`Deleted ${cleared} recorded request(s) from ${store.path}.`)
    return {cleared, record: store.path}
  }
}
