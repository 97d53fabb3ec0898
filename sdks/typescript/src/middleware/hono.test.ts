import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { hooklineWebhook, type HooklineWebhookEnv } from "./hono.js";
import { signedRequest } from "./test-helpers.js";

describe("hono hooklineWebhook middleware", () => {
  it("verifies the raw body, exposes the payload as c.get('webhook'), answers 401 otherwise", async () => {
    const { secret, body, headers } = await signedRequest();
    const app = new Hono<HooklineWebhookEnv>();
    app.post("/hook", hooklineWebhook({ secret }), (c) => c.json({ got: c.get("webhook") }));

    const ok = await app.request("/hook", { method: "POST", body, headers });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ got: JSON.parse(body) });

    const stale = await app.request("/hook", { method: "POST", body, headers: { ...headers, "webhook-timestamp": "1000" } });
    expect(stale.status).toBe(401);
    expect((await stale.json()).reason).toBe("timestamp_too_old");
  });
});
