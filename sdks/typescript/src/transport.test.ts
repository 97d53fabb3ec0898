import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Hookline } from "./client.js";
import { HooklineError, isHooklineError } from "./errors.js";

// Fuzzes the response parser: whatever status and body a server (or a proxy in
// front of it) answers, a call resolves with data or rejects with a HooklineError.
const statuses = fc.oneof(fc.constantFrom(200, 400, 401, 403, 404, 408, 409, 429, 500, 502, 503, 504), fc.integer({ min: 200, max: 599 }));
const bodies = fc.oneof(
  fc.string(),
  fc.json(),
  fc.record({ data: fc.anything(), errors: fc.anything() }).map((o) => JSON.stringify(o)),
  fc.record({ errors: fc.array(fc.record({ message: fc.string(), extensions: fc.record({ code: fc.oneof(fc.string(), fc.constantFrom("RATE_LIMITED", "NOT_FOUND", "UNAUTHENTICATED")) }) })) }).map((o) => JSON.stringify(o)),
);
const retryAfter = fc.option(fc.oneof(fc.string(), fc.nat({ max: 3 }).map(String), fc.date().map((d) => (Number.isNaN(d.getTime()) ? "x" : d.toUTCString()))), { nil: undefined });

describe("response parsing", () => {
  it("never throws anything but a HooklineError, whatever the server answers", async () => {
    await fc.assert(
      fc.asyncProperty(statuses, bodies, retryAfter, async (status, body, ra) => {
        const headers: Record<string, string> = { "content-type": "application/json" };
        if (ra !== undefined) headers["retry-after"] = ra;
        const hookline = new Hookline({
          baseUrl: "http://fuzz.test/graphql",
          token: "t",
          maxRetries: 1,
          initialRetryDelayMs: 0,
          maxRetryDelayMs: 0,
          maxRetryAfterMs: 5,
          fetch: async () => new Response(status === 204 || status === 205 || status === 304 ? null : body, { status, headers }),
        });
        const outcome = await hookline.events.listTypes().then(
          (data) => ({ ok: true as const, data }),
          (error: unknown) => ({ ok: false as const, error }),
        );
        if (outcome.ok) {
          expect(status >= 200 && status < 300).toBe(true);
          expect(JSON.parse(body)).toHaveProperty("data");
        } else {
          expect(outcome.error).toBeInstanceOf(HooklineError);
          expect(isHooklineError(outcome.error)).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });
});
