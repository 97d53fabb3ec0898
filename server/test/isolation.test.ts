/**
 * User A and user B: neither can see or touch the other's webhooks,
 * subscriptions, deliveries, statistics or secrets through the API.
 * Secrets appear only in createWebhook, rotateWebhookSecret and webhookSecret,
 * never in lists or logs. Both engines.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codes, startTestServer, type TestServer } from './harness.js';
import { op } from './operations.js';

describe.each(['pglite', 'postgres'] as const)('isolation between users (%s)', (engine) => {
  let t: TestServer;
  let a: { webhookId: string; secret: string; deliveryId: string };
  let bWebhookId: string;
  const secrets: string[] = [];

  beforeAll(async () => {
    t = await startTestServer(engine);
    const created = await t.gql(t.userA.token, op('CreateWebhook'), { input: { name: 'A', url: 'https://a.example.com/h', eventTypes: ['credit.added'] } });
    const webhookId = created.body.data!.createWebhook.webhook.id;
    secrets.push(created.body.data!.createWebhook.secret);
    const b = await t.gql(t.userB.token, op('CreateWebhook'), { input: { name: 'B', url: 'https://b.example.com/h', eventTypes: ['credit.added'] } });
    bWebhookId = b.body.data!.createWebhook.webhook.id;
    secrets.push(b.body.data!.createWebhook.secret);
    const trig = await t.gql(t.service.token, op('TriggerWebhookEvent'), { eventType: 'credit.added', payload: { amount: 5 }, userId: t.userA.id });
    expect(trig.body.data!.triggerWebhookEvent.deliveryCount).toBe(1);
    a = { webhookId, secret: created.body.data!.createWebhook.secret, deliveryId: trig.body.data!.triggerWebhookEvent.deliveries[0].id };
    await t.db.query(`update public.webhook_deliveries set status = 'failed' where id = $1`, [a.deliveryId]);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('B lists none of A\'s webhooks or deliveries', async () => {
    const hooks = await t.gql(t.userB.token, op('ListWebhooks'), {});
    expect(hooks.body.data!.webhooks.edges.map((e: any) => e.node.id)).toEqual([bWebhookId]);
    const deliveries = await t.gql(t.userB.token, op('ListDeliveries'), {});
    expect(deliveries.body.data!.deliveries.edges).toEqual([]);
    const filtered = await t.gql(t.userB.token, op('ListDeliveries'), { webhookId: a.webhookId });
    expect(filtered.body.data!.deliveries.edges).toEqual([]);
  });

  it.each([
    ['GetWebhook', () => ({ id: a.webhookId })],
    ['GetWebhookSecret', () => ({ id: a.webhookId })],
    ['GetWebhookStatistics', () => ({ webhookId: a.webhookId })],
    ['GetDelivery', () => ({ id: a.deliveryId })],
    ['UpdateWebhook', () => ({ id: a.webhookId, input: { url: 'https://evil.example.com/' } })],
    ['DeleteWebhook', () => ({ id: a.webhookId })],
    ['RotateWebhookSecret', () => ({ id: a.webhookId })],
    ['SubscribeWebhookEvents', () => ({ webhookId: a.webhookId, eventTypes: ['video.generated'] })],
    ['SendTestEvent', () => ({ webhookId: a.webhookId })],
    ['VerifyWebhookEndpoint', () => ({ id: a.webhookId })],
    ['RetryFailedDelivery', () => ({ deliveryId: a.deliveryId })],
  ])('B gets NOT_FOUND from %s on A\'s objects', async (name, vars) => {
    const r = await t.gql(t.userB.token, op(name), vars());
    expect(codes(r)).toEqual(['NOT_FOUND']);
    expect(r.status).toBe(404);
    expect(r.text).not.toContain(a.secret);
  });

  it('B unsubscribing A\'s webhook removes nothing', async () => {
    const r = await t.gql(t.userB.token, op('UnsubscribeWebhookEvents'), { webhookId: a.webhookId, eventTypes: ['credit.added'] });
    // Either NOT_FOUND or zero rows removed: never A's subscription.
    if (r.body.errors) expect(codes(r)).toEqual(['NOT_FOUND']);
    else expect(r.body.data!.unsubscribeWebhookEvents.removedCount).toBe(0);
  });

  it('left A\'s webhook, subscription, secret and delivery untouched', async () => {
    const hook = await t.gql(t.userA.token, op('GetWebhook'), { id: a.webhookId });
    expect(hook.body.data!.webhook).toMatchObject({ url: 'https://a.example.com/h', isVerified: false });
    expect(hook.body.data!.webhook.subscriptions.map((s: any) => s.eventType)).toEqual(['credit.added']);
    const secret = await t.gql(t.userA.token, op('GetWebhookSecret'), { id: a.webhookId });
    expect(secret.body.data!.webhookSecret).toMatchObject({ secret: a.secret, previousSecretExpiresAt: null });
    const delivery = await t.gql(t.userA.token, op('GetDelivery'), { id: a.deliveryId });
    expect(delivery.body.data!.delivery.status).toBe('FAILED');
    expect(await t.count('webhook_deliveries')).toBe(1);
  });

  it('a trigger for B does not reach A', async () => {
    const r = await t.gql(t.service.token, op('TriggerWebhookEvent'), { eventType: 'credit.added', payload: {}, userId: t.userB.id });
    expect(r.body.data!.triggerWebhookEvent.deliveries.map((d: any) => d.webhookId)).toEqual([bWebhookId]);
  });

  it('never writes a secret or a token to the logs', async () => {
    const rotated = await t.gql(t.userA.token, op('RotateWebhookSecret'), { id: a.webhookId, gracePeriodSeconds: 60 });
    secrets.push(rotated.body.data!.rotateWebhookSecret.secret);
    await t.gql(t.userA.token, op('GetWebhookSecret'), { id: a.webhookId });
    await t.gql(undefined, op('ListWebhooks'), {}, { authorization: `Bearer ${t.userA.token}x` });
    const logs = t.logs.join('');
    expect(t.logs.length).toBeGreaterThan(10);
    for (const s of secrets) expect(logs).not.toContain(s);
    expect(logs).not.toContain('whsec_');
    for (const token of [t.userA.token, t.userB.token, t.service.token]) expect(logs).not.toContain(token.split('.')[2]);
  });

  it('never returns a secret from list or read queries', async () => {
    const texts = await Promise.all([
      t.gql(t.userA.token, op('ListWebhooks'), {}),
      t.gql(t.userA.token, op('GetWebhook'), { id: a.webhookId }),
      t.gql(t.userA.token, op('ListDeliveries'), {}),
      t.gql(t.userA.token, op('UpdateWebhook'), { id: a.webhookId, input: { name: 'A2' } }),
      t.gql(t.userA.token, op('SubscribeWebhookEvents'), { webhookId: a.webhookId, eventTypes: ['video.failed'] }),
    ]);
    for (const r of texts) {
      expect(r.body.errors).toBeUndefined();
      expect(r.text).not.toContain('whsec_');
    }
  });
});
