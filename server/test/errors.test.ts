/**
 * Unexpected failures answer INTERNAL_SERVER_ERROR (500) without internals,
 * and the log has the cause under the response's request id. Both engines.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codes, startTestServer, type TestServer } from './harness.js';
import { op } from './operations.js';

describe.each(['pglite', 'postgres'] as const)('internal errors (%s)', (engine) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer(engine);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('masks a database failure and logs it with the request id', async () => {
    // Break the statistics function the way a bad deploy would.
    await t.db.query('alter function public.get_webhook_statistics(uuid, integer) rename to get_webhook_statistics_gone');
    try {
      const r = await t.gql(t.userA.token, op('GetWebhookStatistics'), { webhookId: randomUUID() });
      expect(r.status).toBe(500);
      expect(codes(r)).toEqual(['INTERNAL_SERVER_ERROR']);
      expect(r.text).not.toMatch(/get_webhook_statistics|function|42883|does not exist/);
      const requestId = r.headers.get('x-request-id')!;
      const logged = t.logs.map((l) => JSON.parse(l)).filter((l) => l.requestId === requestId);
      expect(logged.some((l) => l.level === 'error' && l.msg === 'database error' && /get_webhook_statistics/.test(l.err.message))).toBe(true);
      expect(logged.some((l) => l.msg === 'request' && l.status === 500)).toBe(true);
    } finally {
      await t.db.query('alter function public.get_webhook_statistics_gone(uuid, integer) rename to get_webhook_statistics');
    }
    const after = await t.gql(t.userA.token, op('GetWebhookStatistics'), { webhookId: randomUUID() });
    expect(codes(after)).toEqual(['NOT_FOUND']);
  });

  it('does not keep an idempotency key for a request that failed on the server, so a retry runs', async () => {
    const key = randomUUID();
    const input = { name: 'retry-me', url: 'https://example.com/r' };
    await t.db.query('alter function public.create_webhook rename to create_webhook_gone');
    let failed;
    try {
      failed = await t.gql(t.userA.token, op('CreateWebhook'), { input }, { 'idempotency-key': key });
    } finally {
      await t.db.query('alter function public.create_webhook_gone rename to create_webhook');
    }
    expect(failed.status).toBe(500);
    const retried = await t.gql(t.userA.token, op('CreateWebhook'), { input }, { 'idempotency-key': key });
    expect(retried.status).toBe(200);
    expect(retried.headers.get('idempotent-replayed')).toBeNull();
    expect(retried.body.data!.createWebhook.webhook.name).toBe('retry-me');
  });
});
