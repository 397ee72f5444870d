import {Args, Flags} from '@oclif/core'

import {authFlags, authInputs} from '../../cli/auth-flags.js'
import {BaseCommand} from '../../cli/base-command.js'
import {receiverTimeoutFlag} from '../../cli/flags.js'
import {type Verdict, worstVerdict} from '../../lib/delivery/http-delivery.js'
import {type Assignment, parseAssignment} from '../../lib/delivery/modify.js'
import {checkFailedError, usageError} from '../../lib/errors.js'
import {type AuthHeader, resolveAuthHeader} from '../../lib/hooks/auth-secret.js'
import {prompter} from '../../lib/io/prompter.js'
import {type DeliveryRecord, DeliveryStore} from '../../lib/receiver/delivery-store.js'
import {parseAppUrl, RECORD_FLAG_DESCRIPTION, storePath} from '../../lib/receiver/options.js'
import {type DeliveryReplayResult, replayDelivery, replayRequest, selectRecords} from '../../lib/receiver/replay.js'

/** Several replays: each one's result, and the worst verdict of them (accepted only when Okta would accept every answer). */
export interface DeliveryReplaysResult {
  replays: DeliveryReplayResult[]
  verdict: Verdict
}

export default class DeliveriesReplay extends BaseCommand<typeof DeliveriesReplay> {
  static override args = {
    id: Args.string({
      description:
        'What to send again: a delivery id from `deliveries list` (a unique prefix is enough), "last", ' +
        'a number from its # column, or a range such as 3..7; several may follow.',
      required: true,
    }),
  }

  static override description = [
    'Send recorded requests again to your app, optionally changed with --set, and judge each answer by ' +
      "Okta's rules: accepted (2xx within --receiver-timeout, Okta's 3s), rejected (4xx: not retried) " +
      'or failed (5xx, timeout: retried once).',
    '',
    'Select one by id, or several by id, number (the # of `deliveries list`) and range (3..7), sent ' +
      'oldest first; with several, --json gives {"replays": [...], "verdict"}. Secret headers were masked ' +
      'when recorded, so they are not resent: give the auth header again with the auth flags. Exits 5 ' +
      'unless every answer is accepted.',
  ].join('\n')

  static override examples = [
    '<%= config.bin %> <%= command.id %> last --to http://localhost:3000/okta/events',
    '<%= config.bin %> <%= command.id %> 3..7 12 --to http://localhost:3000/okta/events',
    '<%= config.bin %> <%= command.id %> mwvaf1bs --to http://localhost:3000/okta/events --set ' +
      'data.events[0].target[0].alternateId=new.user@example.com',
    'HOOK_SECRET=s3cret <%= config.bin %> <%= command.id %> last --to http://localhost:3000/okta/events ' +
      '--auth-secret-env HOOK_SECRET --set \'eventId="replayed-1"\'',
  ]

  static override flags = {
    ...authFlags,
    'receiver-timeout': receiverTimeoutFlag(),
    record: Flags.string({description: RECORD_FLAG_DESCRIPTION, helpValue: 'PATH'}),
    set: Flags.string({
      description:
        'Change the JSON body before sending: path=value, value parsed as JSON where it is JSON (repeatable).',
      helpValue: 'PATH=VALUE',
      multiple: true,
    }),
    to: Flags.string({
      description: 'Where to send it (default: the app it was forwarded to by listen --forward-to).',
      helpValue: 'URL',
    }),
  }

  static override strict = false

  private readonly warned = new Set<string>()

  async run(): Promise<DeliveryReplayResult | DeliveryReplaysResult> {
    const store = new DeliveryStore(storePath(this.flags.record, this.config.dataDir))
    const assignments = (this.flags.set ?? []).map((text) => parseAssignment(text))
    const given = this.flags.to === undefined ? undefined : parseAppUrl(this.flags.to, '--to')
    const records = selectRecords(store, this.positionals)
    const targets = records.map((record) => this.targetOf(record, given))
    const ask = this.canPrompt() ? (message: string) => prompter.password(message) : undefined
    const auth = await resolveAuthHeader(authInputs(this.flags), {ask})
    // Every record is checked (a body to edit, a target) before the first is sent: nothing half done.
    for (const record of records) replayRequest(record, {assignments, auth})
    const results: DeliveryReplayResult[] = []
    for (const [index, record] of records.entries()) {
      results.push(await this.replayOne(record, targets[index], {assignments, auth}))
    }

    const notAccepted = results.filter((result) => result.verdict !== 'accepted')
    if (results.length === 1) {
      const [result] = results
      if (notAccepted.length > 0) {
        const message = `Okta would count the app's answer as ${result.verdict}: ${result.explanation}.`
        throw checkFailedError(message, {code: 'DELIVERY_FAILED', result})
      }

      return result
    }

    const failing = notAccepted.length > 0 ? `; not accepted: ${notAccepted.map((r) => r.id).join(', ')}` : ''
    this.log(
      `${results.length} replayed: ${results.length - notAccepted.length} of ${results.length} answers accepted${failing}.`,
    )
    const result: DeliveryReplaysResult = {replays: results, verdict: worstVerdict(results.map((r) => r.verdict))}
    if (notAccepted.length > 0) {
      const message = `${notAccepted.length} of ${results.length} answers would not be accepted by Okta.`
      throw checkFailedError(message, {code: 'DELIVERY_FAILED', result})
    }

    return result
  }

  private async replayOne(
    record: DeliveryRecord,
    to: string,
    changes: {assignments: Assignment[]; auth?: AuthHeader},
  ): Promise<DeliveryReplayResult> {
    const result = await replayDelivery(record, {...changes, timeoutMs: this.flags['receiver-timeout'], to})
    const dropped = result.droppedHeaders.join(', ')
    if (dropped && !this.warned.has(dropped)) {
      this.warned.add(dropped)
      this.warnUser(`not resent (masked when recorded): ${dropped}. Give the auth header with --auth-secret-env VAR.`)
    }

    const {error, latencyMs, status} = result.response
    const answer = status === undefined ? (error ?? 'no answer') : `${status} in ${latencyMs} ms`
    const number = record.n === undefined ? '' : `#${record.n} `
    const changed = result.modified.length > 0 ? `, changed ${result.modified.join(', ')}` : ''
    this.log(`${result.method} ${to} (replay of ${number}${record.id}${changed}): ${answer}`)
    this.log(`${result.verdict.toUpperCase()}: ${result.explanation}`)
    return result
  }

  /** --to, or the app the record was forwarded to; checked for every record before anything is sent. */
  private targetOf(record: DeliveryRecord, given: string | undefined): string {
    const target = given ?? record.forward?.url
    if (!target) {
      throw usageError(`Where to? Delivery ${record.id} was not forwarded anywhere.`, [
        'Pass --to URL, e.g. --to http://localhost:3000/okta/events',
      ])
    }

    return given ?? parseAppUrl(target, '--to')
  }
}
