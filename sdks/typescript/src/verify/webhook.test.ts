import { readdirSync, readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { engine as nodeEngine } from "./engine-node.js";
import { engine as webEngine } from "./engine-web.js";
import type { CryptoEngine } from "./engine.js";
import { WebhookVerificationError } from "./errors.js";
import { Webhook } from "./index.js";
import { type WebhookOptions, WebhookBase } from "./webhook.js";

// The signature vectors live once, in conformance-tests/cases/signatures; both
// engines are run over all of them here as well as through the testee.
const casesDir = new URL("../../../../conformance-tests/cases/signatures/", import.meta.url);
interface VectorCase {
  name: string;
  request: Record<string, unknown> & { op: "sign" | "verify" };
  expect: { ok: boolean; result?: Record<string, unknown>; error?: { reason?: string } };
}
const vectors: VectorCase[] = readdirSync(casesDir)
  .filter((f) => f.endsWith(".json"))
  .flatMap((f) => (JSON.parse(readFileSync(new URL(f, casesDir), "utf8")) as { cases: VectorCase[] }).cases);

function bodyOf(r: Record<string, unknown>): string | Uint8Array {
  if (typeof r.bodyBase64 === "string") return new Uint8Array(Buffer.from(r.bodyBase64, "base64"));
  const b = r.body as string | { repeat: string; times: number };
  return typeof b === "string" ? b : b.repeat.repeat(b.times);
}

const engines: Array<[string, CryptoEngine]> = [
  ["node:crypto", nodeEngine],
  ["Web Crypto", webEngine],
];

function make(engine: CryptoEngine, secret: string | readonly string[], options: WebhookOptions = {}): WebhookBase {
  return new WebhookBase(secret, options, engine);
}

describe.each(engines)("signature vectors with %s", (_name, engine) => {
  it(`has vectors to run (${vectors.length})`, () => expect(vectors.length).toBeGreaterThan(20));

  it.each(vectors.map((v) => [v.name, v] as const))("%s", async (_n, v) => {
    const r = v.request;
    const run = async () => {
      if (r.op === "sign") {
        const wh = make(engine, r.secret as string, { algorithm: r.algorithm as "sha256" | "sha512" });
        return { signature: await wh.sign(r.msgId as string, r.timestamp as number, bodyOf(r)) };
      }
      const wh = make(engine, r.secrets as string[], { toleranceSeconds: (r.toleranceSeconds as number) ?? 300, now: () => (r.now as number) * 1000 });
      await wh.verifySignature(bodyOf(r), r.headers as Record<string, string>);
      return { verified: true };
    };
    if (v.expect.ok) {
      expect(await run()).toMatchObject(v.expect.result ?? {});
    } else {
      const err = await run().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(WebhookVerificationError);
      if (v.expect.error?.reason) expect((err as WebhookVerificationError).reason).toBe(v.expect.error.reason);
    }
  });
});

const SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const NOW = 1_700_000_000;

describe("Webhook", () => {
  it("returns the parsed payload and accepts Headers, records in any case, and array values", async () => {
    const wh = new Webhook(SECRET, { now: () => NOW * 1000 });
    const body = '{"type":"credit.added","data":{"amount":5}}';
    const h = await wh.signHeaders("msg_1", NOW, body);
    expect(await wh.verify(body, new Headers(h as unknown as Record<string, string>))).toEqual({ type: "credit.added", data: { amount: 5 } });
    expect(await wh.verify(body, { "WEBHOOK-ID": "msg_1", "Webhook-Timestamp": String(NOW), "webhook-signature": [h["webhook-signature"]] })).toBeTruthy();
    expect(await wh.verify(Buffer.from(body), h as unknown as Record<string, string>)).toBeTruthy();
    expect(await wh.verify(new TextEncoder().encode(body).buffer, h as unknown as Record<string, string>)).toBeTruthy();
  });

  it("explains what to do when handed a parsed object", async () => {
    const wh = new Webhook(SECRET);
    const err = (await wh.verify({ type: "x" } as never, {}).catch((e: unknown) => e)) as WebhookVerificationError;
    expect(err).toBeInstanceOf(WebhookVerificationError);
    expect(err.reason).toBe("invalid_body");
    expect(err.message).toMatch(/raw request body/);
    expect(err.message).toMatch(/parsed object/);
  });

  it("accepts at exactly the tolerance and refuses one second past, both directions", async () => {
    const body = "{}";
    const check = async (ts: number) => {
      const wh = new Webhook(SECRET, { toleranceSeconds: 60, now: () => new Date(NOW * 1000) });
      return wh.verify(body, await wh.signHeaders("m", ts, body) as never).then(() => "ok", (e: WebhookVerificationError) => e.reason);
    };
    expect(await check(NOW - 60)).toBe("ok");
    expect(await check(NOW + 60)).toBe("ok");
    expect(await check(NOW - 61)).toBe("timestamp_too_old");
    expect(await check(NOW + 61)).toBe("timestamp_too_new");
  });

  it("verifies a header carrying the new and the previous secret's signatures (rotation)", async () => {
    const oldWh = new Webhook(SECRET, { now: () => NOW * 1000 });
    const newSecret = "whsec_" + Buffer.alloc(32, 7).toString("base64");
    const newWh = new Webhook(newSecret, { algorithm: "sha512", now: () => NOW * 1000 });
    const body = '{"a":1}';
    const both = `${await newWh.sign("m", NOW, body)} ${await oldWh.sign("m", NOW, body)}`;
    const headers = { "webhook-id": "m", "webhook-timestamp": String(NOW), "webhook-signature": both };
    expect(await oldWh.verify(body, headers)).toEqual({ a: 1 });
    expect(await newWh.verify(body, headers)).toEqual({ a: 1 });
    const stranger = new Webhook("whsec_" + Buffer.alloc(32, 9).toString("base64"), { now: () => NOW * 1000 });
    await expect(stranger.verify(body, headers)).rejects.toMatchObject({ reason: "no_matching_signature" });
  });

  it.each(engines)("accepts only the canonical base64 of the MAC (%s)", async (_n, engine) => {
    const wh = make(engine, SECRET, { now: () => NOW * 1000 });
    const h = await wh.signHeaders("m", NOW, "{}");
    expect(h["webhook-signature"]).toMatch(/=$/);
    await expect(wh.verifySignature("{}", h as never)).resolves.toBe("{}");
    const unpadded = { ...h, "webhook-signature": h["webhook-signature"].replace(/=+$/, "") };
    await expect(wh.verifySignature("{}", unpadded as never)).rejects.toMatchObject({ reason: "no_matching_signature" });
  });

  it("does not show its key material when inspected or serialised", async () => {
    const { inspect } = await import("node:util");
    const wh = new Webhook(SECRET);
    await wh.sign("m", NOW, "{}"); // prepares a key
    const keyBytes = Buffer.from(SECRET.slice(6), "base64");
    for (const text of [inspect(wh, { depth: 10, showHidden: true }), JSON.stringify(wh)]) {
      expect(text).not.toContain(SECRET.slice(6));
      expect(text).not.toContain(keyBytes.toString("hex").slice(0, 16));
      expect(text).not.toMatch(new RegExp(`\\b${keyBytes[0]},\\s*${keyBytes[1]},\\s*${keyBytes[2]},\\s*${keyBytes[3]}\\b`));
    }
  });

  it("never puts the secret into an error message", async () => {
    const wh = new Webhook(SECRET, { now: () => NOW * 1000 });
    const err = (await wh.verify("{}", { "webhook-id": "m", "webhook-timestamp": String(NOW), "webhook-signature": "v1,AAAA" }).catch((e: unknown) => e)) as Error;
    expect(err.message).not.toContain(SECRET.slice(6));
    expect(() => new Webhook("whsec_not base64!")).toThrow(WebhookVerificationError);
  });
});

describe("properties", () => {
  const anyBody = fc.oneof(fc.string(), fc.uint8Array(), fc.anything());
  const anyHeaders = fc.oneof(
    fc.dictionary(fc.constantFrom("webhook-id", "Webhook-Timestamp", "webhook-signature", "x"), fc.oneof(fc.string(), fc.array(fc.string()))),
    fc.anything(),
    fc.record({ "webhook-id": fc.string(), "webhook-timestamp": fc.nat().map(String), "webhook-signature": fc.string() }),
  );

  it.each(engines)("verify never throws anything but WebhookVerificationError on arbitrary input (%s)", async (_n, engine) => {
    const wh = make(engine, SECRET, { now: () => NOW * 1000 });
    await fc.assert(
      fc.asyncProperty(anyBody, anyHeaders, async (body, headers) => {
        const result = await wh.verify(body as never, headers as never).then(() => null, (e: unknown) => e);
        expect(result).toBeInstanceOf(WebhookVerificationError);
      }),
      { numRuns: 300 },
    );
  });

  it("the constructor rejects arbitrary non-secrets only with WebhookVerificationError", () => {
    fc.assert(
      fc.property(fc.anything(), (secret) => {
        try {
          new Webhook(secret as never);
        } catch (e) {
          expect(e).toBeInstanceOf(WebhookVerificationError);
        }
      }),
    );
  });

  it.each(engines)("sign then verify round-trips for any id, body, secret and algorithm (%s)", async (_n, engine) => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ minLength: 1, maxLength: 64 }),
        fc.string({ minLength: 1 }).filter((s) => !s.includes(" ")),
        fc.oneof(fc.string(), fc.uint8Array()),
        fc.constantFrom("sha256" as const, "sha512" as const),
        fc.integer({ min: 0, max: 4_000_000_000 }),
        async (secretBytes, id, body, algorithm, ts) => {
          const secret = `whsec_${Buffer.from(secretBytes).toString("base64")}`;
          const wh = make(engine, secret, { algorithm, now: () => ts * 1000 });
          const raw = await wh.verifySignature(body, await wh.signHeaders(id, ts, body) as never);
          expect(raw).toBe(body);
        },
      ),
      { numRuns: 150 },
    );
  });

  it("node:crypto and Web Crypto produce identical signatures", async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 1, maxLength: 64 }), fc.oneof(fc.string(), fc.uint8Array()), fc.constantFrom("sha256" as const, "sha512" as const), async (key, body, algorithm) => {
        const secret = Buffer.from(key).toString("base64");
        const a = await make(nodeEngine, secret, { algorithm }).sign("m", 1, body);
        const b = await make(webEngine, secret, { algorithm }).sign("m", 1, body);
        expect(a).toBe(b);
      }),
      { numRuns: 100 },
    );
  });
});
