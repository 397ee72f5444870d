/** URL rules shared by hooks, org URLs, preview targets and endpoint checks. */
import {usageError} from '../errors.js'

/**
 * Loopback means `localhost`, 127.0.0.0/8 and `::1`, and nothing else: a name such as
 * `app.localhost` is resolved through DNS like any other and may land anywhere, so plain http
 * (an unencrypted token or hook secret) is allowed only to these.
 */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase()
  if (host === 'localhost' || host === '::1') return true
  const octets = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host)
  return octets !== null && octets.slice(1).every((octet) => Number(octet) <= 255)
}

export function tryParseUrl(value: string): URL | undefined {
  try {
    return new URL(value)
  } catch {
    return undefined
  }
}

/** Whether a URL carries a user name or password (`https://user:pass@host/`). */
export function hasCredentials(url: URL): boolean {
  return url.username !== '' || url.password !== ''
}

/**
 * Refuses (exit 2) a URL with a user name or password in it, wherever okta-hooks accepts a URL:
 * the password would be sent as Basic auth whatever the other flags say, and echoed wherever the
 * URL is shown. The message shows the URL with both masked.
 */
export function refuseCredentials(value: string, what: string): void {
  const url = tryParseUrl(value.trim())
  if (!url || !hasCredentials(url)) return
  throw usageError(
    `${what} ${displayUrl(value.trim())} has a user name or password in it; okta-hooks refuses such URLs.`,
    [
      'Remove the user:password@ part; give an auth header with ' +
        '--auth-secret-env VAR (or --basic-auth-user USER) instead',
    ],
  )
}

export type UrlProblem = {problem: string; suggestion?: string}

/**
 * Okta's rules for a hook's `channel.config.uri`: https, at most 1024 characters, no whitespace.
 * `http://` is accepted only for loopback hosts (a local stand-in); the caller warns that a real org refuses it.
 */
export function checkHookUri(value: string): UrlProblem | {url: URL; plainHttpLoopback: boolean} {
  if (/\s/.test(value)) return {problem: 'must not contain whitespace'}
  if (value.length > 1024) return {problem: `is ${value.length} characters long; Okta allows at most 1024`}
  const url = tryParseUrl(value)
  if (!url) return {problem: 'is not a valid URL', suggestion: 'Give a full URL such as https://hooks.example.com/okta'}
  if (url.protocol === 'https:') return {url, plainHttpLoopback: false}
  if (url.protocol === 'http:' && isLoopbackHost(url.hostname)) return {url, plainHttpLoopback: true}
  if (url.protocol === 'http:')
    return {
      problem:
        'must use https:// (Okta only calls https endpoints; plain http is ' +
        'accepted only for localhost, 127.0.0.0/8 and ::1)',
      suggestion: 'Use an https URL, or a tunnel such as ngrok for a local service',
    }
  return {problem: `uses the unsupported scheme ${url.protocol}`, suggestion: 'Use an https:// URL'}
}

/** A URL for display: as given, but with a user name and password in it masked. */
export function displayUrl(value: string): string {
  const url = tryParseUrl(value)
  if (!url) return value.replace(/\/\/[^/?#\s]*@/, '//****@')
  if (!hasCredentials(url)) return value
  url.username = url.username ? '****' : ''
  url.password = url.password ? '****' : ''
  return url.toString()
}
