/**
 * Okta-style rate limits: one bucket for /api/v1/logs and one for the rest of /api/v1, each with
 * a fixed window. Every answer carries X-Rate-Limit-Limit, -Remaining and -Reset (UTC epoch
 * seconds); past the limit the server answers 429 E0000047 until the window resets.
 */
import {clock} from '../clock.js'

export type Bucket = 'api' | 'logs'

export interface RateLimitOptions {
  /** Requests per window per bucket. */
  limit: number
  windowMs: number
}

export interface RateLimitVerdict {
  allowed: boolean
  headers: Record<string, string>
}

/** Without --rate-limit the sandbox still counts, against limits no test or demo reaches. */
export const UNLIMITED = 100_000

export class RateLimiter {
  private readonly windows = new Map<Bucket, {count: number; resetMs: number}>()

  constructor(private readonly options: RateLimitOptions) {}

  take(bucket: Bucket, now = clock().now()): RateLimitVerdict {
    let window = this.windows.get(bucket)
    if (!window || now >= window.resetMs) {
      // Okta's reset is whole seconds; round the window's end up so the header never lies early.
      window = {count: 0, resetMs: Math.ceil((now + this.options.windowMs) / 1000) * 1000}
      this.windows.set(bucket, window)
    }

    window.count++
    const allowed = window.count <= this.options.limit
    return {
      allowed,
      headers: {
        'X-Rate-Limit-Limit': String(this.options.limit),
        'X-Rate-Limit-Remaining': String(Math.max(0, this.options.limit - window.count)),
        'X-Rate-Limit-Reset': String(window.resetMs / 1000),
      },
    }
  }
}

export function bucketFor(path: string): Bucket {
  return path === '/api/v1/logs' || path.startsWith('/api/v1/logs/') ? 'logs' : 'api'
}
