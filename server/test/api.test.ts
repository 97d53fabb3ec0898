/**
 * Every query and mutation of schema/operations, over HTTP, on both engines.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codes, startTestServer, type TestServer } from './harness.js';
import { op, operations } from './operations.js';

const EXPECTED_OPERATIONS = [
  'ListWebhooks', 'GetWebhook', 'GetWebhookSecret', 'CreateWebhook', 'UpdateWebhook', 'DeleteWebhook',
  'RotateWebhookSecret', 'VerifyWebhookEndpoint', 'GetWebhookStatistics', 'SubscribeWebhookEvents',
  'UnsubscribeWebhookEvents', 'ListEventTypes', 'TriggerWebhookEvent', 'SendTestEvent', 'ListDeliveries',
  'GetDelivery', 'RetryFailedDelivery', 'ListPendingWebhookRetries',
];

describe.each(['pglite', 'postgres'] as const)('API operations (%s)', (engine) => {
  let t: TestServer;
  let webhookId: string;
  let secret: string;

  beforeAll(async () => {
    t = await startTestServer(engine);
  });
  afterAll(async () => {
    await t?.close();
  });

  const createWebhook = async (input: Record<string, unknown>, token = t.userA.token) => {
    const r = await t.gql(token, op('CreateWebhook'), { input: { name: 'hook', url: 'https://example.com/hooks', ...input } });
    expect(r.body.errors, JSON.stringify(r.body.errors)).toBeUndefined();
    return r.body.data!.createWebhook;
  };

  it('covers every operation the SDKs generate from', () => {
    expect(Object.keys(operations).sort()).toEqual([...EXPECTED_OPERATIONS].sort());
  });

  it('CreateWebhook returns the webhook, its secret once and its subscriptions', async () => {
    const created = await createWebhook({
      name: 'Orders',
      description: 'order events',
      eventTypes: ['video.generated', 'credit.added'],
      filters: { plan: 'pro' },
      signatureAlgorithm: 'SHA512',
      maxRetries: 5,
      retryDelaySeconds: 30,
      timeoutSeconds: 10,
      metadata: { team: 'billing' },
    });
    webhookId = created.webhook.id;
    secret = created.secret;
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(created.webhook).toMatchObject({
      name: 'Orders',
      url: 'https://example.com/hooks',
      description: 'order events',
      signatureAlgorithm: 'SHA512',
      isActive: true,
      isVerified: false,
      retryEnabled: true,
      maxRetries: 5,
      retryDelaySeconds: 30,
      timeoutSeconds: 10,
      totalDeliveries: 0,
      metadata: { team: 'billing' },
      userId: t.userA.id,
    });
    expect(created.subscriptions.map((s: any) => s.eventType).sort()).toEqual(['credit.added', 'video.generated']);
    expect(created.subscriptions.every((s: any) => s.filters.plan === 'pro' && s.isActive)).toBe(true);
    expect(created.webhook.subscriptions).toHaveLength(2);
    expect(Date.parse(created.webhook.createdAt)).toBeGreaterThan(Date.now() - 60_000);
  });

  it('CreateWebhook applies the schema defaults', async () => {
    const created = await createWebhook({ name: 'defaults' });
    expect(created.webhook).toMatchObject({ signatureAlgorithm: 'SHA256', maxRetries: 3, retryDelaySeconds: 60, timeoutSeconds: 30, retryEnabled: true, metadata: {} });
    expect(created.subscriptions).toEqual([]);
  });

  it('GetWebhook and GetWebhookSecret return the webhook and, only when asked, its secret', async () => {
    const got = await t.gql(t.userA.token, op('GetWebhook'), { id: webhookId });
    expect(got.status).toBe(200);
    expect(got.body.data!.webhook.id).toBe(webhookId);
    expect(got.text).not.toContain(secret);
    const s = await t.gql(t.userA.token, op('GetWebhookSecret'), { id: webhookId });
    expect(s.body.data!.webhookSecret).toEqual({ webhookId, secret, previousSecretExpiresAt: null });
  });

  it('ListWebhooks pages newest first with cursors', async () => {
    const user = t.userB.token;
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await createWebhook({ name: `page-${i}` }, user)).webhook.id);
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const r: any = await t.gql(user, op('ListWebhooks'), { first: 2, after });
      expect(r.body.errors).toBeUndefined();
      const conn = r.body.data.webhooks;
      seen.push(...conn.edges.map((e: any) => e.node.id));
      pages++;
      if (!conn.pageInfo.hasNextPage) break;
      after = conn.pageInfo.endCursor;
    }
    expect(pages).toBe(3);
    expect(seen).toEqual([...ids].reverse());
    const all = await t.gql(user, op('ListWebhooks'), {});
    expect(all.body.data!.webhooks.edges).toHaveLength(5);
    expect(all.text).not.toContain('whsec_');
    const bad = await t.gql(user, op('ListWebhooks'), { after: 'not-a-cursor' });
    expect(codes(bad)).toEqual(['BAD_USER_INPUT']);
    expect(bad.body.errors![0]!.extensions!.field).toBe('after');
  });

  it('UpdateWebhook changes only the given fields', async () => {
    const r = await t.gql(t.userA.token, op('UpdateWebhook'), { id: webhookId, input: { name: 'Renamed', isActive: false, maxRetries: 0, description: null } });
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data!.updateWebhook).toMatchObject({ name: 'Renamed', isActive: false, maxRetries: 0, description: null, url: 'https://example.com/hooks', timeoutSeconds: 10 });
    const back = await t.gql(t.userA.token, op('UpdateWebhook'), { id: webhookId, input: { isActive: true } });
    expect(back.body.data!.updateWebhook).toMatchObject({ name: 'Renamed', isActive: true });
  });

  it('SubscribeWebhookEvents and UnsubscribeWebhookEvents manage subscriptions', async () => {
    const sub = await t.gql(t.userA.token, op('SubscribeWebhookEvents'), { webhookId, eventTypes: ['video.failed', 'credit.added'], filters: {} });
    expect(sub.body.errors).toBeUndefined();
    expect(sub.body.data!.subscribeWebhookEvents.map((s: any) => s.eventType).sort()).toEqual(['credit.added', 'video.failed']);
    expect(sub.body.data!.subscribeWebhookEvents.find((s: any) => s.eventType === 'credit.added').filters).toEqual({});
    const unsub = await t.gql(t.userA.token, op('UnsubscribeWebhookEvents'), { webhookId, eventTypes: ['video.failed', 'subscription.created'] });
    expect(unsub.body.data!.unsubscribeWebhookEvents).toEqual({ webhookId, removedCount: 1 });
    const got = await t.gql(t.userA.token, op('GetWebhook'), { id: webhookId });
    expect(got.body.data!.webhook.subscriptions.map((s: any) => s.eventType).sort()).toEqual(['credit.added', 'video.generated']);
  });

  it('ListEventTypes lists the seeded event types', async () => {
    const r = await t.gql(t.userA.token, op('ListEventTypes'));
    const types = r.body.data!.eventTypes.map((e: any) => e.eventType);
    for (const type of ['video.generated', 'video.failed', 'credit.added', 'credit.consumed', 'subscription.created', 'subscription.renewed', 'subscription.cancelled']) {
      expect(types).toContain(type);
    }
    expect(r.body.data!.eventTypes[0]).toHaveProperty('category');
    // internal types are not offered for subscription
    expect(types).not.toContain('webhook.test');
    expect(types).not.toContain('webhook.verification');
  });

  let deliveryId: string;
  it('TriggerWebhookEvent (service role) fans out to matching subscriptions and returns the deliveries', async () => {
    const r = await t.gql(t.service.token, op('TriggerWebhookEvent'), { eventType: 'video.generated', payload: { plan: 'pro', videoId: 'v1' }, userId: t.userA.id });
    expect(r.body.errors).toBeUndefined();
    const out = r.body.data!.triggerWebhookEvent;
    expect(out.deliveryCount).toBe(1);
    expect(out.deliveries).toHaveLength(1);
    deliveryId = out.deliveries[0].id;
    expect(out.deliveries[0]).toMatchObject({ webhookId, eventId: out.eventId, eventType: 'video.generated', status: 'PENDING', attemptNumber: 0, maxAttempts: 1 });
    expect(out.deliveries[0].requestPayload).toMatchObject({ type: 'video.generated', data: { plan: 'pro', videoId: 'v1' } });
    // the filter {plan: pro} does not match
    const none = await t.gql(t.service.token, op('TriggerWebhookEvent'), { eventType: 'video.generated', payload: { plan: 'free' } });
    expect(none.body.data!.triggerWebhookEvent.deliveryCount).toBe(0);
  });

  it('SendTestEvent queues a webhook.test delivery', async () => {
    const r = await t.gql(t.userA.token, op('SendTestEvent'), { webhookId });
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data!.sendTestEvent).toMatchObject({ webhookId, eventType: 'webhook.test', status: 'PENDING' });
  });

  it('ListDeliveries filters and pages; GetDelivery returns one with its attempts', async () => {
    const all = await t.gql(t.userA.token, op('ListDeliveries'), { webhookId });
    expect(all.body.data!.deliveries.edges.map((e: any) => e.node.eventType)).toEqual(['webhook.test', 'video.generated']);
    const filtered = await t.gql(t.userA.token, op('ListDeliveries'), { eventType: 'video.generated', status: 'PENDING' });
    expect(filtered.body.data!.deliveries.edges.map((e: any) => e.node.id)).toEqual([deliveryId]);
    const none = await t.gql(t.userA.token, op('ListDeliveries'), { status: 'SUCCESS' });
    expect(none.body.data!.deliveries.edges).toEqual([]);
    expect(none.body.data!.deliveries.pageInfo).toEqual({ hasNextPage: false, endCursor: null });
    const page1 = await t.gql(t.userA.token, op('ListDeliveries'), { first: 1 });
    expect(page1.body.data!.deliveries.pageInfo.hasNextPage).toBe(true);
    const page2 = await t.gql(t.userA.token, op('ListDeliveries'), { first: 1, after: page1.body.data!.deliveries.pageInfo.endCursor });
    expect(page2.body.data!.deliveries.edges[0].node.id).toBe(deliveryId);
    const one = await t.gql(t.userA.token, op('GetDelivery'), { id: deliveryId });
    expect(one.body.data!.delivery).toMatchObject({ id: deliveryId, attempts: [] });
  });

  it('ListPendingWebhookRetries (service role) returns due deliveries', async () => {
    const r = await t.gql(t.service.token, op('ListPendingWebhookRetries'), { limit: 100 });
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data!.pendingWebhookRetries.map((d: any) => d.id)).toContain(deliveryId);
  });

  it('RetryFailedDelivery re-queues a failed delivery and refuses others', async () => {
    const notFailed = await t.gql(t.userA.token, op('RetryFailedDelivery'), { deliveryId });
    expect(codes(notFailed)).toEqual(['CONFLICT']);
    expect(notFailed.status).toBe(409);
    // What the dispatcher does after the last attempt.
    await t.db.query(`update public.webhook_deliveries set status = 'failed', attempt_number = 1, next_retry_at = null, error_message = 'HTTP 500' where id = $1`, [deliveryId]);
    const r = await t.gql(t.userA.token, op('RetryFailedDelivery'), { deliveryId });
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data!.retryFailedDelivery).toMatchObject({ id: deliveryId, status: 'PENDING' });
    expect(r.body.data!.retryFailedDelivery.maxAttempts).toBeGreaterThan(1);
  });

  it('GetWebhookStatistics summarises the deliveries', async () => {
    await t.db.query(`update public.webhook_deliveries set status = 'success', response_time_ms = 40, response_status = 200 where id = $1`, [deliveryId]);
    const r = await t.gql(t.userA.token, op('GetWebhookStatistics'), { webhookId, days: 7 });
    expect(r.body.errors).toBeUndefined();
    const s = r.body.data!.webhookStatistics;
    expect(s).toMatchObject({ webhookId, periodDays: 7, totalDeliveries: 2, successfulDeliveries: 1, failedDeliveries: 0, pendingDeliveries: 1, successRate: 1 });
    expect(s.byEventType.map((e: any) => e.eventType).sort()).toEqual(['video.generated', 'webhook.test']);
    expect(s.byDay.reduce((n: number, d: any) => n + d.total, 0)).toBe(2);
    const bad = await t.gql(t.userA.token, op('GetWebhookStatistics'), { webhookId, days: 366 });
    expect(codes(bad)).toEqual(['BAD_USER_INPUT']);
  });

  it('RotateWebhookSecret returns a new secret and keeps the old one for the grace period', async () => {
    const r = await t.gql(t.userA.token, op('RotateWebhookSecret'), { id: webhookId, gracePeriodSeconds: 3600 });
    expect(r.body.errors).toBeUndefined();
    const out = r.body.data!.rotateWebhookSecret;
    expect(out.secret).toMatch(/^whsec_/);
    expect(out.secret).not.toBe(secret);
    expect(Date.parse(out.previousSecretExpiresAt)).toBeGreaterThan(Date.now() + 3500_000);
    expect(out.webhook.id).toBe(webhookId);
    const s = await t.gql(t.userA.token, op('GetWebhookSecret'), { id: webhookId });
    expect(s.body.data!.webhookSecret.secret).toBe(out.secret);
    secret = out.secret;
  });

  it('VerifyWebhookEndpoint queues a signed challenge and reports the outcome', async () => {
    const r = await t.gql(t.userA.token, op('VerifyWebhookEndpoint'), { id: webhookId });
    expect(r.body.errors).toBeUndefined();
    const out = r.body.data!.verifyWebhookEndpoint;
    expect(out.webhook.id).toBe(webhookId);
    expect(out.delivery).toMatchObject({ webhookId, eventType: 'webhook.verification' });
    // No dispatcher runs in this server: nothing answered the challenge.
    expect(out.verified).toBe(false);
    expect(out.delivery.requestPayload.data.challenge).toEqual(expect.any(String));
  });

  it('DeleteWebhook removes the webhook, then it is NOT_FOUND', async () => {
    const r = await t.gql(t.userA.token, op('DeleteWebhook'), { id: webhookId });
    expect(r.body.data!.deleteWebhook).toEqual({ deletedWebhookId: webhookId });
    const again = await t.gql(t.userA.token, op('GetWebhook'), { id: webhookId });
    expect(again.status).toBe(404);
    expect(codes(again)).toEqual(['NOT_FOUND']);
    const del = await t.gql(t.userA.token, op('DeleteWebhook'), { id: randomUUID() });
    expect(codes(del)).toEqual(['NOT_FOUND']);
  });

  it('serves concurrent requests of several callers without mixing them up', async () => {
    const results = await Promise.all(
      Array.from({ length: 24 }, (_, i) => {
        const who = i % 2 === 0 ? t.userA : t.userB;
        return i % 3 === 0
          ? t.gql(who.token, op('CreateWebhook'), { input: { name: `c${i}`, url: `https://example.com/c${i}` } }).then((r) => ({ who, r }))
          : t.gql(who.token, op('ListWebhooks'), { first: 100 }).then((r) => ({ who, r }));
      }),
    );
    for (const { who, r } of results) {
      expect(r.status, JSON.stringify(r.body.errors)).toBe(200);
      const nodes = r.body.data!.createWebhook ? [r.body.data!.createWebhook.webhook] : r.body.data!.webhooks.edges.map((e: any) => e.node);
      for (const node of nodes) expect(node.userId).toBe(who.id);
    }
  });

  it('runs several root fields in one request, one failing without spoiling the others', async () => {
    const { webhook } = await createWebhook({ name: 'multi' });
    const r = await t.gql(t.userA.token, `query($a: UUID!, $b: UUID!) { a: webhook(id: $a) { id } b: webhookStatistics(webhookId: $b) { totalDeliveries } c: eventTypes { eventType } }`, { a: webhook.id, b: randomUUID() });
    expect(r.body.data).toBeNull(); // b is non-null, so the whole data is null ...
    expect(codes(r)).toEqual(['NOT_FOUND']); // ... but only b failed
    const m = await t.gql(
      t.userA.token,
      `mutation($id: UUID!, $other: UUID!) { u: updateWebhook(id: $id, input: {name: "multi-2"}) { name } x: deleteWebhook(id: $other) { deletedWebhookId } }`,
      { id: webhook.id, other: randomUUID() },
    );
    expect(codes(m)).toEqual(['NOT_FOUND']);
    const still = await t.gql(t.userA.token, op('GetWebhook'), { id: webhook.id });
    expect(still.body.data!.webhook.name).toBe('multi-2'); // the first mutation committed
  });
});
