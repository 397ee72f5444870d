import {Args} from '@oclif/core'

import {BaseCommand} from '../cli/base-command.js'
import {type CompletionModel, completionScript, installCommand, type Shell, SHELLS} from '../lib/completion/scripts.js'

export interface CompletionResult {
  install: string
  script: string
  shell: Shell
}

export default class Completion extends BaseCommand<typeof Completion> {
  static override args = {
    shell: Args.string({description: 'The shell to complete in.', options: [...SHELLS], required: true}),
  }

  static override description = `Print the shell completion script for bash, zsh or fish: commands, topics, flags and flag values (--status ACTIVE|INACTIVE) complete with Tab.
Written from okta-hooks' own commands, so it always matches the installed version. Install it once:
  bash  okta-hooks completion bash >> ~/.bashrc
  zsh   okta-hooks completion zsh > "\${fpath[1]}/_okta-hooks"
  fish  okta-hooks completion fish > ~/.config/fish/completions/okta-hooks.fish
then open a new shell.`

  static override examples = [
    '<%= config.bin %> <%= command.id %> bash >> ~/.bashrc',
    '<%= config.bin %> <%= command.id %> zsh > "${fpath[1]}/_<%= config.bin %>"',
    '<%= config.bin %> <%= command.id %> fish > ~/.config/fish/completions/<%= config.bin %>.fish',
  ]

  async run(): Promise<CompletionResult> {
    const shell = this.args.shell as Shell
    const script = completionScript(shell, this.model())
    if (!this.jsonEnabled()) process.stdout.write(script)
    return {install: installCommand(shell, this.config.bin), script, shell}
  }

  /** The commands as the manifest has them (hidden ones left out), each with --help. */
  private model(): CompletionModel {
    const {bin} = this.config
    const summary = (text?: string) => (text ?? '').split('\n')[0].replaceAll('<%= config.bin %>', bin)
    return {
      bin,
      commands: this.config.commands
        .filter((command) => !command.hidden)
        .map((command) => ({
          flags: [
            ...Object.values(command.flags)
              .filter((flag) => !flag.hidden)
              .map((flag) => ({
                char: flag.char,
                multiple: flag.type === 'option' && Boolean(flag.multiple),
                name: flag.name,
                options: flag.type === 'option' ? flag.options : undefined,
                summary: summary(flag.summary ?? flag.description),
                takesValue: flag.type === 'option',
              })),
            {char: 'h', name: 'help', summary: 'Show help.', takesValue: false},
          ],
          id: command.id.split(':').join(' '),
          summary: summary(command.summary ?? command.description),
        })),
      // (oclif counts each command as a topic of its own too: only the real topics)
      topics: this.config.topics
        .filter((topic) => !topic.hidden && !this.config.findCommand(topic.name))
        .map((topic) => ({name: topic.name.split(':').join(' '), summary: summary(topic.description)})),
    }
  }
}
