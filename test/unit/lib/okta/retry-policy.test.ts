import {expect} from 'chai'

import {
  backoffMs,
  defaultRetryPolicy,
  isIdempotent,
  isRetryableNetworkError,
  isRetryableStatus,
  rateLimitWaitMs,
  type RetryPolicy,
} from '../../../../src/lib/okta/retry-policy.js'

const policy: RetryPolicy = {
  baseBackoffMs: 500,
  maxAttempts: 4,
  maxBackoffMs: 8000,
  maxRateLimitWaitMs: 300_000,
  maxRateLimitWaits: 5,
  rateLimitMarginMs: 250,
}

describe('retry-policy', () => {
  describe('defaultRetryPolicy', () => {
    it('is bounded: 4 attempts, backoff capped at 8 s, at most 5 rate-limit waits of at most 5 minutes', () => {
      expect(defaultRetryPolicy({})).to.deep.equal(policy)
    })

    it('takes the base backoff from OKTA_HOOKS_RETRY_BASE_MS (tests), ignoring nonsense', () => {
      expect(defaultRetryPolicy({OKTA_HOOKS_RETRY_BASE_MS: '10'}).baseBackoffMs).to.equal(10)
      expect(defaultRetryPolicy({OKTA_HOOKS_RETRY_BASE_MS: '0'}).baseBackoffMs).to.equal(0)
      expect(defaultRetryPolicy({OKTA_HOOKS_RETRY_BASE_MS: 'soon'}).baseBackoffMs).to.equal(500)
      expect(defaultRetryPolicy({OKTA_HOOKS_RETRY_BASE_MS: '-5'}).baseBackoffMs).to.equal(500)
      expect(defaultRetryPolicy({OKTA_HOOKS_RETRY_BASE_MS: ''}).baseBackoffMs).to.equal(500)
    })
  })

  describe('isRetryableStatus', () => {
    it('retries 502, 503 and 504 for every method', () => {
      for (const status of [502, 503, 504]) {
        for (const method of ['GET', 'POST', 'PUT', 'DELETE'])
          expect(isRetryableStatus(status, method), `${status} ${method}`).to.equal(true)
      }
    })

    it('retries 500 only for calls that are safe to repeat', () => {
      expect(isRetryableStatus(500, 'GET')).to.equal(true)
      expect(isRetryableStatus(500, 'put')).to.equal(true)
      expect(isRetryableStatus(500, 'DELETE')).to.equal(true)
      expect(isRetryableStatus(500, 'POST')).to.equal(false)
    })

    it('never retries 2xx, 4xx (429 is waited out separately) or 501', () => {
      for (const status of [200, 204, 400, 401, 403, 404, 409, 429, 501])
        expect(isRetryableStatus(status, 'GET'), String(status)).to.equal(false)
    })
  })

  describe('isRetryableNetworkError', () => {
    it('retries a connection that never opened, for any method', () => {
      for (const code of ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']) {
        expect(isRetryableNetworkError(code, 'POST'), code).to.equal(true)
      }
    })

    it('retries a broken or timed-out call only when it is safe to repeat', () => {
      for (const code of ['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ESOCKETTIMEDOUT', 'UND_ERR_SOCKET', 'TIMEOUT']) {
        expect(isRetryableNetworkError(code, 'GET'), code).to.equal(true)
        expect(isRetryableNetworkError(code, 'POST'), code).to.equal(false)
      }
    })

    it('does not retry unknown or missing codes', () => {
      expect(isRetryableNetworkError(undefined, 'GET')).to.equal(false)
      expect(isRetryableNetworkError('CERT_HAS_EXPIRED', 'GET')).to.equal(false)
    })
  })

  it('isIdempotent: everything but a creating POST, any case', () => {
    expect(['GET', 'PUT', 'DELETE', 'HEAD', 'delete'].map((m) => isIdempotent(m))).to.deep.equal([
      true,
      true,
      true,
      true,
      true,
    ])
    expect(isIdempotent('post')).to.equal(false)
    expect(isIdempotent('POST', '/api/v1/eventHooks')).to.equal(false)
    for (const action of ['activate', 'deactivate', 'verify'])
      expect(isIdempotent('POST', `/api/v1/eventHooks/who1/lifecycle/${action}`), action).to.equal(true)
    expect(isIdempotent('POST', '/oauth2/v1/token')).to.equal(true)
    expect(isRetryableStatus(500, 'POST', '/api/v1/eventHooks/who1/lifecycle/verify')).to.equal(true)
    expect(isRetryableNetworkError('ECONNRESET', 'POST', '/api/v1/eventHooks/who1/lifecycle/activate')).to.equal(true)
    expect(isRetryableNetworkError('ECONNRESET', 'POST', '/api/v1/eventHooks')).to.equal(false)
  })

  describe('backoffMs', () => {
    it('doubles per retry with equal jitter: between half and all of the ceiling', () => {
      expect([1, 2, 3].map((n) => backoffMs(n, policy, () => 0))).to.deep.equal([250, 500, 1000])
      expect([1, 2, 3].map((n) => backoffMs(n, policy, () => 1))).to.deep.equal([500, 1000, 2000])
      expect(backoffMs(2, policy, () => 0.5)).to.equal(750)
    })

    it('is capped at maxBackoffMs however many retries', () => {
      expect(backoffMs(10, policy, () => 1)).to.equal(8000)
      expect(backoffMs(50, policy, () => 0)).to.equal(4000)
    })
  })

  describe('rateLimitWaitMs', () => {
    const now = Date.parse('2026-11-24T12:00:00.000Z')
    const inSeconds = (s: number) => String(Math.floor(now / 1000) + s)

    it('waits until X-Rate-Limit-Reset plus a margin', () => {
      expect(rateLimitWaitMs(inSeconds(1), undefined, now, policy)).to.equal(1250)
      expect(rateLimitWaitMs(inSeconds(30), null, now, policy)).to.equal(30_250)
    })

    it("prefers Okta's clock (Date header) over ours", () => {
      const oktaSaysItIs = new Date(now - 5000).toUTCString()
      expect(rateLimitWaitMs(inSeconds(1), oktaSaysItIs, now, policy)).to.equal(6250)
    })

    it('an instant already past waits only the margin; a missing or bad header waits a bounded default', () => {
      expect(rateLimitWaitMs(inSeconds(-10), undefined, now, policy)).to.equal(250)
      expect(rateLimitWaitMs(undefined, undefined, now, policy)).to.equal(1000)
      expect(rateLimitWaitMs('soon', 'not a date', now, {...policy, baseBackoffMs: 2000})).to.equal(2000)
    })
  })
})
