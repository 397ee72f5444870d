import {SetStatusCommand} from '../cli/set-status-command.js'

export default class Activate extends SetStatusCommand<typeof Activate> {
  static override description = [
    'Activate one or more event hooks, each by id or exact name.',
    'A hook that is already ACTIVE is reported as such and left alone (not an error). Every hook is looked up ' +
      'before any is changed; if one fails midway, the error says which were activated and which not.',
  ].join('\n')

  static override examples = [
    '<%= config.bin %> <%= command.id %> who1a2b3c4d5e6f7g8h9',
    '<%= config.bin %> <%= command.id %> "User sync" "Group audit"',
    '<%= config.bin %> <%= command.id %> who1a2b3c4d5e6f7g8h9 --json',
  ]

  protected readonly target = {done: 'Activated', status: 'ACTIVE'} as const
}
