import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';

/** Per-route bucket settings. */
export interface RateLimitOptions {
  /** Requests per window per bucket (default 50). */
  limit?: number;
  /** Window length in ms (default 1000). */
  windowMs?: number;
  /** Answer 429 when a bucket is exhausted (default true); false only reports headers. */
  enforce?: boolean;
}

/** The route parameters that make a bucket separate: Discord's "top-level resources". */
const MAJOR_PARAMS = ['channel', 'guild', 'application', 'token', 'interaction'];

interface Bucket {
  remaining: number;
  resetAt: number;
}

/** What the limiter decided for one request. */
export interface RateLimitDecision {
  headers: Record<string, string>;
  /** Seconds to wait when the request is refused (bucket exhausted and enforcement on). */
  retryAfter?: number;
  bucket: string;
}

/**
 * Per-route buckets with Discord's headers. Windows run on the real monotonic clock, not the
 * emulator's injectable one: clients (`@discordjs/rest`) wait them out in real time, so a frozen
 * test clock must not freeze the buckets.
 *
 * @see https://discord.com/developers/docs/topics/rate-limits#header-format
 */
export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  readonly limit: number;
  readonly windowMs: number;
  readonly enforce: boolean;

  constructor(options: RateLimitOptions = {}) {
    this.limit = options.limit ?? 50;
    this.windowMs = options.windowMs ?? 1000;
    this.enforce = options.enforce ?? true;
  }

  /** The bucket hash Discord would send for a method + route template. */
  static bucketHash(method: string, route: string): string {
    return createHash('sha1').update(`${method} ${route}`).digest('hex').slice(0, 32);
  }

  hit(method: string, route: string, params: Record<string, string>): RateLimitDecision {
    const hash = RateLimiter.bucketHash(method, route);
    const key = [hash, ...MAJOR_PARAMS.map((p) => params[p] ?? '')].join(':');
    const now = performance.now();
    let bucket = this.buckets.get(key);
    if (!bucket || bucket.resetAt <= now) {
      bucket = { remaining: this.limit, resetAt: now + this.windowMs };
      this.buckets.set(key, bucket);
    }
    const resetAfter = Math.max(0, bucket.resetAt - now) / 1000;
    const refused = bucket.remaining <= 0 && this.enforce;
    if (!refused) bucket.remaining = Math.max(0, bucket.remaining - 1);
    const headers = {
      'x-ratelimit-limit': String(this.limit),
      'x-ratelimit-remaining': String(bucket.remaining),
      'x-ratelimit-reset': ((Date.now() + resetAfter * 1000) / 1000).toFixed(3),
      'x-ratelimit-reset-after': resetAfter.toFixed(3),
      'x-ratelimit-bucket': hash,
    };
    return refused ? { headers, retryAfter: resetAfter, bucket: hash } : { headers, bucket: hash };
  }

  /** Forgets every bucket. */
  reset(): void {
    this.buckets.clear();
  }
}
