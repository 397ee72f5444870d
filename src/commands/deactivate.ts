import {hookArg} from '../cli/hook-arg.js'
import {OktaCommand} from '../cli/okta-command.js'
import {EventHooksApi} from '../lib/hooks/event-hooks-api.js'
import {label, resolveHooks, setStatus, type StatusResult} from '../lib/hooks/lifecycle.js'

export default class Deactivate extends OktaCommand<typeof Deactivate> {
  static override args = {hook: hookArg}
  static override description = `Deactivate one or more event hooks, each by id or exact name.
A hook that is already INACTIVE is reported as such and left alone (not an error). Every hook is looked up before any is changed; if one fails midway, the error says which were deactivated and which not.`

  static override examples = [
    '<%= config.bin %> <%= command.id %> who1a2b3c4d5e6f7g8h9',
    '<%= config.bin %> <%= command.id %> "User sync" "Group audit"',
    '<%= config.bin %> <%= command.id %> who1a2b3c4d5e6f7g8h9 --json',
  ]

  static override strict = false

  async run(): Promise<{results: StatusResult[]}> {
    const {argv} = await this.parse(Deactivate)
    const api = new EventHooksApi(await this.okta())
    const hooks = await resolveHooks(api, argv as string[])
    const results = await setStatus(api, hooks, 'INACTIVE', ({hook, step}) =>
      this.log(step === 'already' ? `${label(hook)} is already INACTIVE; nothing to do.` : `Deactivated ${label(hook)}.`),
    )
    return {results}
  }
}
