import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { Hookline, type HooklineOptions } from "./client.js";
import {
  AuthenticationError,
  isHooklineError,
  NetworkError,
  NotFoundError,
  RateLimitError,
  ServerError,
  TimeoutError,
  ValidationError,
} from "./errors.js";
import type { LogEntry } from "./logger.js";

// These tests are about the client's own behaviour (retries, keys, tokens,
// classification), so the server is msw; the conformance suite repeats the
// important ones against a real HTTP mock server, and e2e against the real API.
const URL_ = "http://hookline.test/graphql";
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

interface Seen {
  body: { query: string; operationName: string; variables: Record<string, unknown> };
  headers: Headers;
}

/** Answers attempt i with responses[i] (the last one repeated) and records every request. */
function script(...responses: Array<() => Response | Promise<Response>>): Seen[] {
  const seen: Seen[] = [];
  server.use(
    http.post(URL_, async ({ request }) => {
      seen.push({ body: (await request.json()) as Seen["body"], headers: request.headers });
      return responses[Math.min(seen.length - 1, responses.length - 1)]!();
    }),
  );
  return seen;
}

const webhook = { id: "3f0c6a8e-7c51-4c8e-9d6f-0a4f8b1d2e3c", name: "orders" };
const listData = () => HttpResponse.json({ data: { webhooks: { edges: [{ cursor: "c1", node: webhook }], pageInfo: { hasNextPage: false, endCursor: "c1" } } } });
const createData = () => HttpResponse.json({ data: { createWebhook: { webhook, secret: "whsec_abc", subscriptions: [] } } });
const gqlError = (code: string, status: number, headers: Record<string, string> = {}) => () =>
  HttpResponse.json({ errors: [{ message: `failed with ${code}`, extensions: { code } }] }, { status, headers: { "x-request-id": "req_42", ...headers } });

function client(options: Partial<HooklineOptions> = {}): Hookline {
  return new Hookline({ baseUrl: URL_, token: "tok", initialRetryDelayMs: 1, maxRetryDelayMs: 5, ...options });
}

describe("requests", () => {
  it("sends the generated query with its operation name, variables and bearer token", async () => {
    const seen = script(listData);
    const page = await client().webhooks.list({ first: 5 });
    expect(page.edges[0]?.node.name).toBe("orders");
    expect(seen[0]?.body.operationName).toBe("ListWebhooks");
    expect(seen[0]?.body.query).toContain("query ListWebhooks");
    expect(seen[0]?.body.query).toContain("fragment WebhookFields on Webhook");
    expect(seen[0]?.body.variables).toEqual({ first: 5 });
    expect(seen[0]?.headers.get("authorization")).toBe("Bearer tok");
    expect(seen[0]?.headers.get("idempotency-key")).toBeNull();
  });

  it("walks every page with listAll", async () => {
    const seen: unknown[] = [];
    server.use(
      http.post(URL_, async ({ request }) => {
        const { variables } = (await request.json()) as { variables: { after?: string } };
        seen.push(variables.after ?? null);
        const n = variables.after ? Number(variables.after) : 0;
        return HttpResponse.json({
          data: { webhooks: { edges: [{ cursor: String(n + 1), node: { ...webhook, name: `w${n}` } }], pageInfo: { hasNextPage: n < 2, endCursor: String(n + 1) } } },
        });
      }),
    );
    const names: string[] = [];
    for await (const w of client().webhooks.listAll({ pageSize: 1 })) names.push(w.name);
    expect(names).toEqual(["w0", "w1", "w2"]);
    expect(seen).toEqual([null, "1", "2"]);
  });
});

describe("retries", () => {
  it("retries 502/503/504 then succeeds", async () => {
    const seen = script(gqlError("X", 502), () => new HttpResponse("busy", { status: 503 }), () => new HttpResponse(null, { status: 504 }), listData);
    await expect(client({ maxRetries: 3 }).webhooks.list()).resolves.toBeTruthy();
    expect(seen).toHaveLength(4);
  });

  it("gives up after maxRetries with the last error", async () => {
    const seen = script(() => new HttpResponse("busy", { status: 503, headers: { "x-request-id": "req_9" } }));
    const err = await client({ maxRetries: 2 }).webhooks.list().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ServerError);
    expect((err as ServerError).status).toBe(503);
    expect((err as ServerError).requestId).toBe("req_9");
    expect(seen).toHaveLength(3);
  });

  it("retries INTERNAL_SERVER_ERROR and RATE_LIMITED codes but not other codes", async () => {
    let seen = script(gqlError("INTERNAL_SERVER_ERROR", 200), listData);
    await client().webhooks.list();
    expect(seen).toHaveLength(2);
    seen = script(gqlError("BAD_USER_INPUT", 400));
    await expect(client().webhooks.list()).rejects.toBeInstanceOf(ValidationError);
    expect(seen).toHaveLength(1);
  });

  it("reuses one idempotency key across a mutation's attempts and makes a new one per call", async () => {
    const seen = script(() => new HttpResponse(null, { status: 503 }), createData);
    const hl = client();
    await hl.webhooks.create({ name: "a", url: "https://example.com/h" });
    const next = script(createData);
    await hl.webhooks.create({ name: "a", url: "https://example.com/h" });
    const keys = seen.map((s) => s.headers.get("idempotency-key"));
    expect(keys).toHaveLength(2);
    expect(keys[0]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(keys[1]).toBe(keys[0]);
    expect(next[0]?.headers.get("idempotency-key")).toMatch(/^[0-9a-f-]{36}$/);
    expect(next[0]?.headers.get("idempotency-key")).not.toBe(keys[0]);
  });

  it("uses an explicit idempotency key on every attempt", async () => {
    const seen = script(() => new HttpResponse(null, { status: 502 }), createData);
    await client().webhooks.create({ name: "a", url: "https://x.test" }, { idempotencyKey: "key-1" });
    expect(seen.map((s) => s.headers.get("idempotency-key"))).toEqual(["key-1", "key-1"]);
  });

  it("never retries a mutation without an idempotency key", async () => {
    const seen = script(() => new HttpResponse(null, { status: 503 }), createData);
    const err = await client({ idempotentMutations: false }).webhooks.create({ name: "a", url: "https://x.test" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ServerError);
    expect(seen).toHaveLength(1);
    expect(seen[0]?.headers.get("idempotency-key")).toBeNull();
  });

  it("waits Retry-After on 429 and raises at once when it is beyond the cap", async () => {
    let seen = script(gqlError("RATE_LIMITED", 429, { "retry-after": "0" }), listData);
    await client().webhooks.list();
    expect(seen).toHaveLength(2);

    seen = script(gqlError("RATE_LIMITED", 429, { "retry-after": "120" }), listData);
    const err = (await client({ maxRetryAfterMs: 5000 }).webhooks.list().catch((e: unknown) => e)) as RateLimitError;
    expect(err).toBeInstanceOf(RateLimitError);
    expect(err.retryAfterMs).toBe(120_000);
    expect(err.requestId).toBe("req_42");
    expect(seen).toHaveLength(1);
  });

  it("turns connection failures into NetworkError and retries them", async () => {
    const seen = script(() => HttpResponse.error(), listData);
    await client().webhooks.list();
    expect(seen).toHaveLength(2);
    script(() => HttpResponse.error());
    const err = await client({ maxRetries: 1 }).webhooks.list().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NetworkError);
    expect(err).not.toBeInstanceOf(TimeoutError);
  });
});

describe("timeouts and cancellation", () => {
  const slow = (ms: number) => async () => {
    await new Promise((r) => setTimeout(r, ms));
    return listData();
  };

  it("bounds each attempt with timeoutMs and retries the timeout", async () => {
    const seen = script(slow(500), listData);
    await client({ timeoutMs: 50 }).webhooks.list();
    expect(seen).toHaveLength(2);
    script(slow(500));
    const err = await client({ timeoutMs: 30, maxRetries: 1 }).webhooks.list().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TimeoutError);
  });

  it("bounds the whole call with deadlineMs, waits included", async () => {
    script(() => new HttpResponse(null, { status: 503 }));
    const started = Date.now();
    const err = await client({ deadlineMs: 150, initialRetryDelayMs: 100, maxRetryDelayMs: 100, maxRetries: 10 }).webhooks.list().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TimeoutError);
    expect((err as Error).message).toMatch(/deadline/);
    expect((err as TimeoutError).status).toBe(503); // the last response received
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it("rejects with the AbortSignal's reason", async () => {
    script(slow(2000));
    const c = new AbortController();
    const p = client().webhooks.list({}, { signal: c.signal });
    setTimeout(() => c.abort(new Error("user cancelled")), 20);
    await expect(p).rejects.toThrow("user cancelled");
  });
});

describe("tokens", () => {
  it("a slow token provider is bounded by the deadline and by the AbortSignal", async () => {
    script(listData);
    const hang = () => new Promise<never>(() => undefined);
    const err = await client({ token: undefined, tokenProvider: hang, deadlineMs: 50 }).webhooks.list().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TimeoutError);
    const c = new AbortController();
    const p = client({ token: undefined, tokenProvider: hang }).webhooks.list({}, { signal: c.signal });
    setTimeout(() => c.abort(new Error("gave up")), 20);
    await expect(p).rejects.toThrow("gave up");
  });

  it("refreshes once after a 401 and replays outside the retry budget", async () => {
    const seen = script(gqlError("UNAUTHENTICATED", 401), listData);
    let n = 0;
    const hl = client({ token: undefined, maxRetries: 0, tokenProvider: () => ({ token: `t${++n}`, expiresAt: Date.now() + 3_600_000 }) });
    await hl.webhooks.list();
    expect(seen.map((s) => s.headers.get("authorization"))).toEqual(["Bearer t1", "Bearer t2"]);
    expect(hl.tokenProviderCalls).toBe(2);
  });

  it("raises AuthenticationError when the refreshed token is rejected too", async () => {
    const seen = script(gqlError("UNAUTHENTICATED", 401));
    let n = 0;
    const err = await client({ token: undefined, tokenProvider: () => ({ token: `t${++n}` }) }).webhooks.list().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AuthenticationError);
    expect(seen).toHaveLength(2);
  });

  it("shares one refresh among 8 concurrent callers", async () => {
    server.use(
      http.post(URL_, ({ request }) =>
        request.headers.get("authorization") === "Bearer t2" ? listData() : gqlError("UNAUTHENTICATED", 401)(),
      ),
    );
    let n = 0;
    const hl = client({
      token: undefined,
      tokenProvider: async () => {
        await new Promise((r) => setTimeout(r, 10));
        return { token: `t${++n}`, expiresAt: Date.now() + 3_600_000 };
      },
    });
    await Promise.all(Array.from({ length: 8 }, () => hl.webhooks.list()));
    expect(hl.tokenProviderCalls).toBe(2);
  });

  it("does not refresh a static token", async () => {
    const seen = script(gqlError("UNAUTHENTICATED", 401));
    await expect(client().webhooks.list()).rejects.toBeInstanceOf(AuthenticationError);
    expect(seen).toHaveLength(1);
  });
});

describe("errors", () => {
  it("reads GraphQL errors from a non-2xx body", async () => {
    script(() => HttpResponse.json({ errors: [{ message: "no such webhook", extensions: { code: "NOT_FOUND" } }] }, { status: 404, headers: { "x-request-id": "r1" } }));
    const err = (await client().webhooks.get("id").catch((e: unknown) => e)) as NotFoundError;
    expect(err).toBeInstanceOf(NotFoundError);
    expect([err.code, err.status, err.requestId, err.message]).toEqual(["NOT_FOUND", 404, "r1", "no such webhook"]);
  });

  it("keeps partial data that came with errors", async () => {
    script(() => HttpResponse.json({ data: { webhook: null }, errors: [{ message: "denied", extensions: { code: "FORBIDDEN" } }] }));
    const err = await client().webhooks.get("id").catch((e: unknown) => e);
    expect(isHooklineError(err, "PermissionDeniedError")).toBe(true);
    expect((err as { partialData: unknown }).partialData).toEqual({ webhook: null });
  });

  it("classifies a non-JSON error body by status", async () => {
    script(() => new HttpResponse("<html>bad gateway</html>", { status: 400 }));
    const err = await client().webhooks.list().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).graphqlErrors).toEqual([]);
  });
});

describe("secrecy", () => {
  it("does not show the token when the client is inspected", async () => {
    script(listData);
    const { inspect } = await import("node:util");
    const hl = client({ token: undefined, tokenProvider: () => ({ token: "tok-from-provider-123" }) });
    await hl.webhooks.list();
    expect(inspect(hl, { depth: 20, showHidden: true })).not.toContain("tok-from-provider-123");
    expect(inspect(client({ token: "static-tok-456" }), { depth: 20, showHidden: true })).not.toContain("static-tok-456");
  });
});

describe("logging", () => {
  it("logs requests with Authorization and secrets redacted", async () => {
    script(() => new HttpResponse(null, { status: 503 }), createData);
    const entries: LogEntry[] = [];
    await client({ token: "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl", logger: (e) => entries.push(e) }).webhooks.create({ name: "a", url: "https://x.test" });
    const text = JSON.stringify(entries);
    expect(entries.map((e) => e.msg)).toEqual(["request", "response", "retry", "request", "response"]);
    expect(text).not.toContain("eyJhbGciOiJIUzI1NiJ9");
    expect(text).not.toContain("whsec_abc");
    expect(text).toContain("[REDACTED]");
  });
});
