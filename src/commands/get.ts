import {Flags} from '@oclif/core'

import {hookArg} from '../cli/hook-arg.js'
import {OktaCommand} from '../cli/okta-command.js'
import {EventHooksApi} from '../lib/hooks/event-hooks-api.js'
import {maskedHook, renderHookDetail} from '../lib/hooks/hook-view.js'
import type {EventHook} from '../lib/hooks/types.js'

export default class Get extends OktaCommand<typeof Get> {
  static override args = {hook: hookArg}
  static override description = `Show every field of one event hook.
Custom header values are masked unless --reveal-headers; the auth secret is write-only in Okta and never shown.`

  static override examples = [
    '<%= config.bin %> <%= command.id %> who1a2b3c4d5e6f7g8h9',
    '<%= config.bin %> <%= command.id %> "User sync" --json',
  ]

  static override flags = {
    'reveal-headers': Flags.boolean({description: 'Show custom header values in clear.'}),
  }

  async run(): Promise<{hook: EventHook}> {
    const api = new EventHooksApi(await this.okta())
    const hook = maskedHook(await api.resolve(this.args.hook), {reveal: this.flags['reveal-headers']})
    this.log(renderHookDetail(hook))
    return {hook}
  }
}
