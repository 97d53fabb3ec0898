import Fastify from "fastify";
import { describe, expect, it } from "vitest";
import { hooklineWebhook } from "./fastify.js";
import { signedRequest } from "./test-helpers.js";

describe("fastify hooklineWebhook plugin", () => {
  it("verifies on its own route with a raw-body parser, leaving JSON parsing elsewhere intact", async () => {
    const { secret, body, headers } = await signedRequest();
    const app = Fastify();
    let got: unknown;
    await app.register(hooklineWebhook, {
      secret,
      path: "/hook",
      handler: async (payload, _req, reply) => {
        got = payload;
        return reply.code(204).send();
      },
    });
    app.post("/other", async (req) => ({ echoed: req.body }));
    await app.ready();

    expect((await app.inject({ method: "POST", url: "/hook", payload: body, headers })).statusCode).toBe(204);
    expect(got).toEqual(JSON.parse(body));

    const bad = await app.inject({ method: "POST", url: "/hook", payload: body, headers: { ...headers, "webhook-signature": "v1,AAAA" } });
    expect(bad.statusCode).toBe(401);
    expect(bad.json()).toEqual({ error: "webhook_verification_failed", reason: "no_matching_signature" });

    const other = await app.inject({ method: "POST", url: "/other", payload: { a: 1 } });
    expect(other.json()).toEqual({ echoed: { a: 1 } });
    await app.close();
  });
});
