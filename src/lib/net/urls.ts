/** URL rules shared by hooks, org URLs, preview targets and endpoint checks. */

export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase()
  return host === 'localhost' || host.endsWith('.localhost') || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host)
}

export function tryParseUrl(value: string): URL | undefined {
  try {
    return new URL(value)
  } catch {
    return undefined
  }
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
      problem: 'must use https:// (Okta only calls https endpoints; plain http is accepted only for loopback hosts such as 127.0.0.1)',
      suggestion: 'Use an https URL, or a tunnel such as ngrok for a local service',
    }
  return {problem: `uses the unsupported scheme ${url.protocol}`, suggestion: 'Use an https:// URL'}
}

/** Strips the query string, which may carry secrets, for display. */
export function displayUrl(value: string): string {
  const url = tryParseUrl(value)
  if (!url) return value
  if (url.username || url.password) {
    url.username = url.username ? '****' : ''
    url.password = url.password ? '****' : ''
  }
  return url.toString()
}
