/**
 * Rate limiting and Idempotency-Key, over HTTP, on both engines.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codes, startTestServer, type TestServer } from './harness.js';
import { op } from './operations.js';

describe.each(['pglite', 'postgres'] as const)('rate limit (%s)', (engine) => {
  let t: TestServer;
  beforeAll(async () => {
    // A slow refill so the test does not depend on timing: 3 at once, then 1 every 20 s.
    t = await startTestServer(engine, { rateLimit: { perSecond: 0.05, burst: 3 } });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('answers the request past the limit with 429, RATE_LIMITED and Retry-After, per caller', async () => {
    for (let i = 0; i < 3; i++) expect((await t.gql(t.userA.token, op('ListEventTypes'))).status).toBe(200);
    const limited = await t.gql(t.userA.token, op('ListEventTypes'));
    expect(limited.status).toBe(429);
    expect(codes(limited)).toEqual(['RATE_LIMITED']);
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(20);
    expect(limited.body.errors![0]!.extensions!.retryAfter).toBe(retryAfter);
    expect(limited.headers.get('x-request-id')).toMatch(/^req_/);
    // another caller has its own bucket
    expect((await t.gql(t.userB.token, op('ListEventTypes'))).status).toBe(200);
  });

  it('limits a mutation past the limit before it runs', async () => {
    const before = await t.count('webhooks');
    const r = await t.gql(t.userA.token, op('CreateWebhook'), { input: { name: 'x', url: 'https://example.com/x' } });
    expect(r.status).toBe(429);
    expect(await t.count('webhooks')).toBe(before);
  });
});

describe.each(['pglite', 'postgres'] as const)('Idempotency-Key (%s)', (engine) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer(engine);
  });
  afterAll(async () => {
    await t?.close();
  });

  const input = { name: 'idem', url: 'https://example.com/idem', eventTypes: ['credit.added'] };

  it('replays the stored response for the same key and body, creating nothing new', async () => {
    const key = randomUUID();
    const first = await t.gql(t.userA.token, op('CreateWebhook'), { input }, { 'idempotency-key': key });
    expect(first.status).toBe(200);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    const count = await t.count('webhooks');
    const second = await t.gql(t.userA.token, op('CreateWebhook'), { input }, { 'idempotency-key': key });
    expect(second.status).toBe(200);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(second.body).toEqual(first.body);
    expect(await t.count('webhooks')).toBe(count);
    expect(await t.count('webhook_event_subscriptions')).toBe(1);
  });

  it('answers CONFLICT (409) for the same key with another body, and runs nothing', async () => {
    const key = randomUUID();
    await t.gql(t.userA.token, op('CreateWebhook'), { input }, { 'idempotency-key': key });
    const count = await t.count('webhooks');
    const other = await t.gql(t.userA.token, op('CreateWebhook'), { input: { ...input, name: 'other' } }, { 'idempotency-key': key });
    expect(other.status).toBe(409);
    expect(codes(other)).toEqual(['CONFLICT']);
    expect(other.body.errors![0]!.message).toMatch(/different request/);
    expect(await t.count('webhooks')).toBe(count);
  });

  it('keeps keys per caller: another user\'s same key runs normally', async () => {
    const key = randomUUID();
    const a = await t.gql(t.userA.token, op('CreateWebhook'), { input }, { 'idempotency-key': key });
    const b = await t.gql(t.userB.token, op('CreateWebhook'), { input }, { 'idempotency-key': key });
    expect(b.headers.get('idempotent-replayed')).toBeNull();
    expect(b.body.data!.createWebhook.webhook.id).not.toBe(a.body.data!.createWebhook.webhook.id);
  });

  it('replays an error response too, with its status', async () => {
    const key = randomUUID();
    const bad = { ...input, maxRetries: 11 };
    const first = await t.gql(t.userA.token, op('CreateWebhook'), { input: bad }, { 'idempotency-key': key });
    expect(first.status).toBe(400);
    const again = await t.gql(t.userA.token, op('CreateWebhook'), { input: bad }, { 'idempotency-key': key });
    expect(again.status).toBe(400);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
  });

  it('works for the service role', async () => {
    const key = randomUUID();
    const vars = { eventType: 'credit.added', payload: { n: 1 } };
    const first = await t.gql(t.service.token, op('TriggerWebhookEvent'), vars, { 'idempotency-key': key });
    const deliveries = await t.count('webhook_deliveries');
    expect(first.body.data!.triggerWebhookEvent.deliveryCount).toBeGreaterThan(0);
    const second = await t.gql(t.service.token, op('TriggerWebhookEvent'), vars, { 'idempotency-key': key });
    expect(second.body).toEqual(first.body);
    expect(await t.count('webhook_deliveries')).toBe(deliveries);
  });

  it('answers concurrent duplicates with one execution and CONFLICT or the replay for the rest', async () => {
    const key = randomUUID();
    const before = await t.count('webhooks');
    const results = await Promise.all(
      Array.from({ length: 5 }, () => t.gql(t.userA.token, op('CreateWebhook'), { input: { ...input, name: 'concurrent' } }, { 'idempotency-key': key })),
    );
    expect(await t.count('webhooks')).toBe(before + 1);
    const ok = results.filter((r) => r.status === 200);
    expect(ok.length).toBeGreaterThanOrEqual(1);
    expect(new Set(ok.map((r) => r.body.data!.createWebhook.webhook.id)).size).toBe(1);
    for (const r of results.filter((r) => r.status !== 200)) expect(codes(r)).toEqual(['CONFLICT']);
  });

  it('forgets a key after it expires (24 h): the same key then runs a new request', async () => {
    const key = randomUUID();
    const first = await t.gql(t.userA.token, op('CreateWebhook'), { input }, { 'idempotency-key': key });
    const stored = await t.db.query<{ expires_at: Date; created_at: Date }>('select created_at, expires_at from public.idempotency_keys where key = $1', [key]);
    const ttlHours = (stored.rows[0]!.expires_at.getTime() - stored.rows[0]!.created_at.getTime()) / 3_600_000;
    expect(ttlHours).toBeCloseTo(24, 1);
    await t.db.query(`update public.idempotency_keys set expires_at = now() - interval '1 second' where key = $1`, [key]);
    const later = await t.gql(t.userA.token, op('CreateWebhook'), { input: { ...input, name: 'later' } }, { 'idempotency-key': key });
    expect(later.status).toBe(200);
    expect(later.headers.get('idempotent-replayed')).toBeNull();
    expect(later.body.data!.createWebhook.webhook.id).not.toBe(first.body.data!.createWebhook.webhook.id);
  });

  it('ignores the key on queries and refuses a malformed key', async () => {
    const keys = await t.count('idempotency_keys');
    const q = await t.gql(t.userA.token, op('ListEventTypes'), {}, { 'idempotency-key': 'k' });
    expect(q.status).toBe(200);
    expect(q.headers.get('idempotent-replayed')).toBeNull();
    expect(await t.count('idempotency_keys')).toBe(keys);
    const bad = await t.gql(t.userA.token, op('CreateWebhook'), { input }, { 'idempotency-key': 'x'.repeat(300) });
    expect(bad.status).toBe(400);
    expect(codes(bad)).toEqual(['BAD_USER_INPUT']);
  });
});
