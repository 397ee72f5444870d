import {Flags} from '@oclif/core'

import {OktaCommand} from '../cli/okta-command.js'
import {wideFlag} from '../cli/output-flags.js'
import {EventHooksApi} from '../lib/hooks/event-hooks-api.js'
import {maskedHook, renderHookTable} from '../lib/hooks/hook-view.js'
import type {EventHook} from '../lib/hooks/types.js'

export default class List extends OktaCommand<typeof List> {
  static override description = "List the org's event hooks."
  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> --status ACTIVE --verification UNVERIFIED',
    "<%= config.bin %> <%= command.id %> --json | jq -r '.hooks[].id'",
    '<%= config.bin %> <%= command.id %> | cut -f1,2',
  ]

  static override flags = {
    status: Flags.string({description: 'Only hooks with this status.', options: ['ACTIVE', 'INACTIVE']}),
    verification: Flags.string({
      description: 'Only hooks with this verification status.',
      options: ['VERIFIED', 'UNVERIFIED'],
    }),
    wide: wideFlag,
  }

  async run(): Promise<{hooks: EventHook[]}> {
    const api = new EventHooksApi(await this.okta())
    const hooks = (await api.list()).filter(
      (hook) =>
        (!this.flags.status || hook.status === this.flags.status) &&
        (!this.flags.verification || hook.verificationStatus === this.flags.verification),
    )
    if (hooks.length === 0) this.inform('No event hooks match.')
    else if (!this.jsonEnabled()) this.log(renderHookTable(hooks, this.output()))
    return {hooks: hooks.map((hook) => maskedHook(hook))}
  }
}
