/** Backoff and `Retry-After` arithmetic shared by every attempt loop. */

/** Delay before retry number `retry` (1-based): base * 2^(retry-1), ±25% jitter, capped. */
export function backoffDelayMs(
  retry: number,
  initialDelayMs: number,
  maxDelayMs: number,
  random: () => number = Math.random,
): number {
  const exp = Math.min(initialDelayMs * 2 ** (retry - 1), maxDelayMs);
  const jittered = exp * (0.75 + random() * 0.5);
  return Math.max(0, Math.min(jittered, maxDelayMs));
}

/**
 * Parses a `Retry-After` header: delta seconds (fractions allowed) or an HTTP
 * date. Returns milliseconds to wait (never negative), or null when absent or unreadable.
 */
export function parseRetryAfter(value: string | null | undefined, nowMs: number = Date.now()): number | null {
  if (value === null || value === undefined) return null;
  const trimmed = value.trim();
  if (trimmed === "") return null;
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  // An HTTP date always names its month or day; this keeps "-5" from parsing as a year.
  const date = /[a-z]/i.test(trimmed) ? Date.parse(trimmed) : Number.NaN;
  if (Number.isNaN(date)) return null;
  return Math.max(0, date - nowMs);
}

/** Resolves after `ms`, or rejects with the signal's reason when it aborts first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
