import {Flags} from '@oclif/core'

import {OktaCommand} from '../../cli/okta-command.js'
import {defaultDevHookName, DEV_HOOK_MARKER, isDevHook} from '../../lib/dev-loop/dev-hook.js'
import {CliError} from '../../lib/errors.js'
import {ExitCode} from '../../lib/exit-codes.js'
import {EventHooksApi} from '../../lib/hooks/event-hooks-api.js'
import {type DeleteResult, deleteHooks, label} from '../../lib/hooks/lifecycle.js'
import type {EventHook} from '../../lib/hooks/types.js'
import {prompter} from '../../lib/io/prompter.js'

export default class DevCleanup extends OktaCommand<typeof DevCleanup> {
  static override description = `Remove the dev hooks that \`listen --register\` left in the org (after a crash, a kill -9, or --keep).

Only hooks marked as dev hooks (their description starts with "${DEV_HOOK_MARKER}") are ever touched: by default this machine's ("okta-hooks dev <user>@<host>"), with --name another one, with --all every dev hook of the org. Asks first at a terminal; elsewhere --yes is required. An active hook is deactivated first, as Okta deletes only inactive hooks.`

  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> --all --yes',
    '<%= config.bin %> <%= command.id %> --name "okta-hooks dev ci" --yes --json',
  ]

  static override flags = {
    all: Flags.boolean({
      description: "Every dev hook of the org, whoever's (a running listen --register of someone else loses its hook).",
      exclusive: ['name'],
    }),
    name: Flags.string({description: 'The dev hooks of this name (as given to listen --register --name).'}),
    yes: Flags.boolean({
      char: 'y',
      description: 'Remove without asking (required without a terminal, and with --json).',
    }),
  }

  async run(): Promise<{results: DeleteResult[]}> {
    const {flags} = this
    const name = flags.all ? undefined : (flags.name ?? defaultDevHookName())
    const which = name ? `dev hooks named "${name}"` : 'every dev hook'
    // Fail at once, before any call to Okta, when nobody is there to confirm.
    if (!flags.yes) this.requirePrompt('--yes', `confirmation to remove ${which}`)
    const api = new EventHooksApi(await this.okta())
    const hooks = (await api.list()).filter((hook) => isDevHook(hook) && (name === undefined || hook.name === name))
    if (hooks.length === 0) {
      this.log(`No ${which} in the org: nothing to remove.${name ? ' (--all looks at every dev hook.)' : ''}`)
      return {results: []}
    }

    if (!flags.yes) await this.confirm(hooks)
    const results = await deleteHooks(api, hooks, ({hook, step}) => {
      if (step === 'deleted') this.log(`Removed the dev hook ${label(hook)}.`)
    })
    return {results}
  }

  private async confirm(hooks: EventHook[]): Promise<void> {
    const list = hooks.map((hook) => `  - ${label(hook)} ${hook.status}, ${hook.channel?.config?.uri ?? ''}`).join('\n')
    const yes = await prompter.confirm(
      `Remove ${hooks.length === 1 ? 'this dev hook' : `these ${hooks.length} dev hooks`} from the org?\n${list}\n`,
    )
    if (!yes) throw new CliError('Cancelled: nothing was removed.', {code: 'CANCELLED', exitCode: ExitCode.Usage})
  }
}
