/**
 * When to retry a call to Okta and how long to wait. Pure functions, no I/O: the SDK wrapper
 * (okta-sdk.ts) applies them.
 */
export interface RetryPolicy {
  /** Tries for a transient 5xx or network error, first try included. */
  maxAttempts: number
  /** First backoff; doubles each retry, with jitter, capped at maxBackoffMs. */
  baseBackoffMs: number
  maxBackoffMs: number
  /** How many 429s in a row one call waits out. */
  maxRateLimitWaits: number
  /** A single 429 wait longer than this is not waited out: the call fails (exit 6) saying when to retry. */
  maxRateLimitWaitMs: number
  /** Added to the X-Rate-Limit-Reset instant: the header has one-second granularity. */
  rateLimitMarginMs: number
}

export function defaultRetryPolicy(env: NodeJS.ProcessEnv = process.env): RetryPolicy {
  const base = Number(env.OKTA_HOOKS_RETRY_BASE_MS)
  return {
    baseBackoffMs: Number.isFinite(base) && base >= 0 && env.OKTA_HOOKS_RETRY_BASE_MS ? base : 500,
    maxAttempts: 4,
    maxBackoffMs: 8000,
    maxRateLimitWaitMs: 5 * 60 * 1000,
    maxRateLimitWaits: 5,
    rateLimitMarginMs: 250,
  }
}

/** 502, 503 and 504 are always transient; 500 only for calls that are safe to repeat. */
export function isRetryableStatus(status: number, method: string, path = ''): boolean {
  if (status === 502 || status === 503 || status === 504) return true
  return status === 500 && isIdempotent(method, path)
}

const CONNECT_ERRORS = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH'])
const MIDSTREAM_ERRORS = new Set(['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ESOCKETTIMEDOUT', 'UND_ERR_SOCKET', 'TIMEOUT'])

/**
 * A connection that never opened is safe to retry for any call; one that broke mid-way (or timed
 * out) only for calls that are safe to repeat (not a create, which could then be made twice).
 */
export function isRetryableNetworkError(code: string | undefined, method: string, path = ''): boolean {
  if (!code) return false
  if (CONNECT_ERRORS.has(code)) return true
  return MIDSTREAM_ERRORS.has(code) && isIdempotent(method, path)
}

/**
 * Whether repeating the call is harmless. Every method but POST is; so are the POSTs that only
 * move a hook to a state (lifecycle/activate|deactivate|verify) and the OAuth token request.
 * A create (POST /api/v1/eventHooks) is not: a retry could make the hook twice.
 */
export function isIdempotent(method: string, path = ''): boolean {
  if (method.toUpperCase() !== 'POST') return true
  return /\/lifecycle\/(activate|deactivate|verify)$|\/oauth2\/v1\/token$/.test(path)
}

/** Exponential backoff with "equal jitter": between half and all of the doubled delay. */
export function backoffMs(retryNumber: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxBackoffMs, policy.baseBackoffMs * 2 ** (retryNumber - 1))
  return Math.round(ceiling / 2 + (random() * ceiling) / 2)
}

/**
 * How long to wait after a 429. Okta's X-Rate-Limit-Reset is the UTC epoch second at which the
 * bucket refills; the response's Date header (Okta's clock) is preferred over ours.
 */
export function rateLimitWaitMs(
  resetHeader: string | null | undefined,
  dateHeader: string | null | undefined,
  nowMs: number,
  policy: RetryPolicy,
): number {
  const resetSeconds = Number.parseInt(resetHeader ?? '', 10)
  if (!Number.isFinite(resetSeconds)) return Math.max(1000, policy.baseBackoffMs)
  const serverNow = dateHeader ? Date.parse(dateHeader) : Number.NaN
  const now = Number.isFinite(serverNow) ? serverNow : nowMs
  return Math.max(0, resetSeconds * 1000 - now) + policy.rateLimitMarginMs
}
