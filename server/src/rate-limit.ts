/**
 * Per-caller token buckets. Each caller (user id, `service_role`, or the client
 * address before authentication) gets `burst` tokens refilled at `perSecond`.
 * In memory: each server process limits on its own.
 */

/** Options of {@link createRateLimiter}. */
export interface RateLimitOptions {
  /** Sustained requests per second per caller; 0 or less disables limiting. */
  perSecond: number;
  /** Bucket size: requests a caller may make at once. */
  burst: number;
  /** Clock in milliseconds; tests inject one. */
  now?: () => number;
  /** Most callers tracked; the idlest are forgotten first. Default 100000. */
  maxKeys?: number;
}

/** The outcome of one {@link RateLimiter.take}. */
export type RateLimitDecision = { allowed: true; remaining: number } | { allowed: false; retryAfterSeconds: number };

/** A token-bucket limiter. */
export interface RateLimiter {
  take(key: string): RateLimitDecision;
}

/** Creates a limiter; with `perSecond <= 0` every request is allowed. */
export function createRateLimiter(options: RateLimitOptions): RateLimiter {
  const { perSecond } = options;
  const burst = Math.max(1, options.burst);
  const now = options.now ?? Date.now;
  const maxKeys = options.maxKeys ?? 100_000;
  const buckets = new Map<string, { tokens: number; at: number }>();
  if (!(perSecond > 0)) return { take: () => ({ allowed: true, remaining: Infinity }) };

  return {
    take(key) {
      const t = now();
      let bucket = buckets.get(key);
      if (bucket) {
        bucket.tokens = Math.min(burst, bucket.tokens + ((t - bucket.at) / 1000) * perSecond);
        bucket.at = t;
        buckets.delete(key); // re-insert: Map order doubles as least-recently-used order
      } else {
        bucket = { tokens: burst, at: t };
        if (buckets.size >= maxKeys) {
          const oldest = buckets.keys().next().value;
          if (oldest !== undefined) buckets.delete(oldest);
        }
      }
      buckets.set(key, bucket);
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return { allowed: true, remaining: Math.floor(bucket.tokens) };
      }
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / perSecond)) };
    },
  };
}
