import {Args, Flags} from '@oclif/core'

import {authFlags, authInputs} from '../cli/auth-flags.js'
import {BaseCommand} from '../cli/base-command.js'
import {receiverTimeoutFlag} from '../cli/flags.js'
import {parseEventTypes} from '../lib/catalog/event-types.js'
import {checkEndpoint, type EndpointCheckReport} from '../lib/endpoint-check/check-endpoint.js'
import {parseHeaderFlag} from '../lib/hooks/hook-builder.js'
import {renderCheckReport} from '../lib/endpoint-check/render.js'
import {resolveAuthHeader} from '../lib/hooks/auth-secret.js'
import {prompter} from '../lib/io/prompter.js'
import {displayUrl, refuseCredentials, tryParseUrl} from '../lib/net/urls.js'
import {checkFailedError, usageError} from '../lib/errors.js'

export default class CheckEndpoint extends BaseCommand<typeof CheckEndpoint> {
  static override args = {
    url: Args.string({description: "The endpoint Okta will call (the hook's channel.config.uri).", required: true}),
  }

  static override description = [
    "Rehearse Okta's calls against an endpoint before registering it, and " +
      'report each check as pass, warn or fail with its time.',
    '',
    'Checks: 1. https scheme; 2. the verification GET (random challenge, auth header, ' +
      '--header): 200, JSON {"verification": challenge}, within 3 s; 3. a realistic delivery for ' +
      '--event: 2xx within 3 s, no body; 4. the same without the auth header: should be refused; ' +
      '5. a batch of events, and one delivery sent twice: still 2xx.',
    'Exits 0 when nothing failed (warnings allowed), 5 otherwise.',
  ].join('\n')

  static override examples = [
    'HOOK_SECRET=s3cret <%= config.bin %> <%= command.id %> ' +
      'https://hooks.example.com/okta --auth-secret-env HOOK_SECRET',
    '<%= config.bin %> <%= command.id %> http://127.0.0.1:8787/ --event ' +
      'group.user_membership.add --header "X-Tenant: acme"',
    '<%= config.bin %> <%= command.id %> https://hooks.example.com/okta ' +
      '--auth-secret-env HOOK_SECRET --json | jq \'.checks[] | select(.status != "pass")\'',
  ]

  static override flags = {
    ...authFlags,
    event: Flags.string({
      default: 'user.lifecycle.create',
      description: 'Event type of the sample deliveries.',
      helpValue: 'TYPE',
    }),
    header: Flags.string({
      description: 'A custom header the hook sends, "Name: value" (repeatable).',
      helpValue: '"NAME: VALUE"',
      multiple: true,
    }),
    'receiver-timeout': receiverTimeoutFlag(),
  }

  async run(): Promise<EndpointCheckReport> {
    const {flags} = this
    refuseCredentials(this.args.url, 'The URL')
    if (!tryParseUrl(this.args.url))
      throw usageError(`"${displayUrl(this.args.url)}" is not a URL.`, [
        'Give the full URL, e.g. https://hooks.example.com/okta',
      ])
    const [eventType] = parseEventTypes([flags.event], {flag: '--event'})
    const headers = (flags.header ?? []).map((value) => parseHeaderFlag(value))
    const auth = await resolveAuthHeader(authInputs(flags), {
      ask: this.canPrompt() ? (message) => prompter.password(message) : undefined,
    })
    if (!this.jsonEnabled()) this.notice(`Checking ${displayUrl(this.args.url)} as Okta would call it...`)
    const report = await checkEndpoint({
      auth,
      eventType,
      headers,
      timeoutMs: flags['receiver-timeout'],
      url: this.args.url,
    })
    this.log(renderCheckReport(report, this.output()))
    for (const warning of report.warnings) this.warnUser(warning)
    if (!report.ok) {
      const failed = report.checks.filter((check) => check.status === 'fail').map((check) => check.title)
      throw checkFailedError(`The endpoint failed ${failed.length} of Okta's checks: ${failed.join(', ')}.`, {
        code: 'ENDPOINT_CHECK_FAILED',
        result: report,
      })
    }

    return report
  }
}
