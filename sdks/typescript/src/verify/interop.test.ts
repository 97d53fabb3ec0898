import { Webhook as StandardWebhook } from "standardwebhooks";
import { Webhook as SvixWebhook } from "svix";
import { describe, expect, it } from "vitest";
import { Webhook } from "./index.js";

// Interoperability with the official Standard Webhooks library and svix, both ways.
const secret = "whsec_" + Buffer.from("0123456789abcdef0123456789abcdef").toString("base64");
const body = JSON.stringify({ type: "video.generated", timestamp: "2026-12-04T19:00:00Z", data: { videoId: "vid_1", é: "ü" } });
const now = new Date();

function headers(id: string, signature: string) {
  return { "webhook-id": id, "webhook-timestamp": String(Math.floor(now.getTime() / 1000)), "webhook-signature": signature };
}

describe("interop", () => {
  it("verifies signatures made by standardwebhooks", async () => {
    const signature = new StandardWebhook(secret).sign("msg_std", now, body);
    expect(await new Webhook(secret).verify(body, headers("msg_std", signature))).toEqual(JSON.parse(body));
  });

  it("verifies signatures made by svix (with svix-* header names mapped)", async () => {
    const signature = new SvixWebhook(secret).sign("msg_svix", now, body);
    expect(await new Webhook(secret).verify(body, headers("msg_svix", signature))).toEqual(JSON.parse(body));
  });

  it("makes signatures standardwebhooks and svix accept", async () => {
    const signature = await new Webhook(secret).sign("msg_ours", now, body);
    expect(new StandardWebhook(secret).verify(body, headers("msg_ours", signature))).toEqual(JSON.parse(body));
    const h = headers("msg_ours", signature);
    expect(new SvixWebhook(secret).verify(body, { "svix-id": h["webhook-id"], "svix-timestamp": h["webhook-timestamp"], "svix-signature": h["webhook-signature"] })).toEqual(JSON.parse(body));
  });

  it("is rejected by standardwebhooks when tampered, like ours", async () => {
    const signature = await new Webhook(secret).sign("msg_t", now, body);
    expect(() => new StandardWebhook(secret).verify(body + " ", headers("msg_t", signature))).toThrow();
    await expect(new Webhook(secret).verify(body + " ", headers("msg_t", signature))).rejects.toMatchObject({ reason: "no_matching_signature" });
  });
});
