import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { backoffDelayMs, parseRetryAfter, sleep } from "./retry.js";

describe("backoffDelayMs", () => {
  it("doubles from the base with ±25% jitter and never exceeds the cap", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), fc.double({ min: 0, max: 0.999999, noNaN: true }), (n, r) => {
        const d = backoffDelayMs(n, 500, 8000, () => r);
        const nominal = Math.min(500 * 2 ** (n - 1), 8000);
        expect(d).toBeGreaterThanOrEqual(nominal * 0.75 - 1e-9);
        expect(d).toBeLessThanOrEqual(Math.min(nominal * 1.25, 8000) + 1e-9);
      }),
    );
    expect(backoffDelayMs(1, 500, 8000, () => 0.5)).toBe(500);
    expect(backoffDelayMs(3, 500, 8000, () => 0.5)).toBe(2000);
  });
});

describe("parseRetryAfter", () => {
  it("reads delta seconds", () => {
    expect(parseRetryAfter("2")).toBe(2000);
    expect(parseRetryAfter(" 0 ")).toBe(0);
    expect(parseRetryAfter("1.5")).toBe(1500);
  });
  it("reads an HTTP date relative to now, never negative", () => {
    const now = Date.parse("2026-12-04T20:00:00Z");
    expect(parseRetryAfter("Fri, 04 Dec 2026 20:00:03 GMT", now)).toBe(3000);
    expect(parseRetryAfter("Fri, 04 Dec 2026 19:00:00 GMT", now)).toBe(0);
  });
  it("ignores absent or unreadable values", () => {
    expect(parseRetryAfter(null)).toBeNull();
    expect(parseRetryAfter("")).toBeNull();
    expect(parseRetryAfter("soon")).toBeNull();
    expect(parseRetryAfter("-5")).toBeNull();
  });
});

describe("sleep", () => {
  it("rejects with the signal's reason when aborted", async () => {
    const c = new AbortController();
    const p = sleep(10_000, c.signal);
    c.abort(new Error("stop"));
    await expect(p).rejects.toThrow("stop");
  });
});
