/**
 * verifyWebhookEndpoint with the real dispatcher: the challenge is committed,
 * sent at once, and the answer decides `verified`. Both engines.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDispatcher } from '../src/dispatcher/index.js';
import { silentLogger } from '../src/logger.js';
import { startTestServer, type TestServer } from './harness.js';
import { op } from './operations.js';

describe.each(['pglite', 'postgres'] as const)('verifyWebhookEndpoint (%s)', (engine) => {
  let t: TestServer;
  let receiver: Server;
  let receiverUrl: string;
  const seen: Array<{ path: string; headers: Record<string, unknown>; body: string }> = [];

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        seen.push({ path: req.url ?? '', headers: req.headers, body });
        if (req.url === '/echo') {
          const challenge = JSON.parse(body).data.challenge;
          res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ challenge }));
        } else res.writeHead(200).end('ok');
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
    const holder: { deliverNow?: (id: string) => Promise<void> } = {};
    t = await startTestServer(engine, { deliverNow: (id) => holder.deliverNow!(id) });
    const dispatcher = createDispatcher({ db: t.db, logger: silentLogger, allowPrivateNetworks: ['127.0.0.0/8'] });
    holder.deliverNow = (id) => dispatcher.deliverNow(id);
  });
  afterAll(async () => {
    await t?.close();
    await new Promise((resolve) => receiver?.close(resolve));
  });

  const createAt = async (path: string) => {
    const r = await t.gql(t.userA.token, op('CreateWebhook'), { input: { name: path, url: receiverUrl + path } });
    return r.body.data!.createWebhook.webhook.id as string;
  };

  it('marks the webhook verified when the receiver echoes the signed challenge', async () => {
    const id = await createAt('/echo');
    const r = await t.gql(t.userA.token, op('VerifyWebhookEndpoint'), { id });
    expect(r.body.errors).toBeUndefined();
    const out = r.body.data!.verifyWebhookEndpoint;
    expect(out.verified).toBe(true);
    expect(out.webhook.isVerified).toBe(true);
    expect(out.delivery).toMatchObject({ eventType: 'webhook.verification', status: 'SUCCESS', attemptNumber: 1, responseStatus: 200 });
    const request = seen.find((s) => s.path === '/echo')!;
    expect(request.headers['webhook-id']).toBe(out.delivery.id);
    expect(String(request.headers['webhook-signature'])).toMatch(/^v1,/);
  });

  it('does not verify a receiver that answers 2xx without the challenge', async () => {
    const id = await createAt('/plain');
    const r = await t.gql(t.userA.token, op('VerifyWebhookEndpoint'), { id });
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data!.verifyWebhookEndpoint.verified).toBe(false);
    expect(r.body.data!.verifyWebhookEndpoint.webhook.isVerified).toBe(false);
    expect(seen.some((s) => s.path === '/plain')).toBe(true);
  });
});
