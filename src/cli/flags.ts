/**
 * Flag definitions more than one command shares: the one duration flag, the two timeouts
 * (--timeout for each call to Okta, --receiver-timeout for the endpoint's answer) and the delivery
 * target of preview and replay. Only definitions: parsing lives in src/lib (duration.ts).
 */
import {Flags} from '@oclif/core'

import {RECEIVER_TIMEOUT_MS} from '../lib/delivery/http-delivery.js'
import {formatDuration, parseDuration} from '../lib/duration.js'
import {OKTA_CALL_TIMEOUT_MS} from '../lib/okta/connection.js'

/**
 * A duration: `500ms`, `3s`, `2m`, `1h`, decimals allowed; a bare number is seconds. The value is
 * milliseconds; `min`/`max` (ms) bound it, and help shows the default as typed (`3s`).
 */
// A type, not an interface: oclif's custom options need an index signature.
type Bounds = {max?: number; min?: number}

export const durationFlag = Flags.custom<number, Bounds>({
  defaultHelp: async ({options}) => (typeof options.default === 'number' ? formatDuration(options.default) : undefined),
  helpValue: 'DURATION',
  async parse(input, _context, options) {
    return parseDuration(input, `--${options.name}`, {max: options.max, min: options.min})
  },
})

/** The longest --timeout or --receiver-timeout accepted. */
const MAX_TIMEOUT_MS = 600_000

/** The time allowed for each call to Okta (the same on every command that calls Okta). */
export const oktaTimeoutFlag = durationFlag({
  default: OKTA_CALL_TIMEOUT_MS,
  description: 'Time allowed for each call to Okta before it is retried or given up.',
  helpGroup: 'CONNECTION',
  max: MAX_TIMEOUT_MS,
})

/** The time the receiver has to answer each request (Okta gives it 3 s). */
export function receiverTimeoutFlag(helpGroup?: string) {
  return durationFlag({
    default: RECEIVER_TIMEOUT_MS,
    description: `Time the receiver has to answer each request (Okta: ${formatDuration(RECEIVER_TIMEOUT_MS)}).`,
    helpGroup,
    max: MAX_TIMEOUT_MS,
  })
}

/** Where preview and replay deliver, and whether the hook's auth header goes with it. */
export const targetFlags = {
  'allow-http': Flags.boolean({
    description: 'Allow --to with plain http to a host that is not loopback.',
    helpGroup: 'DELIVERY',
  }),
  'no-auth': Flags.boolean({description: 'Send no auth header, even if the hook has one.', helpGroup: 'AUTH HEADER'}),
  to: Flags.string({
    description:
      "Deliver here instead of the hook's URL (plain http only for " +
      'loopback hosts such as 127.0.0.1 unless --allow-http).',
    helpGroup: 'DELIVERY',
    helpValue: 'URL',
  }),
}

/** The values of a repeatable flag that also takes comma-separated lists, trimmed, empty ones dropped. */
export function commaList(values: string[] | undefined): string[] {
  return (values ?? [])
    .flatMap((value) => value.split(','))
    .map((value) => value.trim())
    .filter(Boolean)
}

/** create/update: the escape hatch from the filter engine, for expressions Okta accepts that it refuses. */
export const noFilterCheckFlag = Flags.boolean({
  description:
    "Send --filter expressions to Okta as written even when okta-hooks' filter engine refuses them " +
    '(a warning instead of exit 2): for expressions Okta accepts that the engine does not know.',
})
