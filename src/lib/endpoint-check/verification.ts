/**
 * Okta's rule for the verification GET: 200, Content-Type application/json, body
 * {"verification": <the challenge>}, within 3 s. Shared by check-endpoint and by listen
 * --forward-to (which judges the app's answer to a real challenge).
 */
import {type HttpResult, RECEIVER_TIMEOUT_MS} from '../delivery/http-delivery.js'
import {formatDuration} from '../duration.js'

export {CHALLENGE_HEADER} from '../delivery/okta-headers.js'

export type CheckStatus = 'fail' | 'pass' | 'skip' | 'warn'

export interface Judgement {
  detail: string
  status: CheckStatus
}

const REQUIRED = 'Okta requires {"verification": "<challenge>"}'

/** Okta's slowest acceptable answer is 3 s; past this share of it, an answer is worth a warning. */
export const SLOW_WARNING_MS = 2000

export function judgeVerification(result: HttpResult, challenge: string, timeoutMs = RECEIVER_TIMEOUT_MS): Judgement {
  if (result.error === 'TIMEOUT') {
    const within = `no answer within ${formatDuration(timeoutMs)}`
    return {detail: `${within}: Okta gives up (it retries once) and the hook stays UNVERIFIED`, status: 'fail'}
  }

  if (result.error || result.status === undefined)
    return {detail: `could not connect (${result.error}): Okta cannot verify a hook it cannot reach`, status: 'fail'}
  if (result.status === 401 || result.status === 403) {
    return {
      detail:
        `answered ${result.status}: the endpoint wants an auth header (give it with --auth-secret-env VAR or ` +
        `--basic-auth-user); Okta sends the hook's auth header with the verification GET too`,
      status: 'fail',
    }
  }

  if (result.status !== 200)
    return {detail: `answered ${result.status}; Okta requires 200 with {"verification": "<challenge>"}`, status: 'fail'}
  let parsed: unknown
  try {
    parsed = JSON.parse(result.body)
  } catch {
    const echoed = result.body.trim() === challenge
    return {
      detail: echoed
        ? 'echoed the challenge as plain text; Okta requires the JSON {"verification": "<challenge>"}'
        : `body is not JSON (${preview(result.body)}); ${REQUIRED}`,
      status: 'fail',
    }
  }

  const value = (parsed as Record<string, unknown> | null)?.verification
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed) || value === undefined) {
    return {detail: `JSON without a "verification" key (${preview(result.body)}); ${REQUIRED}`, status: 'fail'}
  }

  if (value !== challenge) {
    return {
      detail:
        `"verification" is ${preview(JSON.stringify(value))}, not the ` +
        `challenge Okta sent (${preview(JSON.stringify(challenge))})`,
      status: 'fail',
    }
  }

  const contentType = (result.headers['content-type'] ?? '').toLowerCase()
  const problems: string[] = []
  if (!contentType.startsWith('application/json'))
    problems.push(
      `Content-Type is ${contentType ? `"${contentType}"` : 'missing'}, not ` +
        `application/json (Okta documents JSON; it may refuse this)`,
    )
  const extra = Object.keys(parsed as object).filter((key) => key !== 'verification')
  if (extra.length > 0) problems.push(`extra keys ${extra.map((k) => `"${k}"`).join(', ')} besides "verification"`)
  if (result.latencyMs >= SLOW_WARNING_MS)
    problems.push(`took ${result.latencyMs} ms, close to Okta's ${formatDuration(timeoutMs)} limit`)
  if (problems.length > 0) return {detail: `challenge echoed, but ${problems.join('; ')}`, status: 'warn'}
  return {detail: `200 JSON {"verification": <challenge>} in ${result.latencyMs} ms`, status: 'pass'}
}

function preview(text: string, max = 60): string {
  const oneLine = text.replace(/\s+/g, ' ').trim()
  if (!oneLine) return 'empty'
  return oneLine.length > max ? `${oneLine.slice(0, max)}…` : oneLine
}
