import {Args, Flags} from '@oclif/core'
import {spawnSync} from 'node:child_process'
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {authFlags, authInputs} from '../cli/auth-flags.js'
import {OktaCommand} from '../cli/okta-command.js'
import type {DeliveryEnvelope, LogEvent} from '../lib/delivery/envelope.js'
import {deliverLikeOkta, type JudgedResult, OKTA_TIMEOUT_MS, oktaDeliveryHeaders, showHeaders} from '../lib/delivery/http-delivery.js'
import {type Assignment, parseAssignment} from '../lib/delivery/modify.js'
import {checkTarget, hookTarget, parseEventsText, previewEnvelopes, sourceFor} from '../lib/delivery/preview.js'
import {resolveDeliveryAuth} from '../lib/delivery/preview-auth.js'
import {secondsFlag, targetFlags} from '../lib/delivery/preview-flags.js'
import {sampleEvent} from '../lib/delivery/sample-events.js'
import {checkFailedError, notFoundError, usageError} from '../lib/errors.js'
import {EventHooksApi} from '../lib/hooks/event-hooks-api.js'
import type {EventHook} from '../lib/hooks/types.js'
import {readStdinOnce} from '../lib/io/stdin.js'
import {prompter} from '../lib/io/prompter.js'
import {displayUrl} from '../lib/net/urls.js'
import {allOf, eventTypeFilter, uuidFilter} from '../lib/syslog/filter.js'
import {type LogQuery, MAX_PAGE_SIZE, readRawLogPages} from '../lib/syslog/pager.js'
import type {RawLogEvent} from '../lib/syslog/raw-events.js'
import {rawEnvelopeBody} from '../lib/replay/raw-envelope.js'
import {checkWindow, parseTime} from '../lib/syslog/time.js'

const EVENTS = 'EVENTS'
const CHANGES = 'MODIFICATIONS'

export interface PreviewDelivery {
  /** Every attempt (two with --retry after a 5xx or timeout). */
  attempts: JudgedResult[]
  /** The envelope sent (or, with --body-file, the body: parsed when it is JSON). */
  envelope: unknown
  request: {bytes: number; headers: Record<string, string>; method: 'POST'; url: string}
  /** The final attempt, judged by Okta's rules; absent under --dry-run. */
  result?: JudgedResult
}

export interface PreviewResult {
  /** Every delivery was accepted (2xx within the timeout). */
  accepted: boolean
  deliveries: PreviewDelivery[]
  dryRun: boolean
  events: number
  target: string
}

export default class Preview extends OktaCommand<typeof Preview> {
  static override args = {
    hook: Args.string({description: 'Event hook id or exact name. Optional with --to and --from-file, --sample or --body-file (then no Okta call is made).'}),
  }

  static override description = `Deliver System Log events (or a sample, or a file) to a hook's URL exactly as Okta would, and judge the answer by Okta's rules.
By default: the most recent System Log event of one of the hook's event types, in Okta's eight-key envelope (source {orgUrl}/api/v1/eventHooks/{id}, a fresh eventId, eventTime now), with Okta's headers (Accept, Content-Type, the hook's custom headers and its auth header). Events are read as raw JSON: every field reaches the endpoint, including those the Okta SDK drops.
Okta accepts a 2xx within 3 seconds; it does not retry a 4xx; it retries a 5xx or a timeout once (--retry does that too). A failed delivery exits with 5.
Without a hook (--to with --from-file, --sample or --body-file), the envelope's source is the placeholder https://example.okta.com/api/v1/eventHooks/who0000000000000000000.`

  static override examples = [
    '<%= config.bin %> <%= command.id %> "User sync" --auth-secret-env HOOK_SECRET',
    '<%= config.bin %> <%= command.id %> "User sync" --to http://127.0.0.1:3000/okta --no-auth --event-type user.lifecycle.create --since 2h',
    '<%= config.bin %> <%= command.id %> who1a2b3c4d5e6f7g8h9 --event-id 4b5a2e5e-3f4c-11ef-9c1e-3b1a0b6b2f41 --set \'data.events[0].target[0].alternateId="test@example.com"\'',
    '<%= config.bin %> <%= command.id %> --to http://localhost:3000/okta --sample --event-type user.lifecycle.deactivate',
    '<%= config.bin %> <%= command.id %> "User sync" --from-file failures.ndjson --batch-size 10 --retry',
    '<%= config.bin %> <%= command.id %> "User sync" --dry-run --json',
  ]

  static override flags = {
    ...authFlags,
    ...targetFlags,
    'batch-size': Flags.integer({description: 'Events per delivery (envelope). Default: all the events in one.', helpGroup: EVENTS, min: 1}),
    'body-file': Flags.string({
      description: 'Send this file\'s content as the body, byte for byte (no envelope is built).',
      exclusive: ['from-file', 'sample', 'set', 'edit', 'event-id', 'filter', 'q'],
      helpGroup: CHANGES,
    }),
    'dry-run': Flags.boolean({description: 'Print the envelope and headers (secret masked) and send nothing.'}),
    edit: Flags.boolean({description: 'Open the envelope in $EDITOR before sending (at a terminal only).', helpGroup: CHANGES}),
    'event-id': Flags.string({description: 'System Log event uuid (repeatable).', helpGroup: EVENTS, multiple: true}),
    'event-type': Flags.string({description: 'Event type instead of the hook\'s own (repeatable, or comma-separated).', helpGroup: EVENTS, multiple: true}),
    filter: Flags.string({description: 'System Log SCIM filter, e.g. \'actor.alternateId eq "jane@example.com"\' (added to the event types).', helpGroup: EVENTS}),
    'from-file': Flags.string({
      description: 'LogEvents from a file (a JSON array, NDJSON, one event, or a whole envelope); - for stdin.',
      exclusive: ['sample', 'event-id', 'filter', 'q', 'since', 'until'],
      helpGroup: EVENTS,
    }),
    limit: Flags.integer({default: 1, description: 'How many System Log events (newest first).', helpGroup: EVENTS, max: MAX_PAGE_SIZE, min: 1}),
    q: Flags.string({description: 'System Log keyword search (up to 10 words).', helpGroup: EVENTS}),
    retry: Flags.boolean({description: 'Retry once after a 5xx or a timeout, as Okta does.', helpGroup: 'DELIVERY'}),
    sample: Flags.boolean({
      description: 'A realistic built-in event of the hook\'s first type (or --event-type) instead of the System Log.',
      exclusive: ['event-id', 'filter', 'q', 'since', 'until'],
      helpGroup: EVENTS,
    }),
    set: Flags.string({
      description: 'Change the envelope before sending: path=value, the value parsed as JSON where it is JSON (repeatable).',
      helpGroup: CHANGES,
      helpValue: 'PATH=VALUE',
      multiple: true,
    }),
    since: Flags.string({description: 'Oldest event: ISO 8601 or relative (15m, 2h, 7d). Default 7d (90d with --event-id).', helpGroup: EVENTS}),
    timeout: secondsFlag({default: OKTA_TIMEOUT_MS, description: 'Seconds the receiver has to answer (Okta: 3).', helpGroup: 'DELIVERY'}),
    until: Flags.string({description: 'Newest event: ISO 8601 or relative. Default now.', helpGroup: EVENTS}),
  }

  async run(): Promise<PreviewResult> {
    const {flags} = this
    const offline = !this.args.hook
    if (offline && !(flags.to && (flags['from-file'] || flags.sample || flags['body-file']))) {
      throw usageError('Missing the hook (id or name).', ['Give the hook, or --to URL with --from-file, --sample or --body-file to preview without an org'])
    }

    const assignments: Assignment[] = (flags.set ?? []).map((text) => parseAssignment(text))
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
    const shownHeaders = showHeaders(headers, auth?.key)

    let bodies: {body: string; envelope: unknown; events: number}[]
    if (flags['body-file']) {
      const body = readFileSync(flags['body-file'], 'utf8')
      bodies = [{body, envelope: tryJson(body), events: countEvents(tryJson(body))}]
    } else {
      const events = await this.events(hook, okta)
      const source = sourceFor(okta?.orgUrl, hook)
      if (!Array.isArray(events) && assignments.length === 0 && !flags.edit) {
        // System Log events untouched: each sent as the exact text Okta returned.
        const size = flags['batch-size'] ?? Math.max(events.raw.length, 1)
        bodies = []
        for (let i = 0; i < events.raw.length; i += size) {
          const body = rawEnvelopeBody(events.raw.slice(i, i + size), {source})
          bodies.push({body, envelope: JSON.parse(body), events: Math.min(size, events.raw.length - i)})
        }
      } else {
        const objects = Array.isArray(events) ? events : events.raw.map((event) => JSON.parse(event.json) as LogEvent)
        let envelopes: DeliveryEnvelope[] = previewEnvelopes(objects, {assignments, batchSize: flags['batch-size'], source})
        if (flags.edit) envelopes = await this.editEnvelopes(envelopes)
        bodies = envelopes.map((envelope) => ({body: JSON.stringify(envelope), envelope, events: countEvents(envelope)}))
      }
    }

    const result: PreviewResult = {accepted: true, deliveries: [], dryRun: Boolean(flags['dry-run']), events: 0, target: displayUrl(target)}
    for (const [index, {body, envelope, events}] of bodies.entries()) {
      result.events += events
      const request = {bytes: Buffer.byteLength(body), headers: shownHeaders, method: 'POST' as const, url: displayUrl(target)}
      const label = bodies.length > 1 ? ` (${index + 1} of ${bodies.length})` : ''
      if (flags['dry-run']) {
        result.deliveries.push({attempts: [], envelope, request})
        this.log(`Dry run${label}: would POST ${request.bytes} bytes (${plural(events, 'event')}) to ${request.url}`)
        for (const [name, value] of Object.entries(shownHeaders)) this.log(`${name}: ${value}`)
        this.log('')
        this.log(typeof envelope === 'string' ? envelope : JSON.stringify(envelope, null, 2))
        continue
      }

      const {attempts, final} = await deliverLikeOkta({body, headers, retry: flags.retry, timeoutMs: flags.timeout, url: target})
      result.deliveries.push({attempts, envelope, request, result: final})
      if (final.verdict !== 'accepted') result.accepted = false
      this.log(`POST ${request.url}${label}: ${plural(events, 'event')}, ${request.bytes} bytes`)
      for (const [n, attempt] of attempts.entries()) this.log(renderAttempt(attempt, attempts.length > 1 ? n + 1 : undefined))
    }

    if (!result.accepted) {
      const failed = result.deliveries.filter((d) => d.result?.verdict !== 'accepted')
      throw checkFailedError(`Delivery failed: ${failed[0].result?.explanation}.`, {
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

  /** Opens $VISUAL/$EDITOR on a temp file holding the envelope(s) and reads the result back. */
  protected async editEnvelopes(envelopes: DeliveryEnvelope[]): Promise<DeliveryEnvelope[]> {
    const dir = mkdtempSync(join(tmpdir(), 'okta-hooks-edit-'))
    const file = join(dir, 'envelope.json')
    try {
      writeFileSync(file, JSON.stringify(envelopes.length === 1 ? envelopes[0] : envelopes, null, 2) + '\n', {mode: 0o600})
      const editor = process.env.VISUAL || process.env.EDITOR || 'vi'
      const status = spawnSync(`${editor} "${file}"`, {shell: true, stdio: 'inherit'}).status
      if (status !== 0) throw usageError(`The editor (${editor}) exited with ${status}; nothing was sent.`)
      const edited = tryJson(readFileSync(file, 'utf8'))
      if (typeof edited === 'string') throw usageError('The edited envelope is not valid JSON; nothing was sent.')
      return (Array.isArray(edited) ? edited : [edited]) as DeliveryEnvelope[]
    } finally {
      rmSync(dir, {force: true, recursive: true})
    }
  }

  protected override oktaTimeoutMs(): number {
    return 30_000
  }

  /** Events from a file or a sample (objects), or from the System Log (the exact text Okta sent). */
  private async events(hook: EventHook | undefined, okta: Awaited<ReturnType<Preview['okta']>> | undefined): Promise<LogEvent[] | {raw: RawLogEvent[]}> {
    const {flags} = this
    const types = flags['event-type']?.flatMap((t) => t.split(',')).map((t) => t.trim()).filter(Boolean) ?? []
    if (flags['from-file']) {
      const text = flags['from-file'] === '-' ? await readStdinOnce('--from-file -') : readFileSync(flags['from-file'], 'utf8')
      return parseEventsText(text, `--from-file ${flags['from-file']}`)
    }

    if (flags.sample) {
      const type = types[0] ?? hook?.events.items[0]
      if (!type) throw usageError('--sample without a hook needs --event-type.', ['e.g. --sample --event-type user.lifecycle.create'])
      return [sampleEvent(type)]
    }

    const ids = flags['event-id'] ?? []
    const query: LogQuery = {
      filter: allOf(ids.length > 0 ? uuidFilter(ids) : eventTypeFilter(types.length > 0 ? types : (hook?.events.items ?? [])), flags.filter),
      limit: ids.length > 0 ? Math.min(ids.length, MAX_PAGE_SIZE) : flags.limit,
      q: flags.q,
      since: parseTime(flags.since ?? (ids.length > 0 ? '89d' : '7d'), {flag: '--since'}),
      sortOrder: 'DESCENDING',
      until: parseTime(flags.until ?? 'now', {flag: '--until'}),
    }
    checkWindow(query.since, query.until)
    const max = ids.length > 0 ? ids.length : flags.limit
    const events: RawLogEvent[] = []
    for await (const page of readRawLogPages(okta!, query, {onWait: (m) => this.notice(m)})) {
      events.push(...page.events.slice(0, max - events.length))
      if (events.length >= max) break
    }

    if (events.length === 0) {
      throw notFoundError(`No System Log event matches between ${query.since} and ${query.until} (filter: ${query.filter ?? 'none'}).`, [
        'Widen the window with --since 30d, change --event-type, or use --sample for a built-in event',
      ])
    }

    return {raw: events}
  }
}

function renderAttempt(attempt: JudgedResult, n?: number): string {
  const lines = [`${n ? `Attempt ${n}: ` : ''}${attempt.verdict.toUpperCase()}: ${attempt.explanation}`]
  if (attempt.status !== undefined) {
    lines.push(`  ${attempt.status} in ${attempt.latencyMs} ms`)
    for (const [name, value] of Object.entries(attempt.headers)) lines.push(`  ${name}: ${value}`)
    if (attempt.body) lines.push('', indent(attempt.body.length > 2000 ? `${attempt.body.slice(0, 2000)}... (${attempt.body.length} bytes shown of more)` : attempt.body))
    else if (attempt.status !== undefined) lines.push('  (empty body)')
    if (attempt.bodyTruncated) lines.push('  (response body truncated at 64 KiB)')
  }

  return lines.join('\n')
}

function indent(text: string): string {
  return text.split('\n').map((line) => `  ${line}`).join('\n')
}

function tryJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

function countEvents(envelope: unknown): number {
  const events = (envelope as DeliveryEnvelope | undefined)?.data?.events
  return Array.isArray(events) ? events.length : 0
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`
}
