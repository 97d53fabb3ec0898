import { afterEach, describe, expect, it, vi } from "vitest";
import { redactHeaders, redactSecrets, resolveLogger } from "./logger.js";

afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

describe("redaction", () => {
  it("removes webhook secrets, bearer tokens and JWTs from text", () => {
    const text = "secret whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw auth Bearer abc.def jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig";
    const out = redactSecrets(text);
    expect(out).not.toMatch(/MfKQ9r8|abc\.def|eyJhbGci/);
    expect(out).toContain("whsec_[REDACTED]");
  });

  it("replaces credential headers and keeps the rest", () => {
    expect(redactHeaders({ Authorization: "Bearer t", "content-type": "application/json", "idempotency-key": "k" })).toEqual({
      Authorization: "[REDACTED]",
      "content-type": "application/json",
      "idempotency-key": "k",
    });
  });
});

describe("resolveLogger", () => {
  it("is off unless HOOKLINE_LOG or a logger is given", () => {
    vi.stubEnv("HOOKLINE_LOG", "");
    expect(resolveLogger(undefined)).toBeUndefined();
    const mine = () => undefined;
    expect(resolveLogger(mine)).toBe(mine);
    vi.stubEnv("HOOKLINE_LOG", "debug");
    expect(resolveLogger(false)).toBeUndefined();
  });

  it("writes JSON lines at or above the HOOKLINE_LOG level to stderr", () => {
    vi.stubEnv("HOOKLINE_LOG", "info");
    const spy = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const log = resolveLogger(undefined)!;
    log({ level: "debug", msg: "request" });
    log({ level: "info", msg: "retry", delayMs: 10 });
    expect(spy).toHaveBeenCalledTimes(1);
    expect(JSON.parse(String(spy.mock.calls[0]?.[0]))).toMatchObject({ level: "info", msg: "retry", delayMs: 10 });
  });
});
