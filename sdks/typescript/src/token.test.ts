import { describe, expect, it } from "vitest";
import { AuthenticationError } from "./errors.js";
import { TokenManager } from "./token.js";

function provider(tokens: string[], opts: { expiresInMs?: number; delayMs?: number; now?: () => number } = {}) {
  let i = 0;
  const fn = async () => {
    const token = tokens[Math.min(i++, tokens.length - 1)]!;
    if (opts.delayMs) await new Promise((r) => setTimeout(r, opts.delayMs));
    return { token, expiresAt: (opts.now ?? Date.now)() + (opts.expiresInMs ?? 3_600_000) };
  };
  return fn;
}

describe("TokenManager", () => {
  it("returns a static token and never refreshes it", async () => {
    const m = new TokenManager("static");
    expect(await m.get()).toBe("static");
    await m.invalidate("static");
    expect(await m.get()).toBe("static");
    expect(m.providerCalls).toBe(0);
  });

  it("shares one provider call among concurrent callers", async () => {
    const m = new TokenManager(provider(["t1", "t2"], { delayMs: 20 }));
    const tokens = await Promise.all(Array.from({ length: 8 }, () => m.get()));
    expect(tokens).toEqual(Array(8).fill("t1"));
    expect(m.providerCalls).toBe(1);
  });

  it("refreshes shortly before expiry", async () => {
    let now = 1_000_000;
    const clock = () => now;
    const m = new TokenManager(provider(["t1", "t2"], { expiresInMs: 60_000, now: clock }), 30_000, clock);
    expect(await m.get()).toBe("t1");
    now += 29_000;
    expect(await m.get()).toBe("t1");
    now += 2_000; // 29 s left: inside the 30 s margin
    expect(await m.get()).toBe("t2");
    expect(m.providerCalls).toBe(2);
  });

  it("after a 401 refreshes once, and only while the rejected token is still cached", async () => {
    const m = new TokenManager(provider(["t1", "t2", "t3"], { delayMs: 10 }));
    expect(await m.get()).toBe("t1");
    await Promise.all(Array.from({ length: 8 }, () => m.invalidate("t1")));
    expect(await m.get()).toBe("t2");
    expect(m.providerCalls).toBe(2);
    await m.invalidate("t1"); // stale rejection: t2 is cached now
    expect(m.providerCalls).toBe(2);
  });

  it("surfaces a provider failure and lets the next call try again", async () => {
    let fail = true;
    const m = new TokenManager(async () => {
      if (fail) throw new Error("idp down");
      return { token: "ok" };
    });
    const err = await m.get().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AuthenticationError);
    expect((err as Error).message).toContain("idp down");
    expect(((err as Error).cause as Error).message).toBe("idp down");
    fail = false;
    expect(await m.get()).toBe("ok");
  });
});
