/**
 * `okta-hooks help [COMMAND]`: oclif's help, as @oclif/plugin-help's help command gives it, from
 * the bundled @oclif/core (the plugin itself would be one more package to install and look for at
 * every start). `okta-hooks help` and `<command> --help` are answered by bin/run.js from the
 * build's help cache when it can; this command renders what the cache does not hold.
 */
import {Args, Command, Flags, loadHelpClass} from '@oclif/core'

export default class Help extends Command {
  static override args = {
    command: Args.string({description: 'Command to show help for.', ignoreStdin: true, required: false}),
  }

  static override description = 'Display help for <%= config.bin %>.'
  static override flags = {
    'nested-commands': Flags.boolean({char: 'n', description: 'Include all nested commands in the output.'}),
  }

  static override strict = false

  async run(): Promise<void> {
    const {argv, flags} = await this.parse(Help)
    const HelpClass = await loadHelpClass(this.config)
    await new HelpClass(this.config, {all: flags['nested-commands']}).showHelp(argv as string[])
  }
}
