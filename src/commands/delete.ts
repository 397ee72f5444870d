import {Flags} from '@oclif/core'

import {hookArg} from '../cli/hook-arg.js'
import {OktaCommand} from '../cli/okta-command.js'
import {CliError} from '../lib/errors.js'
import {ExitCode} from '../lib/exit-codes.js'
import {EventHooksApi} from '../lib/hooks/event-hooks-api.js'
import {type DeleteResult, deleteHooks, label, resolveHooks} from '../lib/hooks/lifecycle.js'
import type {EventHook} from '../lib/hooks/types.js'
import {prompter} from '../lib/io/prompter.js'

export default class Delete extends OktaCommand<typeof Delete> {
  static override args = {hook: hookArg}
  static override description = [
    'Delete one or more event hooks, each by id or exact name.',
    'Asks for confirmation at a terminal; elsewhere (scripts, CI, --json) --yes is required. Okta deletes only ' +
      'INACTIVE hooks, so an ACTIVE hook is deactivated first. If a step fails midway, the error lists which hooks ' +
      'were deleted, which were deactivated but not deleted, and which were left untouched.',
  ].join('\n')

  static override examples = [
    '<%= config.bin %> <%= command.id %> who1a2b3c4d5e6f7g8h9',
    '<%= config.bin %> <%= command.id %> "User sync" "Group audit" --yes',
    '<%= config.bin %> <%= command.id %> who1a2b3c4d5e6f7g8h9 --yes --json',
  ]

  static override flags = {
    yes: Flags.boolean({
      char: 'y',
      description: 'Delete without asking (required without a terminal, and with --json).',
    }),
  }

  static override strict = false

  async run(): Promise<{results: DeleteResult[]}> {
    const {argv} = await this.parse(Delete)
    const refs = argv as string[]
    // Fail at once, before any call to Okta, when nobody is there to confirm.
    if (!this.flags.yes)
      this.requirePrompt('--yes', `confirmation to delete ${refs.map((ref) => `"${ref}"`).join(', ')}`)
    const api = new EventHooksApi(await this.okta())
    const hooks = await resolveHooks(api, refs)
    if (!this.flags.yes) await this.confirm(hooks)
    const results = await deleteHooks(api, hooks, ({hook, step}) =>
      this.log(
        step === 'deactivated-first'
          ? `Deactivated ${label(hook)} first: Okta deletes only inactive hooks.`
          : `Deleted ${label(hook)}.`,
      ),
    )
    return {results}
  }

  private async confirm(hooks: EventHook[]): Promise<void> {
    const list = hooks
      .map(
        (hook) => `  - ${label(hook)} ${hook.status}${hook.status === 'ACTIVE' ? ' (will be deactivated first)' : ''}`,
      )
      .join('\n')
    const yes = await prompter.confirm(
      `Delete ${hooks.length === 1 ? 'this event hook' : `these ${hooks.length} event hooks`}? This cannot be ` +
        `undone.\n${list}\n`,
    )
    if (!yes) throw new CliError('Cancelled: nothing was deleted.', {code: 'CANCELLED', exitCode: ExitCode.Usage})
  }
}
