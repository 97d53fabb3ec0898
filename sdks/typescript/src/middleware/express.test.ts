import type { AddressInfo } from "node:net";
import express from "express";
import { afterEach, describe, expect, it } from "vitest";
import { webhookMiddleware } from "./express.js";
import { signedRequest } from "./test-helpers.js";

const servers: Array<{ close(): void }> = [];
afterEach(() => {
  for (const s of servers.splice(0)) s.close();
});

async function listen(app: express.Express): Promise<string> {
  const server = app.listen(0, "127.0.0.1");
  servers.push(server);
  await new Promise((r) => server.once("listening", r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe("express webhookMiddleware", () => {
  it("reads the raw body itself, verifies, and hands the parsed payload on", async () => {
    const { secret, body, headers } = await signedRequest();
    const app = express();
    let got: unknown;
    app.post("/hook", webhookMiddleware({ secret }), (req, res) => {
      got = req.body;
      res.sendStatus(204);
    });
    const base = await listen(app);
    expect((await fetch(`${base}/hook`, { method: "POST", body, headers })).status).toBe(204);
    expect(got).toEqual(JSON.parse(body));
  });

  it("answers 401 with the reason for a tampered body or missing headers", async () => {
    const { secret, body, headers } = await signedRequest();
    const app = express();
    app.post("/hook", webhookMiddleware({ secret }), (_req, res) => res.sendStatus(204));
    const base = await listen(app);
    const tampered = await fetch(`${base}/hook`, { method: "POST", body: body.replace("5", "6"), headers });
    expect(tampered.status).toBe(401);
    expect(await tampered.json()).toEqual({ error: "webhook_verification_failed", reason: "no_matching_signature" });
    const bare = await fetch(`${base}/hook`, { method: "POST", body });
    expect(bare.status).toBe(401);
    expect((await bare.json()).reason).toBe("missing_header");
  });

  it("uses the Buffer from express.raw() when that ran first", async () => {
    const { secret, body, headers } = await signedRequest();
    const app = express();
    app.post("/hook", express.raw({ type: "*/*" }), webhookMiddleware({ secret }), (_req, res) => res.sendStatus(204));
    expect((await fetch(`${await listen(app)}/hook`, { method: "POST", body, headers })).status).toBe(204);
  });

  it("uses req.rawBody kept by express.json({ verify })", async () => {
    const { secret, body, headers } = await signedRequest();
    const app = express();
    app.use(express.json({ verify: (req, _res, buf) => void ((req as { rawBody?: Buffer }).rawBody = buf) }));
    let got: unknown;
    app.post("/hook", webhookMiddleware({ secret }), (req, res) => {
      got = req.body;
      res.sendStatus(204);
    });
    expect((await fetch(`${await listen(app)}/hook`, { method: "POST", body, headers })).status).toBe(204);
    expect(got).toEqual(JSON.parse(body));
  });

  it("fails loudly (500 via next) when express.json() already consumed the body", async () => {
    const { secret, body, headers } = await signedRequest();
    const app = express();
    let seen: unknown;
    app.use(express.json());
    app.post("/hook", webhookMiddleware({ secret }), (_req, res) => res.sendStatus(204));
    app.use((err: Error, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
      seen = err;
      res.status(500).end();
    });
    expect((await fetch(`${await listen(app)}/hook`, { method: "POST", body, headers })).status).toBe(500);
    expect(String((seen as Error).message)).toMatch(/before express\.json\(\)/);
  });
});
