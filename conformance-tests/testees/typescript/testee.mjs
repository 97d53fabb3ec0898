// Conformance testee for @hookline/sdk (see conformance-tests/PROTOCOL.md).
// Speaks newline-delimited JSON on stdin/stdout and drives the BUILT package
// through its public entry points only; logs go to stderr.
import { createServer } from "node:http";
import { Readable } from "node:stream";
import { createInterface } from "node:readline";
import { Hookline, isHooklineError } from "@hookline/sdk";
import { Webhook, isWebhookVerificationError } from "@hookline/sdk/verify";
import { withWebhook } from "@hookline/sdk/fetch";

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function answer(obj) {
  process.stdout.write(`${JSON.stringify(obj)}\n`);
}

function bodyOf(req) {
  return req.bodyBase64 !== undefined ? new Uint8Array(Buffer.from(req.bodyBase64, "base64")) : req.body;
}

function errorObject(e) {
  if (isHooklineError(e)) {
    return {
      class: e.name,
      code: e.code,
      status: e.status,
      requestId: e.requestId,
      retryAfterMs: isHooklineError(e, "RateLimitError") ? e.retryAfterMs : null,
      graphqlErrors: e.graphqlErrors,
      partialData: e.partialData,
      reason: null,
      message: e.message,
    };
  }
  if (isWebhookVerificationError(e)) {
    return { class: "WebhookVerificationError", code: null, status: null, requestId: null, retryAfterMs: null, graphqlErrors: [], partialData: null, reason: e.reason, message: e.message };
  }
  return { class: "TesteeError", message: String(e?.stack ?? e) };
}

async function sign(req) {
  const wh = new Webhook(req.secret, { algorithm: req.algorithm });
  return { signature: await wh.sign(req.msgId, req.timestamp, bodyOf(req)) };
}

async function verify(req) {
  const wh = new Webhook(req.secrets, { toleranceSeconds: req.toleranceSeconds ?? 300, now: () => req.now * 1000 });
  // Headers arrive as a plain record in any letter case, as Node frameworks hand them over.
  await wh.verifySignature(bodyOf(req), req.headers);
  return { verified: true };
}

/** PROTOCOL.md's operation table: operation name -> resource method call. */
const operations = {
  ListWebhooks: (h, v, o) => h.webhooks.list(v, o),
  GetWebhook: (h, v, o) => h.webhooks.get(v.id, o),
  GetWebhookSecret: (h, v, o) => h.webhooks.getSecret(v.id, o),
  CreateWebhook: (h, v, o) => h.webhooks.create(v.input, o),
  UpdateWebhook: (h, v, o) => h.webhooks.update(v.id, v.input, o),
  DeleteWebhook: (h, v, o) => h.webhooks.delete(v.id, o),
  RotateWebhookSecret: (h, v, o) => h.webhooks.rotateSecret(v.id, { gracePeriodSeconds: v.gracePeriodSeconds }, o),
  VerifyWebhookEndpoint: (h, v, o) => h.webhooks.verifyEndpoint(v.id, o),
  GetWebhookStatistics: (h, v, o) => h.webhooks.statistics(v.webhookId, { days: v.days }, o),
  SubscribeWebhookEvents: (h, v, o) => h.webhooks.subscribe(v.webhookId, v.eventTypes, { filters: v.filters }, o),
  UnsubscribeWebhookEvents: (h, v, o) => h.webhooks.unsubscribe(v.webhookId, v.eventTypes, o),
  ListEventTypes: (h, _v, o) => h.events.listTypes(o),
  TriggerWebhookEvent: (h, v, o) => h.events.trigger(v, o),
  SendTestEvent: (h, v, o) => h.events.sendTest(v.webhookId, o),
  ListDeliveries: (h, v, o) => h.deliveries.list(v, o),
  GetDelivery: (h, v, o) => h.deliveries.get(v.id, o),
  RetryFailedDelivery: (h, v, o) => h.deliveries.retry(v.deliveryId, o),
  ListPendingWebhookRetries: (h, v, o) => h.deliveries.pendingRetries(v, o),
};

function buildClient(c) {
  const options = {
    baseUrl: c.baseUrl,
    maxRetries: c.maxRetries,
    initialRetryDelayMs: c.initialRetryDelayMs,
    maxRetryDelayMs: c.maxRetryDelayMs,
    maxRetryAfterMs: c.maxRetryAfterMs,
    timeoutMs: c.timeoutMs,
    deadlineMs: c.deadlineMs,
    idempotentMutations: c.idempotentMutations,
  };
  for (const k of Object.keys(options)) if (options[k] === undefined) delete options[k];
  if (c.tokenProvider) {
    const p = c.tokenProvider;
    let i = 0;
    options.tokenProvider = async () => {
      const token = p.tokens[Math.min(i++, p.tokens.length - 1)];
      if (p.delayMs) await sleep(p.delayMs);
      return { token, expiresAt: Date.now() + (p.expiresInSeconds ?? 3600) * 1000 };
    };
  } else {
    options.token = c.token;
  }
  return new Hookline(options);
}

async function call(req) {
  const run = operations[req.operation];
  if (!run) throw Object.assign(new Error(`unknown operation ${req.operation}`), { testee: true });
  const client = buildClient(req.client ?? {});
  const opts = req.idempotencyKey ? { idempotencyKey: req.idempotencyKey } : {};
  const one = () =>
    run(client, req.variables ?? {}, opts).then(
      (data) => ({ ok: true, data }),
      (error) => {
        if (!isHooklineError(error)) throw error;
        return { ok: false, error: errorObject(error) };
      },
    );
  const n = req.concurrency ?? 1;
  if (n > 1) {
    const results = await Promise.all(Array.from({ length: n }, one));
    return { ok: true, result: { results, providerCalls: client.tokenProviderCalls } };
  }
  const r = await one();
  if (r.ok) return { ok: true, result: { data: r.data, providerCalls: client.tokenProviderCalls } };
  return { ok: false, error: { ...r.error, providerCalls: client.tokenProviderCalls } };
}

// ---- receiver: node:http -> fetch Request -> the SDK's fetch handler -------------
const receiver = { server: null, url: null, handler: null, events: [], rejected: 0, status: null, statusTimes: 0, waiters: [] };

function setReceiverSecrets(secrets) {
  receiver.handler = withWebhook({ secret: secrets }, async (event, request) => {
    // A delivery answered with a forced status counts as not received.
    if (receiver.statusTimes > 0) {
      receiver.statusTimes -= 1;
      return new Response(null, { status: receiver.status });
    }
    receiver.events.push({ webhookId: request.headers.get("webhook-id"), type: event?.type, data: event?.data });
    for (const w of receiver.waiters.splice(0)) w();
    if (event?.type === "webhook.verification") return Response.json({ challenge: event?.data?.challenge });
    return new Response(null, { status: 204 });
  });
}

async function startReceiver(req) {
  // Each case starts its own receiver: fresh secrets, events, counters and forced status.
  setReceiverSecrets(req.secrets);
  receiver.events = [];
  receiver.rejected = 0;
  receiver.statusTimes = 0;
  // A new port per case, so a previous case's late retries cannot land here.
  receiver.server?.close();
  receiver.server = createServer(async (nodeReq, nodeRes) => {
    try {
      const request = new Request(`http://127.0.0.1${nodeReq.url}`, {
        method: nodeReq.method,
        headers: Object.entries(nodeReq.headers).flatMap(([k, v]) => (Array.isArray(v) ? v.map((x) => [k, x]) : [[k, v]])),
        body: nodeReq.method === "GET" || nodeReq.method === "HEAD" ? undefined : Readable.toWeb(nodeReq),
        duplex: "half",
      });
      const response = await receiver.handler(request);
      if (response.status === 401) receiver.rejected += 1;
      nodeRes.writeHead(response.status, Object.fromEntries(response.headers));
      nodeRes.end(Buffer.from(await response.arrayBuffer()));
    } catch (e) {
      console.error("receiver error", e);
      nodeRes.writeHead(500).end();
    }
  });
  await new Promise((resolve) => receiver.server.listen(0, "127.0.0.1", resolve));
  receiver.url = `http://127.0.0.1:${receiver.server.address().port}/hook`;
  return { url: receiver.url };
}

async function receivedEvents(req) {
  const deadline = Date.now() + (req.timeoutMs ?? 5000);
  while (receiver.events.length < (req.waitFor ?? 0) && Date.now() < deadline) {
    await new Promise((resolve) => {
      receiver.waiters.push(resolve);
      setTimeout(resolve, Math.max(1, deadline - Date.now()));
    });
  }
  return { events: receiver.events, rejected: receiver.rejected };
}

async function handle(req) {
  const id = req.id;
  try {
    switch (req.op) {
      case "ping":
        return answer({ id, ok: true, result: {} });
      case "sign":
        return answer({ id, ok: true, result: await sign(req) });
      case "verify":
        return answer({ id, ok: true, result: await verify(req) });
      case "call": {
        const r = await call(req);
        return answer({ id, ...r });
      }
      case "startReceiver":
        return answer({ id, ok: true, result: await startReceiver(req) });
      case "setReceiverSecrets":
        setReceiverSecrets(req.secrets);
        return answer({ id, ok: true, result: {} });
      case "setReceiverStatus":
        receiver.status = req.status;
        receiver.statusTimes = req.times ?? 1;
        return answer({ id, ok: true, result: {} });
      case "receivedEvents":
        return answer({ id, ok: true, result: await receivedEvents(req) });
      case "shutdown":
        answer({ id, ok: true, result: {} });
        return shutdown();
      default:
        return answer({ id, ok: false, error: { class: "TesteeError", message: `unsupported op ${req.op}` } });
    }
  } catch (e) {
    answer({ id, ok: false, error: errorObject(e) });
  }
}

function shutdown() {
  if (receiver.server) receiver.server.close();
  process.stdout.write("", () => process.exit(0));
}

createInterface({ input: process.stdin })
  .on("line", (line) => {
    if (!line.trim()) return;
    let req;
    try {
      req = JSON.parse(line);
    } catch {
      return answer({ id: null, ok: false, error: { class: "TesteeError", message: "request is not JSON" } });
    }
    void handle(req);
  })
  .on("close", shutdown);
