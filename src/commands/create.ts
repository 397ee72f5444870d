import {Flags} from '@oclif/core'

import {authFlags, authInputs} from '../cli/auth-flags.js'
import {noFilterCheckFlag} from '../cli/flags.js'
import {OktaCommand} from '../cli/okta-command.js'
import {parseEventTypes} from '../lib/catalog/event-types.js'
import {checkEndpoint} from '../lib/endpoint-check/check-endpoint.js'
import {renderCheckRow} from '../lib/endpoint-check/render.js'
import {checkFailedError, CliError} from '../lib/errors.js'
import {prompter} from '../lib/io/prompter.js'
import {type AuthHeader, hasAuthSecretSource, resolveAuthHeader} from '../lib/hooks/auth-secret.js'
import {EventHooksApi, VERIFY_SUGGESTIONS} from '../lib/hooks/event-hooks-api.js'
import {
  buildHookBody,
  checkFilterExpressions,
  checkName,
  checkUrl,
  maskBody,
  parseFilterFlag,
  parseHeaderFlag,
} from '../lib/hooks/hook-builder.js'
import {askAuth, askEvents, askHeaders, askName, askUrl} from '../lib/hooks/hook-prompts.js'
import {maskedHook} from '../lib/hooks/hook-view.js'
import type {EventHook, EventHookBody} from '../lib/hooks/types.js'

export interface CreateResult {
  created: boolean
  dryRun?: true
  existed?: true
  hook?: EventHook
  request?: {body: EventHookBody; method: 'POST'; path: string}
  verified?: boolean
}

const PATH = '/api/v1/eventHooks'

export default class Create extends OktaCommand<typeof Create> {
  static override description = `Create an event hook.
Okta creates it ACTIVE and UNVERIFIED: it delivers nothing until verified (--verify, or \`okta-hooks verify\` later).
At a terminal, values not given as flags are asked for; otherwise --name, --url and --event are required.
The auth secret never goes on the command line: --auth-secret-env VAR, --auth-secret-stdin, or a hidden prompt.`

  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> --name "User sync" --url https://hooks.example.com/okta --event ' +
      'user.lifecycle.create,user.lifecycle.activate --auth-secret-env HOOK_SECRET --verify',
    '<%= config.bin %> <%= command.id %> --name "Sales joins" --url https://hooks.example.com/okta --event ' +
      "group.user_membership.add --filter \"group.user_membership.add=event.target.?[type eq 'UserGroup' && " +
      "displayName eq 'Sales'].size()>0\"",
    '<%= config.bin %> <%= command.id %> --name "User sync" --url https://hooks.example.com/okta --event ' +
      'user.lifecycle.create --header "X-Team: identity" --dry-run',
    '<%= config.bin %> <%= command.id %> --name "User sync" --url https://hooks.example.com/okta ' +
      '--event user.lifecycle.create --auth-secret-stdin --if-not-exists --json < secret.txt',
  ]

  static override flags = {
    ...authFlags,
    'allow-unknown-events': Flags.boolean({
      description: 'Accept event types that are not in the catalog shipped with okta-hooks (types newer than it).',
    }),
    'check-endpoint': Flags.boolean({
      description:
        "Before creating, rehearse Okta's verification and deliveries against the URL " +
        '(as `check-endpoint` does); create nothing if a check fails.',
    }),
    description: Flags.string({description: 'Description of the hook.'}),
    'dry-run': Flags.boolean({description: 'Print the exact request body (secret masked) and call nothing.'}),
    event: Flags.string({
      description:
        'Event type to subscribe to; repeatable, or a comma list. Checked against the ' +
        'event-hook-eligible catalog (see `okta-hooks event-types`).',
      multiple: true,
    }),
    filter: Flags.string({
      description:
        'Early Access: only deliver EVENT_TYPE when the Okta Expression Language EXPRESSION is true ' +
        '("EVENT_TYPE=EXPRESSION"); repeatable, one per event type. The org must have event hook filters enabled.',
      helpValue: 'EVENT_TYPE=EXPRESSION',
      multiple: true,
    }),
    header: Flags.string({
      description:
        'Custom header Okta sends with every delivery, "Name: value"; repeatable. Values are ' +
        'readable by anyone who can read the hook: keep secrets in the auth header.',
      helpValue: '"NAME: VALUE"',
      multiple: true,
    }),
    'if-not-exists': Flags.boolean({
      description: 'If a hook with exactly this name exists, report it, change nothing and exit 0 (for CI reruns).',
    }),
    inactive: Flags.boolean({description: 'Deactivate the hook right after creating it.'}),
    name: Flags.string({description: 'Display name of the hook (1-255 characters).'}),
    'no-filter-check': noFilterCheckFlag,
    url: Flags.string({
      description:
        'HTTPS endpoint Okta delivers events to (at most 1024 characters). ' +
        'Plain http only for loopback hosts (local stand-ins).',
    }),
    verify: Flags.boolean({
      description:
        'Ask Okta to verify the endpoint right after creating the hook (exit 5 if it fails; the hook stays created).',
    }),
  }

  async run(): Promise<CreateResult> {
    const {flags} = this
    const interactive = this.canPrompt() && (!flags.name || !flags.url || !flags.event?.length)
    const missing = [!flags.name && '--name', !flags.url && '--url', !flags.event?.length && '--event'].filter(
      Boolean,
    ) as string[]
    if (missing.length > 0)
      this.requirePrompt(missing.join(', '), 'the hook needs a name, an https URL and at least one event type')

    // Check what was given before asking for the rest.
    const given = {events: flags.event ?? [], headers: flags.header ?? []}
    if (flags.name) checkName(flags.name)
    if (flags.url) checkUrl(flags.url)
    if (given.events.length > 0) parseEventTypes(given.events, {allowUnknown: flags['allow-unknown-events']})
    for (const value of given.headers) parseHeaderFlag(value)
    const filters = (flags.filter ?? []).map((value) => parseFilterFlag(value))
    checkFilterExpressions(filters, {filterCheck: !flags['no-filter-check']}) // warnings come with the body

    const name = flags.name ?? (await askName())
    const url = flags.url ?? (await askUrl())
    const events = given.events.length > 0 ? given.events : await askEvents()
    const auth = await this.resolveAuth(interactive)
    const headers =
      interactive && given.headers.length === 0
        ? (await askHeaders(auth?.key)).map((h) => `${h.key}: ${h.value}`)
        : given.headers
    const {body, warnings} = this.build(name, url, events, headers, auth)
    for (const warning of warnings) this.warnUser(warning)

    if (flags['check-endpoint']) await this.checkEndpointFirst(body, auth)
    if (flags['dry-run']) return this.dryRun(body)

    const api = new EventHooksApi(await this.okta())
    if (flags['if-not-exists']) {
      const existing = (await api.list()).find((hook) => hook.name === body.name)
      if (existing) return this.reportExisting(existing, body)
    }

    let hook = await api.create(body)
    if (flags.inactive) hook = await api.deactivate(hook.id)
    let verified: boolean | undefined
    if (flags.verify) {
      hook = await this.verify(api, hook)
      verified = hook.verificationStatus === 'VERIFIED'
    }

    this.log(`Created event hook "${hook.name}" (${hook.id}): ${hook.status}, ${hook.verificationStatus}.`)
    if (hook.verificationStatus !== 'VERIFIED') {
      this.log(`Next: make the endpoint answer Okta's verification, then run \`${this.config.bin} verify ${hook.id}\`.`)
    }

    return {created: true, hook: maskedHook(hook), ...(verified === undefined ? {} : {verified})}
  }

  /** Rehearses Okta's calls (check-endpoint) against the URL; a failed check stops before anything is created. */
  private async checkEndpointFirst(body: EventHookBody, auth: AuthHeader | undefined): Promise<void> {
    const url = body.channel.config.uri
    this.notice(`Checking ${url} as Okta will call it (--check-endpoint)...`)
    const report = await checkEndpoint({
      auth,
      eventType: body.events.items[0],
      headers: body.channel.config.headers ?? [],
      onCheck: (check) => this.notice(renderCheckRow(check)),
      url,
    })
    if (!report.ok) {
      const failed = report.checks.filter((check) => check.status === 'fail')
      throw checkFailedError(`The endpoint failed ${failed.length} of Okta's checks; nothing was created.`, {
        causes: failed.map((check) => `${check.title}: ${check.detail}`),
        details: {checks: report.checks},
        suggestions: [
          `See the whole report with \`${this.config.bin} check-endpoint ${url}\``,
          'Create without --check-endpoint to skip the rehearsal',
        ],
      })
    }
  }

  private build(name: string, url: string, events: string[], headers: string[], auth?: AuthHeader) {
    return buildHookBody({
      allowUnknownEvents: this.flags['allow-unknown-events'],
      auth,
      description: this.flags.description,
      events,
      filterCheck: !this.flags['no-filter-check'],
      filters: this.flags.filter ?? [],
      headers,
      name,
      url,
    })
  }

  private dryRun(body: EventHookBody): CreateResult {
    const masked = maskBody(body)
    this.log(`Dry run: would send POST ${PATH} with this body (nothing was sent):`)
    this.log(JSON.stringify(masked, null, 2))
    if (this.flags['if-not-exists'])
      this.log('(--if-not-exists is not checked in a dry run: that needs a call to Okta.)')
    return {created: false, dryRun: true, request: {body: masked, method: 'POST', path: PATH}}
  }

  private reportExisting(existing: EventHook, body: EventHookBody): CreateResult {
    this.log(
      `An event hook named "${existing.name}" already exists (${existing.id}, ` +
        `${existing.status}, ${existing.verificationStatus}); nothing changed.`,
    )
    const differences = [
      existing.channel?.config?.uri !== body.channel.config.uri && 'URL',
      JSON.stringify([...(existing.events?.items ?? [])].sort()) !== JSON.stringify([...body.events.items].sort()) &&
        'event types',
    ].filter(Boolean)
    if (differences.length > 0) {
      this.warnUser(
        `the existing hook's ${differences.join(' and ')} differ from what was asked; ` +
          `change them with \`${this.config.bin} update ${existing.id}\`.`,
      )
    }

    return {created: false, existed: true, hook: maskedHook(existing)}
  }

  /** The auth header from the flags, or (at a terminal, when asking for values) from questions. */
  private async resolveAuth(interactive: boolean): Promise<AuthHeader | undefined> {
    const inputs = authInputs(this.flags)
    if (hasAuthSecretSource(inputs) || inputs.header) {
      return resolveAuthHeader(inputs, {
        ask: this.canPrompt() ? (message) => prompter.password(message) : undefined,
        required: true,
      })
    }

    return interactive ? askAuth() : undefined
  }

  private async verify(api: EventHooksApi, hook: EventHook): Promise<EventHook> {
    try {
      return await api.verify(hook.id)
    } catch (error) {
      if (!(error instanceof CliError) || error.code !== 'VERIFICATION_FAILED') throw error
      throw new CliError(
        `Created event hook "${hook.name}" (${hook.id}), but Okta could not verify ` +
          `it. The hook stays created (${hook.status}, UNVERIFIED).`,
        {
          causes: error.causes,
          code: error.code,
          details: {...error.details, created: true, hookId: hook.id},
          exitCode: error.exitCode,
          suggestions: [
            ...VERIFY_SUGGESTIONS,
            `Once the endpoint answers, run \`${this.config.bin} verify ${hook.id}\` (no need to create it again)`,
          ],
        },
      )
    }
  }
}
