/** activate and deactivate: one command shape, two target states. */
import {Command} from '@oclif/core'

import {EventHooksApi} from '../lib/hooks/event-hooks-api.js'
import {label, resolveHooks, setStatus, type StatusResult} from '../lib/hooks/lifecycle.js'
import {hookArg} from './hook-arg.js'
import {OktaCommand} from './okta-command.js'

export abstract class SetStatusCommand<T extends typeof Command> extends OktaCommand<T> {
  static override args = {hook: hookArg}
  static override strict = false

  /** The state this command moves hooks to, and the past tense shown for a change. */
  protected abstract readonly target: {done: string; status: 'ACTIVE' | 'INACTIVE'}

  async run(): Promise<{results: StatusResult[]}> {
    const api = new EventHooksApi(await this.okta())
    const hooks = await resolveHooks(api, this.positionals)
    const {done, status} = this.target
    const results = await setStatus(api, hooks, status, ({hook, step}) =>
      this.log(step === 'already' ? `${label(hook)} is already ${status}; nothing to do.` : `${done} ${label(hook)}.`),
    )
    return {results}
  }
}
