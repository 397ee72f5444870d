import {hookArg} from '../cli/hook-arg.js'
import {OktaCommand} from '../cli/okta-command.js'
import {CliError} from '../lib/errors.js'
import {ExitCode} from '../lib/exit-codes.js'
import {EventHooksApi} from '../lib/hooks/event-hooks-api.js'
import {maskedHook} from '../lib/hooks/hook-view.js'
import {label, verifyHook} from '../lib/hooks/lifecycle.js'
import type {EventHook} from '../lib/hooks/types.js'
import {displayUrl} from '../lib/net/urls.js'

export interface VerifyResult {
  /** The hook Okta returned once verified; on a failure, the hook as it was before the attempt. */
  hook: EventHook
  verified: boolean
}

export default class Verify extends OktaCommand<typeof Verify> {
  static override args = {hook: hookArg}
  static override description = [
    "Have Okta verify an event hook's endpoint.",
    "Okta sends one GET to the hook's URL with the header X-Okta-Verification-Challenge; the endpoint " +
      'must answer within 3 seconds with 200 and the JSON body {"verification": "<challenge>"}. Okta ' +
      "delivers events only to verified hooks. On failure the exit code is 5 and Okta's error causes are " +
      `listed; \`okta-hooks check-endpoint <url>\` rehearses the challenge.`,
  ].join('\n')

  static override examples = [
    '<%= config.bin %> <%= command.id %> who1a2b3c4d5e6f7g8h9',
    '<%= config.bin %> <%= command.id %> "User sync" --json',
  ]

  async run(): Promise<VerifyResult> {
    const api = new EventHooksApi(await this.okta())
    const hook = await api.resolve(this.args.hook)
    let verified: EventHook
    try {
      verified = await verifyHook(api, hook)
    } catch (error) {
      if (!(error instanceof CliError) || error.exitCode !== ExitCode.CheckFailed) throw error
      throw error.withResult({hook: maskedHook(hook), verified: false})
    }

    this.log(
      `${label(verified)} is VERIFIED: Okta's challenge to ` +
        `${verified.channel?.config?.uri ? displayUrl(verified.channel.config.uri) : 'its endpoint'} was answered.`,
    )
    return {hook: maskedHook(verified), verified: true}
  }
}
