import {Args, Flags} from '@oclif/core'
import {readFileSync} from 'node:fs'

import {authFlags, authInputs} from '../cli/auth-flags.js'
import {commaList, receiverTimeoutFlag, targetFlags} from '../cli/flags.js'
import {OktaCommand} from '../cli/okta-command.js'
import type {DeliveryEnvelope} from '../lib/delivery/envelope.js'
import {type JudgedResult, showHeaders} from '../lib/delivery/http-delivery.js'
import {oktaDeliveryHeaders} from '../lib/delivery/okta-headers.js'
import {parseAssignment} from '../lib/delivery/modify.js'
import {checkTarget, hookTarget, sourceFor} from '../lib/delivery/preview.js'
import {resolveDeliveryAuth} from '../lib/delivery/preview-auth.js'
import {
  fileBody,
  type PreviewBody,
  previewBodies,
  type PreviewDelivery,
  type PreviewResult,
  sendPreviews,
} from '../lib/delivery/preview-deliveries.js'
import {previewEvents, type PreviewSource} from '../lib/delivery/preview-events.js'
import {checkFailedError, usageError} from '../lib/errors.js'
import {EventHooksApi} from '../lib/hooks/event-hooks-api.js'
import type {EventHook} from '../lib/hooks/types.js'
import {editJson} from '../lib/io/editor.js'
import {prompter} from '../lib/io/prompter.js'
import {readStdinOnce} from '../lib/io/stdin.js'
import {displayUrl} from '../lib/net/urls.js'
import {MAX_PAGE_SIZE} from '../lib/syslog/pager.js'

const EVENTS = 'EVENTS'
const CHANGES = 'MODIFICATIONS'

export default class Preview extends OktaCommand<typeof Preview> {
  static override args = {
    hook: Args.string({
      description:
        'Event hook id or exact name. Optional with --to and --from-file, ' +
        '--sample or --body-file (then no Okta call is made).',
    }),
  }

  static override description = [
    "Deliver System Log events (or a sample, or a file) to a hook's URL " +
      "exactly as Okta would, and judge the answer by Okta's rules.",
    "By default: the most recent System Log event of one of the hook's event types, in Okta's eight-key " +
      "envelope (source {orgUrl}/api/v1/eventHooks/{id}, a fresh eventId, eventTime now), with Okta's " +
      "headers (Accept, Content-Type, the hook's custom headers and its auth header). Events are read as raw " +
      'JSON: every field reaches the endpoint, including those the Okta SDK drops.',
    "Okta's verdict on each answer: accepted (a 2xx within --receiver-timeout, Okta's 3s), rejected (a 4xx: " +
      'not retried) or failed (a 5xx or a timeout: retried once; --retry does that too). Exit 5 unless every ' +
      'delivery is accepted.',
    "Without a hook (--to with --from-file, --sample or --body-file), the envelope's source is the " +
      'placeholder https://example.okta.com/api/v1/eventHooks/who0000000000000000000.',
  ].join('\n')

  static override examples = [
    '<%= config.bin %> <%= command.id %> "User sync" --auth-secret-env HOOK_SECRET',
    '<%= config.bin %> <%= command.id %> "User sync" --to http://127.0.0.1:3000/okta --no-auth --event-type ' +
      'user.lifecycle.create --since 2h',
    '<%= config.bin %> <%= command.id %> who1a2b3c4d5e6f7g8h9 --event-id 4b5a2e5e-3f4c-11ef-9c1e-3b1a0b6b2f41 ' +
      '--set \'data.events[0].target[0].alternateId="test@example.com"\'',
    '<%= config.bin %> <%= command.id %> --to http://localhost:3000/okta --sample --event-type ' +
      'user.lifecycle.deactivate',
    '<%= config.bin %> <%= command.id %> "User sync" --from-file failures.ndjson --batch-size 10 --retry',
    '<%= config.bin %> <%= command.id %> "User sync" --dry-run --json',
  ]

  static override flags = {
    ...authFlags,
    ...targetFlags,
    'batch-size': Flags.integer({
      description: 'Events per delivery (envelope). Default: all the events in one.',
      helpGroup: EVENTS,
      min: 1,
    }),
    'body-file': Flags.string({
      description: "Send this file's content as the body, byte for byte (no envelope is built).",
      exclusive: ['from-file', 'sample', 'set', 'edit', 'event-id', 'filter', 'q'],
      helpGroup: CHANGES,
    }),
    'dry-run': Flags.boolean({description: 'Print the envelope and headers (secret masked) and send nothing.'}),
    edit: Flags.boolean({
      description: 'Open the envelope in $EDITOR before sending (at a terminal only).',
      helpGroup: CHANGES,
    }),
    'event-id': Flags.string({description: 'System Log event uuid (repeatable).', helpGroup: EVENTS, multiple: true}),
    'event-type': Flags.string({
      description: "Event type instead of the hook's own (repeatable, or comma-separated).",
      helpGroup: EVENTS,
      multiple: true,
    }),
    filter: Flags.string({
      description:
        'System Log SCIM filter, e.g. \'actor.alternateId eq "jane@example.com"\' (added to the event types).',
      helpGroup: EVENTS,
    }),
    'from-file': Flags.string({
      description: 'LogEvents from a file (a JSON array, NDJSON, one event, or a whole envelope); - for stdin.',
      exclusive: ['sample', 'event-id', 'filter', 'q', 'since', 'until'],
      helpGroup: EVENTS,
    }),
    limit: Flags.integer({
      default: 1,
      description: 'How many System Log events (newest first).',
      helpGroup: EVENTS,
      max: MAX_PAGE_SIZE,
      min: 1,
    }),
    q: Flags.string({description: 'System Log keyword search (up to 10 words).', helpGroup: EVENTS}),
    'receiver-timeout': receiverTimeoutFlag('DELIVERY'),
    retry: Flags.boolean({description: 'Retry once after a 5xx or a timeout, as Okta does.', helpGroup: 'DELIVERY'}),
    sample: Flags.boolean({
      description: "A realistic built-in event of the hook's first type (or --event-type) instead of the System Log.",
      exclusive: ['event-id', 'filter', 'q', 'since', 'until'],
      helpGroup: EVENTS,
    }),
    set: Flags.string({
      description:
        'Change the envelope before sending: path=value, the value parsed as JSON where it is JSON (repeatable).',
      helpGroup: CHANGES,
      helpValue: 'PATH=VALUE',
      multiple: true,
    }),
    since: Flags.string({
      description: 'Oldest event: ISO 8601 or relative (15m, 2h, 7d). Default 7d (90d with --event-id).',
      helpGroup: EVENTS,
    }),
    until: Flags.string({description: 'Newest event: ISO 8601 or relative. Default now.', helpGroup: EVENTS}),
  }

  async run(): Promise<PreviewResult> {
    const {flags} = this
    const offline = !this.args.hook
    if (offline && !(flags.to && (flags['from-file'] || flags.sample || flags['body-file']))) {
      throw usageError('Missing the hook (id or name).', [
        'Give the hook, or --to URL with --from-file, --sample or --body-file to preview without an org',
      ])
    }

    const assignments = (flags.set ?? []).map((text) => parseAssignment(text))
    if (flags.edit && !this.canEdit()) {
      throw usageError('--edit opens $EDITOR and needs a terminal.', ['Use --set path=value or --body-file instead'])
    }

    const okta = offline ? undefined : await this.okta()
    const hook = okta ? await new EventHooksApi(okta).resolve(this.args.hook as string) : undefined
    const target = flags.to ? checkTarget(flags.to, {allowHttp: flags['allow-http']}) : hookTarget(hook as EventHook)
    const auth = await resolveDeliveryAuth(hook, authInputs(flags), {
      ask: this.canPrompt() ? (message) => prompter.password(message) : undefined,
      dryRun: flags['dry-run'],
      noAuth: flags['no-auth'],
    })
    const headers = oktaDeliveryHeaders(hook?.channel.config.headers, auth)
    const bodies = flags['body-file']
      ? [fileBody(readFileSync(flags['body-file'], 'utf8'))]
      : await previewBodies(await previewEvents(await this.source(hook), okta, {onWait: (m) => this.notice(m)}), {
          assignments,
          batchSize: flags['batch-size'],
          edit: flags.edit ? async (envelopes) => this.editEnvelopes(envelopes) : undefined,
          source: sourceFor(okta?.orgUrl, hook),
        })

    const options = {
      dryRun: flags['dry-run'],
      headers,
      retry: flags.retry,
      shownHeaders: showHeaders(headers, auth?.key),
    }
    const url = {shown: displayUrl(target), target}
    const result = await sendPreviews(
      bodies,
      {...options, timeoutMs: flags['receiver-timeout'], url},
      (delivery, body, index) =>
        this.show(delivery, body, bodies.length > 1 ? ` (${index + 1} of ${bodies.length})` : ''),
    )
    if (result.verdict && result.verdict !== 'accepted') {
      const first = result.deliveries.find((delivery) => delivery.result?.verdict !== 'accepted')
      throw checkFailedError(`Delivery ${result.verdict}: ${first?.result?.explanation}.`, {
        code: 'DELIVERY_FAILED',
        result,
        suggestions: ['A receiver should answer 200 or 204 at once (within 3 s) and process later'],
      })
    }

    return result
  }

  /** Whether $EDITOR can be opened: a person at a terminal. */
  protected canEdit(): boolean {
    return Boolean(process.stdin.isTTY && process.stdout.isTTY && !this.jsonEnabled())
  }

  /** Opens $VISUAL/$EDITOR on the envelope(s) and reads the result back. */
  protected async editEnvelopes(envelopes: DeliveryEnvelope[]): Promise<DeliveryEnvelope[]> {
    const edited = editJson(envelopes.length === 1 ? envelopes[0] : envelopes, {what: 'envelope'})
    const list = Array.isArray(edited) ? edited : [edited]
    if (list.some((item) => !item || typeof item !== 'object'))
      throw usageError('The edited envelope is not a JSON object; nothing was sent.')
    return list as DeliveryEnvelope[]
  }

  /** Where the events come from: --from-file, --sample, or the System Log. */
  private async source(hook: EventHook | undefined): Promise<PreviewSource> {
    const {flags} = this
    const types = commaList(flags['event-type'])
    const file = flags['from-file']
    if (file) return {file, text: file === '-' ? await readStdinOnce('--from-file -') : readFileSync(file, 'utf8')}
    if (flags.sample) return {sample: types[0] ?? hook?.events.items[0]}
    const eventTypes = types.length > 0 ? types : (hook?.events.items ?? [])
    return {
      log: {
        eventIds: flags['event-id'],
        eventTypes,
        filter: flags.filter,
        limit: flags.limit,
        q: flags.q,
        since: flags.since,
        until: flags.until,
      },
    }
  }

  /** One delivery as people read it: what would be sent (dry run), or each attempt and its verdict. */
  private show(delivery: PreviewDelivery, body: PreviewBody, label: string): void {
    const {request} = delivery
    if (this.flags['dry-run']) {
      this.log(`Dry run${label}: would POST ${request.bytes} bytes (${plural(body.events, 'event')}) to ${request.url}`)
      for (const [name, value] of Object.entries(request.headers)) this.log(`${name}: ${value}`)
      this.log('')
      this.log(typeof body.envelope === 'string' ? body.envelope : JSON.stringify(body.envelope, null, 2))
      return
    }

    this.log(`POST ${request.url}${label}: ${plural(body.events, 'event')}, ${request.bytes} bytes`)
    const {attempts} = delivery
    for (const [n, attempt] of attempts.entries())
      this.log(renderAttempt(attempt, attempts.length > 1 ? n + 1 : undefined))
  }
}

function renderAttempt(attempt: JudgedResult, n?: number): string {
  const lines = [`${n ? `Attempt ${n}: ` : ''}${attempt.verdict.toUpperCase()}: ${attempt.explanation}`]
  if (attempt.status !== undefined) {
    lines.push(`  ${attempt.status} in ${attempt.latencyMs} ms`)
    for (const [name, value] of Object.entries(attempt.headers)) lines.push(`  ${name}: ${value}`)
    if (attempt.body)
      lines.push(
        '',
        indent(
          attempt.body.length > 2000
            ? `${attempt.body.slice(0, 2000)}... (${attempt.body.length} bytes shown of more)`
            : attempt.body,
        ),
      )
    else lines.push('  (empty body)')
    if (attempt.bodyTruncated) lines.push('  (response body truncated at 64 KiB)')
  }

  return lines.join('\n')
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n')
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`
}
