import { describe, expect, it } from "vitest";
import { WebhookVerificationError } from "../verify/errors.js";
import { Webhook } from "../verify/index.js";
import { verifyRequest, withWebhook } from "./fetch.js";
import { signedRequest } from "./test-helpers.js";

describe("fetch handler", () => {
  it("runs the handler only for verified requests and answers 401 otherwise", async () => {
    const { secret, body, headers } = await signedRequest();
    const handler = withWebhook<{ type: string }>({ secret }, (event) => Response.json({ type: event.type }));
    const ok = await handler(new Request("http://x/hook", { method: "POST", body, headers }));
    expect(await ok.json()).toEqual({ type: "credit.added" });

    const bad = await handler(new Request("http://x/hook", { method: "POST", body: body + " ", headers }));
    expect(bad.status).toBe(401);
    expect(await bad.json()).toEqual({ error: "webhook_verification_failed", reason: "no_matching_signature" });
  });

  it("verifyRequest reads the body and throws WebhookVerificationError", async () => {
    const { secret, body, headers } = await signedRequest();
    const wh = new Webhook(secret);
    expect(await verifyRequest(wh, new Request("http://x", { method: "POST", body, headers }))).toEqual(JSON.parse(body));
    await expect(verifyRequest(wh, new Request("http://x", { method: "POST", body }))).rejects.toBeInstanceOf(WebhookVerificationError);
  });
});
