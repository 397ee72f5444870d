import {Flags} from '@oclif/core'

import {hooksFileFlags, HooksFileCommand} from '../cli/hooks-file-command.js'
import {CliError} from '../lib/errors.js'
import {ExitCode} from '../lib/exit-codes.js'
import {type ApplyRequest, ApplyFailure, applyPlan, requestsFor, type StepResult} from '../lib/hooks-as-code/apply.js'
import type {Plan, PlanStep} from '../lib/hooks-as-code/plan.js'
import {renderApplied, renderFailure, renderPlan, renderRequests, renderStepDone} from '../lib/hooks-as-code/render.js'
import {prompter} from '../lib/io/prompter.js'

export interface ApplyResult {
  /** Whether anything in the org was changed. */
  applied: boolean
  /** The command that continues after a failure (apply plans again, so it does only what is left). */
  continueWith?: string
  done: StepResult[]
  dryRun?: true
  failed?: PlanStep
  notDone: PlanStep[]
  plan: Plan
  requests?: (PlanStep & {request: ApplyRequest})[]
}

export default class Apply extends HooksFileCommand<typeof Apply> {
  static override description = [
    `Make the org match a hooks file: what \`plan\` shows, carried out in a safe order.`,
    'Creates and updates first; then deactivations (hooks the file wants INACTIVE, and those --prune ' +
      'deletes); verification where the file asks for it (verify: true) or a channel change requires it; ' +
      'activations; deletions last. Every secret the file refers to is read before anything is sent.',
    'Asks for confirmation at a terminal; elsewhere (scripts, CI, --json) --yes is required. --dry-run shows ' +
      'the requests (secrets masked) and sends nothing. A second apply finds nothing to do. If a step fails, ' +
      'apply stops and lists what was done and what was not; run it again to continue.',
  ].join('\n')

  static override examples = [
    '<%= config.bin %> <%= command.id %> --file hooks.yaml',
    '<%= config.bin %> <%= command.id %> --file hooks.yaml --dry-run',
    '<%= config.bin %> <%= command.id %> --file hooks.yaml --var HOOKS_HOST=hooks.example.com --prune --yes --json',
  ]

  static override flags = {
    ...hooksFileFlags,
    'dry-run': Flags.boolean({
      description: 'Show the plan and every request apply would send (secrets masked); change nothing.',
    }),
    yes: Flags.boolean({
      char: 'y',
      description: 'Apply without asking (required without a terminal, and with --json).',
    }),
  }

  async run(): Promise<ApplyResult> {
    const {api, file, org, plan} = await this.prepare('all')
    this.log(renderPlan(plan))
    if (!plan.changesPending) return {applied: false, done: [], notDone: [], plan}
    const context = {org, specs: file.hooks}
    if (this.flags['dry-run']) {
      const requests = requestsFor(plan, context)
      this.log('')
      this.log(renderRequests(requests))
      return {applied: false, done: [], dryRun: true, notDone: plan.steps, plan, requests}
    }

    await this.confirm(plan)
    try {
      const done = await applyPlan(api, plan, context, (result) => this.log(renderStepDone(result)))
      this.log(renderApplied(done))
      return {applied: true, done, notDone: [], plan}
    } catch (error) {
      if (!(error instanceof ApplyFailure)) throw error
      return this.stopped(error, plan)
    }
  }

  private async confirm(plan: Plan): Promise<void> {
    if (this.flags.yes) return
    this.requirePrompt(
      '--yes',
      `confirmation to make ${plan.steps.length} change${plan.steps.length === 1 ? '' : 's'} to ${plan.org}`,
    )
    if (!(await prompter.confirm(`Apply these ${plan.steps.length} changes to ${plan.org}?`))) {
      throw new CliError('Cancelled: nothing was changed.', {code: 'CANCELLED', exitCode: ExitCode.Usage})
    }
  }

  /** A failed step: the report (done, failed, not done) and the command that continues. */
  private stopped(failure: ApplyFailure, plan: Plan): never {
    const continueWith = this.continueCommand()
    const {error} = failure
    const report: ApplyResult = {
      applied: failure.done.length > 0,
      continueWith,
      done: failure.done,
      failed: failure.failed,
      notDone: failure.notDone,
      plan,
    }
    if (!this.jsonEnabled()) this.notice(renderFailure(failure))
    throw new CliError(error.message, {
      causes: error.causes,
      code: error.code,
      details: error.details,
      exitCode: error.exitCode,
      result: report,
      suggestions: [
        ...error.suggestions,
        `Then continue with \`${continueWith}\`: apply compares again and does only what is left`,
      ],
    })
  }

  /** This very command, with --yes and without --dry-run, quoted for a POSIX shell. */
  private continueCommand(): string {
    const args = this.argv.filter((arg) => arg !== '--dry-run')
    if (!args.includes('--yes') && !args.includes('-y')) args.push('--yes')
    const quote = (arg: string) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`)
    return [this.config.bin, this.id ?? 'apply', ...args].map((arg) => quote(arg)).join(' ')
  }
}
