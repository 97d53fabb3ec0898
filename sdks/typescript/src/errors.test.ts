import { describe, expect, it, vi } from "vitest";
import errorCatalog from "../../../schema/errors.json";
import {
  classify,
  HooklineError,
  isHooklineError,
  isRetryable,
  NetworkError,
  RateLimitError,
  ServerError,
  TimeoutError,
  ValidationError,
} from "./errors.js";

describe("classify", () => {
  it.each(Object.entries(errorCatalog.codes))("maps code %s to its class from errors.json", (code, entry) => {
    expect(classify(code, 200).className).toBe(entry.class);
    // The code wins over a contradicting status.
    expect(classify(code, 503).className).toBe(entry.class);
    expect(isRetryable(code, 400)).toBe(entry.retryable);
  });

  it("falls back to the HTTP status when the code is missing or unknown", () => {
    expect(classify(null, 401).className).toBe("AuthenticationError");
    expect(classify("SOMETHING_NEW", 404).className).toBe("NotFoundError");
    expect(classify(null, 408).className).toBe("NetworkError");
    expect(classify(null, 418).className).toBe("ValidationError");
    expect(classify(null, 502).className).toBe("ServerError");
    expect(classify(null, 429).className).toBe("RateLimitError");
  });

  it("retries only the statuses errors.json lists when there is no code", () => {
    for (const s of [408, 429, 502, 503, 504]) expect(isRetryable(null, s)).toBe(true);
    for (const s of [400, 401, 403, 404, 409, 500]) expect(isRetryable(null, s)).toBe(false);
  });
});

describe("error classes", () => {
  it("keep code, status, request id, GraphQL errors, partial data and cause", () => {
    const cause = new Error("boom");
    const e = new ValidationError("bad url", {
      code: "BAD_USER_INPUT",
      status: 400,
      requestId: "req_1",
      graphqlErrors: [{ message: "bad url", extensions: { code: "BAD_USER_INPUT", field: "url" } }],
      partialData: { a: 1 },
      cause,
    });
    expect(e).toBeInstanceOf(HooklineError);
    expect(e).toBeInstanceOf(ValidationError);
    expect(e).not.toBeInstanceOf(ServerError);
    expect(e.name).toBe("ValidationError");
    expect([e.code, e.status, e.requestId, e.partialData, e.cause]).toEqual(["BAD_USER_INPUT", 400, "req_1", { a: 1 }, cause]);
    expect(e.graphqlErrors[0]?.extensions?.field).toBe("url");
  });

  it("TimeoutError refines NetworkError", () => {
    const e = new TimeoutError("slow");
    expect(e).toBeInstanceOf(NetworkError);
    expect(isHooklineError(e, "NetworkError")).toBe(true);
    expect(isHooklineError(e, "TimeoutError")).toBe(true);
    expect(isHooklineError(new NetworkError("x"), "TimeoutError")).toBe(false);
  });

  it("RateLimitError exposes retryAfter in seconds and milliseconds", () => {
    const e = new RateLimitError("slow down", { retryAfterMs: 2500 });
    expect(e.retryAfterMs).toBe(2500);
    expect(e.retryAfter).toBe(2.5);
  });

  it("isHooklineError and instanceof recognise errors from another copy of the module", async () => {
    vi.resetModules();
    // A query string makes the module loader evaluate a second copy, as two installed versions would.
    // @ts-expect-error -- TypeScript does not resolve the query string
    const other = (await import("./errors.js?copy")) as typeof import("./errors.js");
    expect(other.RateLimitError).not.toBe(RateLimitError);
    const foreign = new other.RateLimitError("from another copy", { retryAfterMs: 1 });
    expect(foreign instanceof RateLimitError).toBe(true);
    expect(foreign instanceof HooklineError).toBe(true);
    expect(foreign instanceof ServerError).toBe(false);
    expect(isHooklineError(foreign)).toBe(true);
    expect(isHooklineError(new Error("plain"))).toBe(false);
    expect(isHooklineError({ name: "RateLimitError" })).toBe(false);
  });
});
