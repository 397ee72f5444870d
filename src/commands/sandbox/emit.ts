import {Args, Flags} from '@oclif/core'

import {BaseCommand} from '../../cli/base-command.js'
import {type Verdict, worstVerdict} from '../../lib/delivery/http-delivery.js'
import {checkFailedError, usageError} from '../../lib/errors.js'
import {readStdinOnce} from '../../lib/io/stdin.js'
import {resolveConnection} from '../../lib/okta/connection.js'
import {emitEvents, type EmittedEvent, type HookDeliveries, routedHookIds} from '../../lib/sandbox/admin-client.js'
import {registerAuthSecret} from '../../lib/secrets/registry.js'

type Principal = {alternateId?: string; displayName?: string; id?: string; type?: string}

export default class SandboxEmit extends BaseCommand<typeof SandboxEmit> {
  static override args = {
    eventType: Args.string({description: 'System Log event type, e.g. user.lifecycle.create.', required: true}),
  }

  static override description = [
    'Make a running sandbox produce System Log events, delivered to its active, verified hooks.',
    '',
    "Events are realistic LogEvents in the shape of Okta's samples. Talks to the " +
      'sandbox at --org-url or OKTA_CLIENT_ORGURL with the token in OKTA_CLIENT_TOKEN ' +
      "(or --token-stdin). Prints the new events' uuids, one per line.",
  ].join('\n')

  static override examples = [
    '<%= config.bin %> <%= command.id %> user.lifecycle.create',
    '<%= config.bin %> <%= command.id %> user.lifecycle.create --target jane.doe@example.com --actor admin@example.com',
    '<%= config.bin %> <%= command.id %> group.user_membership.add --count 20 --wait',
    '<%= config.bin %> <%= command.id %> user.session.start --target ' +
      '\'{"id":"00u1","type":"User","alternateId":"kim@example.com","displayName":"Kim"}\' --json',
  ]

  static override flags = {
    actor: Flags.string({
      description: 'Who did it: a login (alternateId), or JSON {id, type, alternateId, displayName}.',
    }),
    count: Flags.integer({default: 1, description: 'How many events (1-1000).', max: 1000, min: 1}),
    'org-url': Flags.string({description: "The sandbox's URL. Env: OKTA_CLIENT_ORGURL."}),
    target: Flags.string({
      description: 'What it was done to: a login or name (alternateId), or JSON {id, type, alternateId, displayName}.',
    }),
    'token-stdin': Flags.boolean({description: 'Read the sandbox token from stdin. Env: OKTA_CLIENT_TOKEN.'}),
    wait: Flags.boolean({
      description:
        'Wait until the sandbox has delivered them, and report how each hook answered (exit 5 if a delivery failed).',
    }),
  }

  async run(): Promise<EmitResult> {
    const {args, flags} = this
    const settings = await resolveConnection({
      authMode: 'SSWS',
      orgUrl: flags['org-url'],
      token: flags['token-stdin'] ? await readStdinOnce('--token-stdin') : undefined,
    })
    registerAuthSecret(settings.token!, 'The sandbox token')
    const {deliveries, events} = await emitEvents(
      settings.orgUrl,
      settings.token!,
      {
        actor: principal(flags.actor, '--actor'),
        count: flags.count,
        eventType: args.eventType,
        target: principal(flags.target, '--target'),
      },
      {waitForDeliveries: flags.wait},
    )
    for (const event of events) this.log(event.uuid)
    const routed = routedHookIds(events)
    const emitted = `Emitted ${events.length} ${args.eventType} event${events.length === 1 ? '' : 's'}`
    if (routed.length === 0)
      this.notice(`${emitted}; routed to no hook (none active, verified, subscribed and passing its filter).`)
    else if (!deliveries) this.notice(`${emitted}; routed to ${routed.join(', ')}.`)
    else this.notice([`${emitted}; delivered:`, ...deliveries.map((hook) => `  ${hookOutcomeLine(hook)}`)].join('\n'))
    if (!deliveries) return {events}
    const result = {deliveries, events, verdict: worstVerdict(deliveries.map((hook) => hook.verdict))}
    const notAccepted = deliveries.filter((hook) => hook.verdict !== 'accepted')
    if (notAccepted.length > 0) {
      throw checkFailedError(`Delivery to ${notAccepted.map((hook) => `${hook.hookId} ${hook.verdict}`).join(', ')}.`, {
        code: 'DELIVERY_FAILED',
        result,
        suggestions: [
          "See the hook's side with `okta-hooks logs <hook> --type " +
            'delivery`; a receiver should answer 200 or 204 within 3 s',
        ],
      })
    }

    return result
  }
}

export interface EmitResult {
  /** With --wait: how each routed hook's deliveries fared. */
  deliveries?: HookDeliveries[]
  events: EmittedEvent[]
  /** With --wait: the worst verdict of the routed hooks' deliveries (accepted when all were). */
  verdict?: Verdict
}

/**
 * "who…: accepted (1 POST: 204, 1 attempt)", or
 * "who…: FAILED (1 of 1 POST): HTTP 500 from the event hook endpoint, 2 attempts".
 */
function hookOutcomeLine(hook: HookDeliveries): string {
  const {batches, hookId} = hook
  if (batches.length === 0) return `${hookId}: NOT DELIVERED (the hook was deleted or deactivated meanwhile)`
  const posts = plural(batches.length, 'POST')
  const notAccepted = batches.filter((batch) => batch.verdict !== 'accepted')
  if (notAccepted.length === 0) {
    const statuses = [...new Set(batches.map((batch) => batch.status))].join('/')
    return `${hookId}: accepted (${posts}: ${statuses}, ${plural(
      batches.reduce((n, batch) => n + batch.attempts, 0),
      'attempt',
    )})`
  }

  const [first] = notAccepted
  return (
    `${hookId}: ${hook.verdict.toUpperCase()} (${notAccepted.length} of ` +
    `${posts}): ${first.reason}, ${plural(first.attempts, 'attempt')}`
  )
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`
}

function principal(value: string | undefined, flag: string): Principal | undefined {
  if (value === undefined) return undefined
  if (!value.trim().startsWith('{'))
    return {alternateId: value, displayName: value.includes('@') ? value.split('@')[0] : value}
  let parsed: unknown
  try {
    parsed = JSON.parse(value)
  } catch (error) {
    throw usageError(`${flag} is not valid JSON: ${(error as Error).message}`, [
      `Give a login such as jane@example.com, or JSON like {"alternateId":"jane@example.com"}`,
    ])
  }

  const fields = ['alternateId', 'displayName', 'id', 'type']
  if (
    !parsed ||
    typeof parsed !== 'object' ||
    Array.isArray(parsed) ||
    !Object.entries(parsed).every(([k, v]) => fields.includes(k) && typeof v === 'string')
  ) {
    throw usageError(`${flag} JSON may only have the string fields ${fields.join(', ')}.`)
  }

  return parsed as Principal
}
