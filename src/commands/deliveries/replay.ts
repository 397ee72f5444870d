import {Args, Flags} from '@oclif/core'

import {authFlags, authInputs} from '../../cli/auth-flags.js'
import {BaseCommand} from '../../cli/base-command.js'
import {receiverTimeoutFlag} from '../../cli/flags.js'
import {parseAssignment} from '../../lib/delivery/modify.js'
import {checkFailedError, usageError} from '../../lib/errors.js'
import {resolveAuthHeader} from '../../lib/hooks/auth-secret.js'
import {prompter} from '../../lib/io/prompter.js'
import {DeliveryStore} from '../../lib/receiver/delivery-store.js'
import {parseAppUrl, RECORD_FLAG_DESCRIPTION, storePath} from '../../lib/receiver/options.js'
import {type DeliveryReplayResult, replayDelivery} from '../../lib/receiver/replay.js'

export default class DeliveriesReplay extends BaseCommand<typeof DeliveriesReplay> {
  static override args = {
    id: Args.string({description: 'Delivery id from `deliveries list` (a unique prefix is enough), or "last".', required: true}),
  }

  static override description = [
'Send a recorded request again to your app, optionally changed with --set, and judge ' + 'the answer by Okta\'s rules: accepted (2xx within --receiver-timeout, Okta\'s 3s), ' + 'rejected (4xx: not retried) or failed (5xx, timeout: retried once).',
'',
'Secret headers were masked when recorded, so they are not resent: give the auth ' + 'header again with the auth flags. Exits 5 unless the answer is accepted.',
].join('\n')

  static override examples = [
    '<%= config.bin %> <%= command.id %> last --to http://localhost:3000/okta/events',
    '<%= config.bin %> <%= command.id %> mwvaf1bs --to http://localhost:3000/okta/events --set ' + 'data.events[0].target[0].alternateId=new.user@example.com',
    'HOOK_SECRET=s3cret <%= config.bin %> <%= command.id %> last --to http://localhost:3000/okta/events ' + '--auth-secret-env HOOK_SECRET --set \'eventId="replayed-1"\'',
  ]

  static override flags = {
    ...authFlags,
    'receiver-timeout': receiverTimeoutFlag(),
    record: Flags.string({description: RECORD_FLAG_DESCRIPTION, helpValue: 'PATH'}),
    set: Flags.string({
      description: 'Change the JSON body before sending: path=value, value parsed as JSON where it is JSON (repeatable).',
      helpValue: 'PATH=VALUE',
      multiple: true,
    }),
    to: Flags.string({description: 'Where to send it (default: the app it was forwarded to by listen --forward-to).', helpValue: 'URL'}),
  }

  async run(): Promise<DeliveryReplayResult> {
    const store = new DeliveryStore(storePath(this.flags.record, this.config.dataDir))
    const assignments = (this.flags.set ?? []).map((text) => parseAssignment(text))
    const given = this.flags.to === undefined ? undefined : parseAppUrl(this.flags.to, '--to')
    const record = store.get(this.args.id)
    const target = given ?? record.forward?.url
    if (!target) throw usageError(`Where to? Delivery ${record.id} was not forwarded anywhere.`, ['Pass --to URL, e.g. --to http://localhost:3000/okta/events'])
    const to = given ?? parseAppUrl(target, '--to')
    const auth = await resolveAuthHeader(authInputs(this.flags), {ask: this.canPrompt() ? (message) => prompter.password(message) : undefined})
    const result = await replayDelivery(record, {assignments, auth, timeoutMs: this.flags['receiver-timeout'], to})
    if (result.droppedHeaders.length > 0) {
      this.warnUser(`not resent (masked when recorded): ${result.droppedHeaders.join(', ')}. Give the auth header with ` + `--auth-secret-env VAR.`)
    }

    const answer = result.response.status === undefined ? (result.response.error ?? 'no answer') : `${result.response.status} in ${result.response.latencyMs} ms`
    this.log(`${result.method} ${to} (replay of ` + `${record.id}${result.modified.length > 0 ? `, changed ${result.modified.join(', ')}` : ''}): ${answer}`)
    this.log(`${result.verdict.toUpperCase()}: ${result.explanation}`)
    if (result.verdict !== 'accepted') {
      throw checkFailedError(`Okta would count the app's answer as ${result.verdict}: ${result.explanation}.`, {code: 'DELIVERY_FAILED', result})
    }

    return result
  }
}
