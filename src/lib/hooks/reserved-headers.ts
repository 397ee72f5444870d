/**
 * The one list of header names a hook may not set, neither as a custom header nor as its auth
 * header: used by create/update validation (hook-builder) and by the sandbox (hook-validation),
 * so that what `create --dry-run` accepts is what the sandbox (and, as far as Okta documents it,
 * a real org) accepts. Compared case-insensitively.
 *
 * Okta publishes no list of its own (the Event Hooks API reference and the EventHookChannelConfig
 * schema only say custom headers are "sent with the request"). This list is derived from what Okta
 * documents it sends on every hook call, which a custom header would duplicate or contradict:
 * `Accept` and `Content-Type: application/json`, `User-Agent: Okta-Integrations`,
 * `X-Okta-Request-Id` and `X-Okta-Verification-Challenge` ("Event hooks" concept page, "Hooks
 * best practices", support article "Unable to Verify Event Hook"), and `Host`; plus what HTTP
 * itself owns: message framing and connection headers (RFC 9110 §7.6.1 and RFC 9112:
 * Connection, Content-Length, Transfer-Encoding, Keep-Alive, TE, Trailer, Upgrade), and content
 * negotiation and coding done by Okta's HTTP client (Accept-Charset, Accept-Encoding,
 * Content-Encoding, Cookie). Every `X-Okta-*` name is Okta's.
 */

export const RESERVED_HEADER_NAMES: readonly string[] = [
  'accept',
  'accept-charset',
  'accept-encoding',
  'connection',
  'content-encoding',
  'content-length',
  'content-type',
  'cookie',
  'host',
  'keep-alive',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'user-agent',
  'x-okta-request-id',
  'x-okta-verification-challenge',
]

/** Every header name with this prefix (lower-case) is reserved for Okta. */
export const RESERVED_HEADER_PREFIX = 'x-okta-'

const RESERVED = new Set(RESERVED_HEADER_NAMES)

export function isReservedHeader(name: string): boolean {
  const lower = name.toLowerCase()
  return RESERVED.has(lower) || lower.startsWith(RESERVED_HEADER_PREFIX)
}
