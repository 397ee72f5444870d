import {Args, Flags} from '@oclif/core'

import {authFlags, authInputs} from '../../cli/auth-flags.js'
import {BaseCommand} from '../../cli/base-command.js'
import {parseAssignment} from '../../lib/delivery/modify.js'
import {checkFailedError, usageError} from '../../lib/errors.js'
import {type AuthHeader, resolveAuthHeader} from '../../lib/hooks/auth-secret.js'
import {prompter} from '../../lib/io/prompter.js'
import {type DeliveryRecord, DeliveryStore} from '../../lib/receiver/delivery-store.js'
import {parseAppUrl, RECORD_FLAG_DESCRIPTION, storePath} from '../../lib/receiver/options.js'
import {replayDelivery, replayRequest, type ReplayResult, selectRecords} from '../../lib/receiver/replay.js'
import type {Assignment} from '../../lib/delivery/modify.js'

/** Several replays: each one's result, and the verdict on all of them (pass when Okta would accept every answer). */
export interface ReplaysResult {
  judgement: ReplayResult['judgement']
  replays: ReplayResult[]
}

export default class DeliveriesReplay extends BaseCommand<typeof DeliveriesReplay> {
  static override args = {
    id: Args.string({
      description: 'What to send again: a delivery id from `deliveries list` (a unique prefix is enough), "last", a number from its # column, or a range such as 3..7; several may follow.',
      required: true,
    }),
  }

  static override description = `Send recorded requests again to your app, optionally changed with --set, and judge each answer by Okta's rules (2xx within 3 s).

Select one by id, or several by id, number (the # of \`deliveries list\`) and range (3..7), sent oldest first; with several, --json gives {"replays": [...], "judgement"}. Secret headers were masked when recorded, so they are not resent: give the auth header again with the auth flags. Exits 5 when an answer would fail in Okta's eyes.`

  static override examples = [
    '<%= config.bin %> <%= command.id %> last --to http://localhost:3000/okta/events',
    '<%= config.bin %> <%= command.id %> 3..7 12 --to http://localhost:3000/okta/events',
    '<%= config.bin %> <%= command.id %> mwvaf1bs --to http://localhost:3000/okta/events --set data.events[0].target[0].alternateId=new.user@example.com',
    'HOOK_SECRET=s3cret <%= config.bin %> <%= command.id %> last --to http://localhost:3000/okta/events --auth-secret-env HOOK_SECRET --set \'eventId="replayed-1"\'',
  ]

  static override flags = {
    ...authFlags,
    record: Flags.string({description: RECORD_FLAG_DESCRIPTION, helpValue: 'PATH'}),
    set: Flags.string({
      description: 'Change the JSON body before sending: path=value, value parsed as JSON where it is JSON (repeatable).',
      helpValue: 'PATH=VALUE',
      multiple: true,
    }),
    to: Flags.string({description: 'Where to send it (default: the app it was forwarded to by listen --forward-to).', helpValue: 'URL'}),
  }

  static override strict = false

  async run(): Promise<ReplayResult | ReplaysResult> {
    const store = new DeliveryStore(storePath(this.flags.record, this.config.dataDir))
    const assignments = (this.flags.set ?? []).map((text) => parseAssignment(text))
    const given = this.flags.to === undefined ? undefined : parseAppUrl(this.flags.to, '--to')
    const records = selectRecords(store, this.positionals)
    const targets = records.map((record) => this.targetOf(record, given))
    const auth = await resolveAuthHeader(authInputs(this.flags), {ask: this.canPrompt() ? (message) => prompter.password(message) : undefined})
    // Every record is checked (a body to edit, a target) before the first is sent: nothing half done.
    for (const record of records) replayRequest(record, {assignments, auth})
    const results: ReplayResult[] = []
    for (const [index, record] of records.entries()) results.push(await this.replayOne(record, targets[index], {assignments, auth}))
    const failed = results.filter((result) => result.judgement.status === 'fail')
    if (results.length === 1) {
      const [result] = results
      if (failed.length > 0) throw checkFailedError(`The app's answer would fail in Okta's eyes: ${result.judgement.detail}.`, {code: 'DELIVERY_FAILED', result})
      return result
    }

    const detail = `${results.length - failed.length} of ${results.length} answers accepted${failed.length > 0 ? `; failing: ${failed.map((r) => r.id).join(', ')}` : ''}`
    this.log(`${results.length} replayed: ${detail}.`)
    const result: ReplaysResult = {judgement: {detail, status: failed.length > 0 ? 'fail' : 'pass'}, replays: results}
    if (failed.length > 0) throw checkFailedError(`${failed.length} of ${results.length} answers would fail in Okta's eyes.`, {code: 'DELIVERY_FAILED', result})
    return result
  }

  private readonly warned = new Set<string>()

  private async replayOne(record: DeliveryRecord, to: string, changes: {assignments: Assignment[]; auth?: AuthHeader}): Promise<ReplayResult> {
    const result = await replayDelivery(record, {...changes, to})
    const dropped = result.droppedHeaders.join(', ')
    if (dropped && !this.warned.has(dropped)) {
      this.warned.add(dropped)
      this.warnUser(`not resent (masked when recorded): ${dropped}. Give the auth header with --auth-secret-env VAR.`)
    }

    const answer = result.response.status === undefined ? (result.response.error ?? 'no answer') : `${result.response.status} in ${result.response.latencyMs} ms`
    const number = record.n === undefined ? '' : `#${record.n} `
    this.log(`${result.method} ${to} (replay of ${number}${record.id}${result.modified.length > 0 ? `, changed ${result.modified.join(', ')}` : ''}): ${answer}`)
    this.log(`${result.judgement.status === 'pass' ? 'ok' : 'FAIL'}: ${result.judgement.detail}`)
    return result
  }

  /** --to, or the app the record was forwarded to; checked for every record before anything is sent. */
  private targetOf(record: DeliveryRecord, given: string | undefined): string {
    const target = given ?? record.forward?.url
    if (!target) throw usageError(`Where to? Delivery ${record.id} was not forwarded anywhere.`, ['Pass --to URL, e.g. --to http://localhost:3000/okta/events'])
    return given ?? parseAppUrl(target, '--to')
  }
}
