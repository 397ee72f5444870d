import {Flags} from '@oclif/core'

import {hooksFileFlags, HooksFileCommand} from '../cli/hooks-file-command.js'
import {CliError} from '../lib/errors.js'
import {ExitCode} from '../lib/exit-codes.js'
import type {Plan as HooksPlan} from '../lib/hooks-as-code/plan.js'
import {renderPlan} from '../lib/hooks-as-code/render.js'

export type PlanResult = HooksPlan

export default class Plan extends HooksFileCommand<typeof Plan> {
  static override description = [
    `Compare a hooks file with the org and show what \`apply\` would change.`,
    `Hooks are matched by exact name. Per hook: create, update (each field before → after, as \`update\` shows ` +
      'it), verify, activate, deactivate, delete (only with --prune) or unchanged. Secrets are never compared or ' +
      'shown (Okta never returns them); the plan says when an apply sends one, and why.',
    'Exit 0 whatever the differences; with --detailed-exitcode, 7 when changes are pending (for ' +
      'drift checks in CI). Invalid files exit 2 with file:line:column and the reason.',
  ].join('\n')

  static override examples = [
    '<%= config.bin %> <%= command.id %> --file hooks.yaml',
    '<%= config.bin %> <%= command.id %> --file hooks.yaml --var ' +
      'HOOKS_HOST=hooks.example.com --prune --detailed-exitcode',
    '<%= config.bin %> <%= command.id %> --file hooks.json --json',
  ]

  static override flags = {
    ...hooksFileFlags,
    'detailed-exitcode': Flags.boolean({
      description: 'Exit 7 when the org differs from the file (changes pending), 0 when it matches.',
    }),
  }

  async run(): Promise<PlanResult> {
    const {plan} = await this.prepare('compared')
    this.log(renderPlan(plan))
    if (plan.changesPending)
      this.log(
        `Make these changes with \`${this.config.bin} apply --file ` +
          `${this.flags.file}${this.flags.prune ? ' --prune' : ''}\`.`,
      )
    if (!this.flags['detailed-exitcode'] || !plan.changesPending) return plan

    throw new CliError(
      `${plan.steps.length} change${plan.steps.length === 1 ? '' : 's'} pending: the org differs from ${plan.file}.`,
      {
        code: 'CHANGES_PENDING',
        exitCode: ExitCode.ChangesPending,
        result: plan,
      },
    )
  }
}
