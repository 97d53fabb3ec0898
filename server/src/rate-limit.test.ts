import { describe, expect, it } from 'vitest';
import { createRateLimiter } from './rate-limit.js';

describe('createRateLimiter', () => {
  it('allows a burst, refuses the next with a Retry-After, and refills over time', () => {
    let t = 0;
    const limiter = createRateLimiter({ perSecond: 2, burst: 3, now: () => t });
    expect([1, 2, 3].map(() => limiter.take('a').allowed)).toEqual([true, true, true]);
    const refused = limiter.take('a');
    expect(refused).toEqual({ allowed: false, retryAfterSeconds: 1 });
    t += 500; // one token back at 2/s
    expect(limiter.take('a').allowed).toBe(true);
    expect(limiter.take('a').allowed).toBe(false);
  });

  it('keeps one bucket per caller', () => {
    const limiter = createRateLimiter({ perSecond: 1, burst: 1, now: () => 0 });
    expect(limiter.take('a').allowed).toBe(true);
    expect(limiter.take('a').allowed).toBe(false);
    expect(limiter.take('b').allowed).toBe(true);
  });

  it('rounds Retry-After up to whole seconds for slow refill rates', () => {
    const limiter = createRateLimiter({ perSecond: 0.1, burst: 1, now: () => 0 });
    limiter.take('a');
    expect(limiter.take('a')).toEqual({ allowed: false, retryAfterSeconds: 10 });
  });

  it('is disabled with a non-positive rate', () => {
    const limiter = createRateLimiter({ perSecond: 0, burst: 1 });
    for (let i = 0; i < 100; i++) expect(limiter.take('a').allowed).toBe(true);
  });
});
