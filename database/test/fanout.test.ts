import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  as, createWebhook, service, testEngines, trigger, useDatabase, user,
  type DeliveryRow, type WebhookRow,
} from './helpers.js';

describe.each(testEngines)('fan-out by trigger_webhook_event on %s', (engine) => {
  const db = useDatabase(engine);

  // Each test gets an event type of its own, so other tests' webhooks never match.
  async function eventType(): Promise<string> {
    const type = `fanout.t${randomUUID().slice(0, 8)}`;
    await db().query(`insert into webhook_events (event_type, category) values ($1, 'test')`, [type]);
    return type;
  }

  async function deliveriesOf(eventId: string): Promise<DeliveryRow[]> {
    return as<DeliveryRow>(db(), service, 'select * from webhook_deliveries where event_id = $1 order by id', [eventId]);
  }

  it(`reaches exactly the active, subscribed, filter-matching webhooks (${engine})`, async () => {
    const type = await eventType();
    const alice = user();
    const make = async (name: string, filters: object = {}, subscribe = true) =>
      createWebhook(db(), alice, { name, eventTypes: subscribe ? [type] : ['credit.added'], filters });
    const all = await make('all');
    const inactive = await make('inactive');
    await as(db(), alice, 'update webhooks set is_active = false where id = $1', [inactive.id]);
    const subOff = await make('subscription inactive');
    await as(db(), alice, 'update webhook_event_subscriptions set is_active = false where webhook_id = $1', [subOff.id]);
    const pro = await make('plan pro', { plan: 'pro' });
    await make('plan free', { plan: 'free' });
    await make('other type', {}, false);
    const nested = await make('nested', { customer: { tier: 'gold' } });
    const tagged = await make('array element', { tags: ['a'] });
    await make('missing key', { region: 'eu' });

    const result = await trigger(db(), type, { plan: 'pro', customer: { tier: 'gold', id: 7 }, tags: ['b', 'a'] });
    const rows = await deliveriesOf(result.event_id);
    expect(rows.map((d) => d.webhook_id).sort()).toEqual([all.id, pro.id, nested.id, tagged.id].sort());
    expect(result.delivery_count).toBe(4);
    expect([...result.delivery_ids].sort()).toEqual(rows.map((d) => d.id).sort());
  });

  it(`skips a disabled event type without an error (${engine})`, async () => {
    const type = await eventType();
    const alice = user();
    await createWebhook(db(), alice, { eventTypes: [type] });
    await db().query('update webhook_events set is_enabled = false where event_type = $1', [type]);
    const off = await trigger(db(), type, {});
    expect(off).toMatchObject({ delivery_count: 0, delivery_ids: [] });
    expect(await deliveriesOf(off.event_id)).toHaveLength(0);
    await db().query('update webhook_events set is_enabled = true where event_type = $1', [type]);
    expect((await trigger(db(), type, {})).delivery_count).toBe(1);
  });

  it(`restricts delivery to p_user_id's webhooks (${engine})`, async () => {
    const type = await eventType();
    const alice = user();
    const bob = user();
    const a = await createWebhook(db(), alice, { eventTypes: [type] });
    const b = await createWebhook(db(), bob, { eventTypes: [type] });
    const onlyAlice = await trigger(db(), type, { x: 1 }, alice.sub);
    expect((await deliveriesOf(onlyAlice.event_id)).map((d) => d.webhook_id)).toEqual([a.id]);
    const everyone = await trigger(db(), type, { x: 1 });
    expect((await deliveriesOf(everyone.event_id)).map((d) => d.webhook_id).sort()).toEqual([a.id, b.id].sort());
    const nobody = await trigger(db(), type, { x: 1 }, randomUUID());
    expect(nobody.delivery_count).toBe(0);
  });

  it(`creates each delivery with the envelope, headers, attempts and due time the dispatcher needs (${engine})`, async () => {
    const type = await eventType();
    const alice = user();
    const retrying = await createWebhook(db(), alice, { eventTypes: [type], url: 'https://a.example/in', maxRetries: 5 });
    const once = await createWebhook(db(), alice, { eventTypes: [type], url: 'http://b.example:8080/hook?x=1', retryEnabled: false });
    const noRetries = await createWebhook(db(), alice, { eventTypes: [type], maxRetries: 0 });
    const payload = { video_id: 'v_1', nested: { list: [1, 2, { deep: true }] }, text: 'ünïcode ✓' };
    const before = Date.now();
    const result = await trigger(db(), type, payload, alice.sub);
    const rows = await deliveriesOf(result.event_id);
    expect(rows).toHaveLength(3);
    const byHook = new Map(rows.map((d) => [d.webhook_id, d]));
    for (const d of rows) {
      expect(d).toMatchObject({
        event_id: result.event_id, event_type: type, user_id: alice.sub, status: 'pending',
        request_method: 'POST', attempt_number: 0, locked_by: null, locked_until: null,
      });
      expect(d.request_payload).toEqual({ type, timestamp: expect.any(String), data: payload });
      expect(d.request_payload.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
      const at = Date.parse(d.request_payload.timestamp);
      expect(Math.abs(at - before)).toBeLessThan(60_000);
      // webhook-id (the delivery id), timestamp, signature and user-agent are
      // the dispatcher's, added at send time.
      expect(d.request_headers).toEqual({ 'content-type': 'application/json' });
      expect(d.next_retry_at).toEqual(d.created_at);
      expect(at).toBe(d.created_at.getTime());
    }
    expect(byHook.get(retrying.id)).toMatchObject({ request_url: 'https://a.example/in', max_attempts: 6 });
    expect(byHook.get(once.id)).toMatchObject({ request_url: 'http://b.example:8080/hook?x=1', max_attempts: 1 });
    expect(byHook.get(noRetries.id)).toMatchObject({ max_attempts: 1 });
    const due = await as<{ id: string }>(db(), service, 'select id from public.get_pending_webhook_retries(1000)');
    expect(due.map((d) => d.id)).toEqual(expect.arrayContaining(result.delivery_ids));
  });

  it(`notifies the dispatcher once per call that created deliveries (${engine})`, async () => {
    const type = await eventType();
    const alice = user();
    await createWebhook(db(), alice, { eventTypes: [type] });
    await createWebhook(db(), alice, { eventTypes: [type] });
    const notes: string[] = [];
    const stop = await db().listen('hookline_deliveries', (payload) => notes.push(payload));
    try {
      const none = await trigger(db(), type, {}, randomUUID());
      expect(none.delivery_count).toBe(0);
      const two = await trigger(db(), type, {}, alice.sub);
      expect(two.delivery_count).toBe(2);
      // Notifications arrive in commit order: had the empty call notified, we would see two.
      await expect.poll(() => notes.length).toBe(1);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(notes).toEqual(['']);
    } finally {
      await stop();
    }
  });

  it(`does not notify or deliver when the caller's transaction rolls back (${engine})`, async () => {
    const type = await eventType();
    const alice = user();
    const hook = await createWebhook(db(), alice, { eventTypes: [type] });
    const notes: string[] = [];
    const stop = await db().listen('hookline_deliveries', (payload) => notes.push(payload));
    try {
      await expect(
        db().withClaims(service, async (tx) => {
          await tx.query(`select public.trigger_webhook_event($1, '{}')`, [type]);
          throw new Error('changed my mind');
        }),
      ).rejects.toThrow('changed my mind');
      await trigger(db(), 'credit.added', {}, randomUUID()); // a no-op call as a fence
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(notes).toEqual([]);
      const rows = await as(db(), service, 'select 1 from webhook_deliveries where webhook_id = $1', [hook.id]);
      expect(rows).toHaveLength(0);
    } finally {
      await stop();
    }
  });

  it(`fans out to 100 subscribers in one call and counts one delivery each (${engine})`, async () => {
    const type = await eventType();
    const owner = user();
    await as(db(), owner, `
      with hooks as (
        insert into webhooks (name, url)
        select 'bulk ' || i, 'https://bulk.example/' || i from generate_series(1, 100) as i
        returning id
      )
      insert into webhook_event_subscriptions (webhook_id, event_type) select id, $1 from hooks`, [type]);
    const result = await trigger(db(), type, { n: 1 }, owner.sub);
    expect(result.delivery_count).toBe(100);
    expect(new Set(result.delivery_ids).size).toBe(100);
    const hooks = await as<WebhookRow>(db(), owner, 'select total_deliveries, last_delivery_at from webhooks');
    expect(hooks).toHaveLength(100);
    for (const h of hooks) expect(h.total_deliveries).toBe(1);
  });
});
