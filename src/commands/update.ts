import {Flags} from '@oclif/core'

import {authFlags, authInputs} from '../cli/auth-flags.js'
import {hookArg} from '../cli/hook-arg.js'
import {noFilterCheckFlag} from '../cli/flags.js'
import {OktaCommand} from '../cli/okta-command.js'
import {CliError, usageError} from '../lib/errors.js'
import {prompter} from '../lib/io/prompter.js'
import {type AuthHeader, hasAuthSecretSource, resolveAuthHeader} from '../lib/hooks/auth-secret.js'
import {EventHooksApi, VERIFY_SUGGESTIONS} from '../lib/hooks/event-hooks-api.js'
import {maskBody} from '../lib/hooks/hook-builder.js'
import {
  type FieldChange,
  type HookChanges,
  hasRequestedChanges,
  planUpdate,
  renderChanges,
  secretRequiredError,
  VERIFICATION_RULE,
  type VerificationEffect,
} from '../lib/hooks/hook-update.js'
import {maskedHook} from '../lib/hooks/hook-view.js'
import type {EventHook, EventHookBody} from '../lib/hooks/types.js'

export interface UpdateResult {
  changes: FieldChange[]
  dryRun?: true
  hook?: EventHook
  request?: {body: EventHookBody; method: 'PUT'; path: string}
  verified?: boolean
}

/** Under --dry-run, for a VERIFIED hook: what the update would do to its verification. */
const WOULD: Record<VerificationEffect, string | undefined> = {
  kept: undefined,
  required:
    'The channel changes: after this update Okta requires verifying the hook again (it receives no events until then).',
  'required-if-secret-differs':
    'The auth secret is sent again: if it differs from the one Okta holds, Okta requires verifying the hook again.',
}

const UNVERIFIED_BY_UPDATE =
  'Okta requires verifying the hook again after this change of its channel: it receives no events until then.'

export default class Update extends OktaCommand<typeof Update> {
  static override args = {hook: hookArg}
  static override description = [
    'Change an event hook: name, URL, events, headers, description, filters, auth.',
    "Shows what changes (before → after). Okta's update is a full replace (PUT) and the auth secret is write-only " +
      '(Okta never returns it): a hook with an auth header needs the secret resupplied (--auth-secret-env, ' +
      '--auth-secret-stdin, or a hidden prompt at a terminal) or removed on purpose with --remove-auth.',
    `${VERIFICATION_RULE} Pass --verify to verify right after the update; ` +
      'the status shown afterwards is the one Okta answers with.',
  ].join('\n')

  static override examples = [
    '<%= config.bin %> <%= command.id %> "User sync" --add-event ' +
      'user.lifecycle.deactivate --auth-secret-env HOOK_SECRET',
    '<%= config.bin %> <%= command.id %> who1a2b3c4d5e6f7g8h9 --url ' +
      'https://hooks.example.com/v2/okta --auth-secret-env HOOK_SECRET --verify',
    '<%= config.bin %> <%= command.id %> who1a2b3c4d5e6f7g8h9 --header "X-Team: ' +
      'platform" --remove-header X-Old --auth-secret-stdin --dry-run < secret.txt',
    '<%= config.bin %> <%= command.id %> who1a2b3c4d5e6f7g8h9 --remove-auth --json',
  ]

  static override flags = {
    ...authFlags,
    'add-event': Flags.string({description: 'Event type to add; repeatable, or a comma list.', multiple: true}),
    'allow-unknown-events': Flags.boolean({
      description: 'Accept event types that are not in the catalog shipped with okta-hooks (types newer than it).',
    }),
    description: Flags.string({description: 'New description ("" clears it).'}),
    'dry-run': Flags.boolean({
      description: 'Show what would change and the exact PUT body (secrets masked); change nothing.',
    }),
    event: Flags.string({
      description: 'Replace the whole list of event types; repeatable, or a comma list.',
      multiple: true,
    }),
    filter: Flags.string({
      description:
        'Early Access: set the filter of one event type ("EVENT_TYPE=EXPRESSION", Okta ' +
        'Expression Language); repeatable. The org must have event hook filters enabled.',
      helpValue: 'EVENT_TYPE=EXPRESSION',
      multiple: true,
    }),
    header: Flags.string({
      description: 'Set or replace a custom header, "Name: value" (names are case-insensitive); repeatable.',
      helpValue: '"NAME: VALUE"',
      multiple: true,
    }),
    name: Flags.string({description: 'New display name.'}),
    'no-filter-check': noFilterCheckFlag,
    'remove-auth': Flags.boolean({
      description: 'Remove the auth header (Okta will then send no secret to the endpoint).',
    }),
    'remove-event': Flags.string({
      description: 'Event type to remove; repeatable, or a comma list. Its filter goes with it.',
      multiple: true,
    }),
    'remove-filter': Flags.string({
      description: 'Remove the filter of this event type; repeatable.',
      helpValue: 'EVENT_TYPE',
      multiple: true,
    }),
    'remove-header': Flags.string({
      description: 'Remove this custom header; repeatable.',
      helpValue: 'NAME',
      multiple: true,
    }),
    url: Flags.string({description: 'New HTTPS endpoint (at most 1024 characters).'}),
    verify: Flags.boolean({
      description: 'Ask Okta to verify the endpoint right after the update (exit 5 if it fails).',
    }),
  }

  async run(): Promise<UpdateResult> {
    const {flags} = this
    const inputs = authInputs(flags)
    const authGiven = hasAuthSecretSource(inputs) || Boolean(inputs.header)
    if (authGiven && flags['remove-auth']) throw usageError('Give the auth header flags or --remove-auth, not both.')
    const requested: HookChanges = {
      addEvents: flags['add-event'],
      allowUnknownEvents: flags['allow-unknown-events'],
      description: flags.description,
      events: flags.event,
      filterCheck: !flags['no-filter-check'],
      filters: flags.filter,
      headers: flags.header,
      name: flags.name,
      removeAuth: flags['remove-auth'],
      removeEvents: flags['remove-event'],
      removeFilters: flags['remove-filter'],
      removeHeaders: flags['remove-header'],
      url: flags.url,
    }
    if (!hasRequestedChanges(requested) && !authGiven) {
      throw usageError('Nothing to change: no change was asked for.', [
        'Pass at least one of --name, --url, --event, --add-event, --remove-event, --header, ' +
          '--remove-header, --description, --filter, --remove-filter, the auth flags or --remove-auth',
      ])
    }

    const api = new EventHooksApi(await this.okta())
    const current = await api.resolve(this.args.hook)
    const preview = planUpdate(current, requested, {requireSecret: false})
    if (preview.changes.length === 0 && !authGiven) {
      throw usageError(`Nothing to change: "${current.name}" (${current.id}) already has these values.`)
    }

    const auth = await this.resolveAuth(current, authGiven)
    const plan = planUpdate(current, {...requested, auth})
    for (const warning of plan.warnings) this.warnUser(warning)
    const path = `/api/v1/eventHooks/${current.id}`
    this.log(`Changes to "${current.name}" (${current.id}):`)
    this.log(renderChanges(plan.changes))

    if (flags['dry-run']) {
      const body = maskBody(plan.body)
      const effect = WOULD[plan.verification]
      if (effect && current.verificationStatus === 'VERIFIED') this.log(effect)
      this.log(`Dry run: would send PUT ${path} with this body (nothing was changed):`)
      this.log(JSON.stringify(body, null, 2))
      return {changes: plan.changes, dryRun: true, request: {body, method: 'PUT', path}}
    }

    let hook = await api.replace(current.id, plan.body)
    let verified: boolean | undefined
    if (flags.verify) {
      hook = await this.verify(api, hook)
      verified = hook.verificationStatus === 'VERIFIED'
    }

    this.log(`Updated event hook "${hook.name}" (${hook.id}): ${hook.status}, ${hook.verificationStatus}.`)
    if (hook.verificationStatus !== 'VERIFIED') {
      // Said only from what Okta answered, so it can never contradict the status above.
      if (current.verificationStatus === 'VERIFIED') this.log(UNVERIFIED_BY_UPDATE)
      this.log(`Next: run \`${this.config.bin} verify ${hook.id}\` once the endpoint answers Okta's verification.`)
    }

    return {changes: plan.changes, hook: maskedHook(hook), ...(verified === undefined ? {} : {verified})}
  }

  /**
   * The auth header for the PUT: from the flags, or, when the hook has one and the user neither
   * resupplied nor removed it, asked for (hidden) at a terminal; otherwise refused, since the
   * secret is write-only and a PUT without it would drop it.
   */
  private async resolveAuth(current: EventHook, authGiven: boolean): Promise<AuthHeader | undefined> {
    const inputs = authInputs(this.flags)
    const currentKey = current.channel?.config?.authScheme?.key
    const ask = this.canPrompt() ? (message: string) => prompter.password(message) : undefined
    if (authGiven) return resolveAuthHeader({...inputs, header: inputs.header ?? currentKey}, {ask, required: true})
    if (!currentKey || this.flags['remove-auth']) return undefined
    if (!ask) throw secretRequiredError(current)
    this.notice(
      `Okta never returns the ${currentKey} secret and an update replaces the whole ` +
        `hook: enter it again (or press Ctrl-C and use --remove-auth).`,
    )
    return resolveAuthHeader({header: currentKey}, {ask, required: true})
  }

  private async verify(api: EventHooksApi, hook: EventHook): Promise<EventHook> {
    try {
      return await api.verify(hook.id)
    } catch (error) {
      if (!(error instanceof CliError) || error.code !== 'VERIFICATION_FAILED') throw error
      throw new CliError(
        `Updated event hook "${hook.name}" (${hook.id}), but Okta could not verify it. The update was applied.`,
        {
          causes: error.causes,
          code: error.code,
          details: {...error.details, hookId: hook.id, updated: true},
          exitCode: error.exitCode,
          suggestions: [
            ...VERIFY_SUGGESTIONS,
            `Once the endpoint answers, run \`${this.config.bin} verify ${hook.id}\``,
          ],
        },
      )
    }
  }
}
