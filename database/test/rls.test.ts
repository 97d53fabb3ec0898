import { beforeAll, describe, expect, it } from 'vitest';
import {
  anon, as, createWebhook, expectSqlError, service, testEngines, trigger, useDatabase, user,
  type WebhookRow,
} from './helpers.js';

const tables = [
  'webhooks', 'webhook_event_subscriptions', 'webhook_deliveries', 'webhook_delivery_attempts',
  'webhook_delivery_daily_stats', 'idempotency_keys',
] as const;

describe.each(testEngines)('row-level security on %s', (engine) => {
  const db = useDatabase(engine);
  const alice = user();
  const bob = user();
  // Alice's rows, one per table.
  const ids = {} as Record<'webhook' | 'subscription' | 'delivery' | 'attempt', string>;

  beforeAll(async () => {
    const hook = await createWebhook(db(), alice, { eventTypes: ['video.generated'] });
    ids.webhook = hook.id;
    const [sub] = await as<{ id: string }>(db(), alice, 'select id from webhook_event_subscriptions where webhook_id = $1', [hook.id]);
    ids.subscription = sub!.id;
    ids.delivery = (await trigger(db(), 'video.generated', { v: 1 }, alice.sub)).delivery_ids[0]!;
    const [attempt] = await as<{ id: string }>(db(), service,
      `insert into webhook_delivery_attempts (delivery_id, user_id, attempt_number, response_status, worker_id)
       values ($1, $2, 1, 500, 'w1') returning id`, [ids.delivery, alice.sub]);
    ids.attempt = attempt!.id;
    await as(db(), alice, `insert into idempotency_keys (user_key, key, request_hash) values ($1, 'k1', 'h')`, [alice.sub]);
    // Bob has his own webhook, so "sees nothing of Alice's" is not "sees nothing at all".
    await createWebhook(db(), bob, { eventTypes: ['video.generated'] });
    await trigger(db(), 'video.generated', { v: 2 }, bob.sub);
  });

  const keyOf: Record<(typeof tables)[number], () => [string, string]> = {
    webhooks: () => ['id', ids.webhook],
    webhook_event_subscriptions: () => ['id', ids.subscription],
    webhook_deliveries: () => ['id', ids.delivery],
    webhook_delivery_attempts: () => ['id', ids.attempt],
    webhook_delivery_daily_stats: () => ['webhook_id', ids.webhook],
    idempotency_keys: () => ['key', 'k1'],
  };

  describe('select', () => {
    it.each(tables)(`the owner reads her row of %s, another user does not (${engine})`, async (table) => {
      const [column, value] = keyOf[table]();
      const sql = `select * from ${table} where ${column}::text = $1`;
      expect(await as(db(), alice, sql, [value])).toHaveLength(1);
      expect(await as(db(), bob, sql, [value])).toHaveLength(0);
      const bobs = await as<{ user_id?: string; user_key?: string }>(db(), bob, `select * from ${table}`);
      for (const row of bobs) expect(row.user_id ?? row.user_key).toBe(bob.sub);
    });

    it.each(tables)(`anon reads nothing of %s (${engine})`, async (table) => {
      await expectSqlError(as(db(), anon, `select * from ${table}`), '42501');
    });

    it(`event types are readable by every signed-in user, not by anon (${engine})`, async () => {
      const types = await as<{ event_type: string }>(db(), bob, 'select event_type from webhook_events order by event_type');
      expect(types.map((t) => t.event_type)).toEqual([
        'credit.added', 'credit.consumed', 'subscription.cancelled', 'subscription.created', 'subscription.renewed',
        'video.failed', 'video.generated', 'webhook.test', 'webhook.verification',
      ]);
      await expectSqlError(as(db(), anon, 'select * from webhook_events'), '42501');
    });

    it(`service_role reads everyone's rows (${engine})`, async () => {
      const rows = await as<{ user_id: string }>(db(), service, 'select distinct user_id from webhooks where user_id = any($1)', [[alice.sub, bob.sub]]);
      expect(rows).toHaveLength(2);
    });
  });

  describe('insert', () => {
    it(`a user cannot create a webhook for someone else (${engine})`, async () => {
      await expectSqlError(as(db(), bob,
        `insert into webhooks (user_id, name, url) values ($1, 'evil', 'https://evil.example')`, [alice.sub]), '42501');
      const [own] = await as<WebhookRow>(db(), bob, `insert into webhooks (name, url) values ('mine', 'https://bob.example') returning *`);
      expect(own!.user_id).toBe(bob.sub);
    });

    it(`a user cannot subscribe someone else's webhook (${engine})`, async () => {
      await expectSqlError(as(db(), bob,
        `insert into webhook_event_subscriptions (webhook_id, user_id, event_type) values ($1, $2, 'credit.added')`,
        [ids.webhook, alice.sub]), '42501');
      // Claiming it as his own breaks the composite foreign key instead.
      await expectSqlError(as(db(), bob,
        `insert into webhook_event_subscriptions (webhook_id, event_type) values ($1, 'credit.added')`, [ids.webhook]), '23503');
      const subs = await as(db(), alice, 'select 1 from webhook_event_subscriptions where webhook_id = $1', [ids.webhook]);
      expect(subs).toHaveLength(1);
    });

    it(`users cannot create deliveries or attempts directly, even their own (${engine})`, async () => {
      await expectSqlError(as(db(), alice,
        `insert into webhook_deliveries (webhook_id, user_id, event_id, event_type, request_url, request_payload)
         values ($1, $2, gen_random_uuid(), 'video.generated', 'https://x.example', '{}')`, [ids.webhook, alice.sub]), '42501');
      await expectSqlError(as(db(), bob,
        `insert into webhook_delivery_attempts (delivery_id, user_id, attempt_number) values ($1, $2, 9)`,
        [ids.delivery, alice.sub]), '42501');
    });

    it(`a user cannot write another user's idempotency keys (${engine})`, async () => {
      await expectSqlError(as(db(), bob,
        `insert into idempotency_keys (user_key, key, request_hash) values ($1, 'k2', 'h')`, [alice.sub]), '42501');
      await as(db(), bob, `insert into idempotency_keys (user_key, key, request_hash) values ($1, 'k1', 'other')`, [bob.sub]);
      const [row] = await as<{ request_hash: string }>(db(), alice, `select request_hash from idempotency_keys where key = 'k1'`);
      expect(row!.request_hash).toBe('h');
    });

    it(`anon inserts nothing (${engine})`, async () => {
      await expectSqlError(as(db(), anon, `insert into webhooks (user_id, name, url) values ($1, 'x', 'https://x.example')`, [alice.sub]), '42501');
    });
  });

  describe('update', () => {
    it(`another user's update of webhooks and subscriptions changes nothing (${engine})`, async () => {
      const hooks = await as(db(), bob, `update webhooks set name = 'pwned', url = 'https://evil.example' where id = $1 returning id`, [ids.webhook]);
      expect(hooks).toHaveLength(0);
      const subs = await as(db(), bob, `update webhook_event_subscriptions set is_active = false where id = $1 returning id`, [ids.subscription]);
      expect(subs).toHaveLength(0);
      const keys = await as(db(), bob, `update idempotency_keys set response = '{"x":1}' where user_key = $1 returning key`, [alice.sub]);
      expect(keys).toHaveLength(0);
      const [hook] = await as<WebhookRow>(db(), alice, 'select name, url from webhooks where id = $1', [ids.webhook]);
      expect(hook).toMatchObject({ name: 'hook', url: 'https://example.com/hook' });
      const [sub] = await as<{ is_active: boolean }>(db(), alice, 'select is_active from webhook_event_subscriptions where id = $1', [ids.subscription]);
      expect(sub!.is_active).toBe(true);
    });

    it(`the owner updates her own settings and subscriptions (${engine})`, async () => {
      const [hook] = await as<WebhookRow>(db(), alice, `update webhooks set description = 'mine' where id = $1 returning description`, [ids.webhook]);
      expect(hook!.description).toBe('mine');
      const subs = await as(db(), alice, `update webhook_event_subscriptions set filters = '{}' where id = $1 returning id`, [ids.subscription]);
      expect(subs).toHaveLength(1);
    });

    it(`nobody moves a webhook to another user or edits secrets, verification or counters directly (${engine})`, async () => {
      for (const assignment of [
        `user_id = '${bob.sub}'`, `secret = 'whsec_x'`, `is_verified = true`, `total_deliveries = 0`, `verification_token = 'x'`,
      ]) {
        await expectSqlError(as(db(), alice, `update webhooks set ${assignment} where id = $1`, [ids.webhook]), '42501');
      }
    });

    it(`users cannot write the statistics rollup, even their own (${engine})`, async () => {
      await expectSqlError(as(db(), alice, `update webhook_delivery_daily_stats set total = 0 where webhook_id = $1`, [ids.webhook]), '42501');
      await expectSqlError(as(db(), alice, `delete from webhook_delivery_daily_stats where webhook_id = $1`, [ids.webhook]), '42501');
      await expectSqlError(as(db(), bob, `insert into webhook_delivery_daily_stats (webhook_id, user_id, day, event_type)
        values ($1, $2, current_date, 'video.generated')`, [ids.webhook, alice.sub]), '42501');
    });

    it(`users cannot update deliveries or attempts, even their own (${engine})`, async () => {
      await expectSqlError(as(db(), alice, `update webhook_deliveries set status = 'pending', max_attempts = 99 where id = $1`, [ids.delivery]), '42501');
      await expectSqlError(as(db(), alice, `update webhook_delivery_attempts set response_status = 200 where id = $1`, [ids.attempt]), '42501');
      await expectSqlError(as(db(), bob, `update webhook_deliveries set status = 'success' where id = $1`, [ids.delivery]), '42501');
    });

    it(`users cannot change event types (${engine})`, async () => {
      await expectSqlError(as(db(), alice, `update webhook_events set is_enabled = false`), '42501');
      await expectSqlError(as(db(), alice, `insert into webhook_events (event_type, category) values ('x.y', 'x')`), '42501');
      await expectSqlError(as(db(), alice, `delete from webhook_events`), '42501');
    });

    it(`anon updates nothing (${engine})`, async () => {
      await expectSqlError(as(db(), anon, `update webhooks set name = 'x'`), '42501');
    });
  });

  describe('delete', () => {
    it(`another user's delete removes nothing (${engine})`, async () => {
      for (const table of ['webhooks', 'webhook_event_subscriptions', 'webhook_deliveries', 'idempotency_keys'] as const) {
        const [column, value] = keyOf[table]();
        const removed = await as(db(), bob, `delete from ${table} where ${column}::text = $1 and ${table === 'idempotency_keys' ? 'user_key' : 'user_id'}::text = $2 returning 1`, [value, alice.sub]);
        expect(removed, table).toHaveLength(0);
      }
      await expectSqlError(as(db(), bob, `delete from webhook_delivery_attempts where id = $1`, [ids.attempt]), '42501');
      for (const table of tables) {
        const [column, value] = keyOf[table]();
        expect(await as(db(), alice, `select 1 from ${table} where ${column}::text = $1`, [value]), table).toHaveLength(1);
      }
    });

    it(`anon deletes nothing (${engine})`, async () => {
      await expectSqlError(as(db(), anon, `delete from webhooks`), '42501');
    });

    it(`the owner deletes her webhook with its subscriptions, deliveries and attempts (${engine})`, async () => {
      const removed = await as(db(), alice, 'delete from webhooks where id = $1 returning id', [ids.webhook]);
      expect(removed).toHaveLength(1);
      for (const table of ['webhook_event_subscriptions', 'webhook_deliveries', 'webhook_delivery_attempts', 'webhook_delivery_daily_stats'] as const) {
        const [column, value] = keyOf[table]();
        expect(await as(db(), service, `select 1 from ${table} where ${column}::text = $1`, [value]), table).toHaveLength(0);
      }
      const bobs = await as(db(), bob, 'select 1 from webhook_deliveries');
      expect(bobs).toHaveLength(1);
    });
  });

  describe('service-role functions', () => {
    it(`authenticated cannot call trigger_webhook_event or get_pending_webhook_retries (${engine})`, async () => {
      await expectSqlError(as(db(), bob, `select public.trigger_webhook_event('video.generated', '{}')`), '42501');
      await expectSqlError(as(db(), bob, `select public.trigger_webhook_event('video.generated', '{}', $1)`, [bob.sub]), '42501');
      await expectSqlError(as(db(), bob, 'select * from public.get_pending_webhook_retries()'), '42501');
      await expectSqlError(as(db(), anon, `select public.trigger_webhook_event('video.generated', '{}')`), '42501');
      await expectSqlError(as(db(), anon, 'select * from public.get_pending_webhook_retries()'), '42501');
    });

    it(`service_role can (${engine})`, async () => {
      const result = await trigger(db(), 'video.generated', { v: 3 }, bob.sub);
      expect(result.delivery_count).toBe(1);
      const due = await as<{ id: string }>(db(), service, 'select id from public.get_pending_webhook_retries(1000)');
      expect(due.map((d) => d.id)).toContain(result.delivery_ids[0]);
    });

    it(`anon cannot call any user function (${engine})`, async () => {
      await expectSqlError(as(db(), anon, `select public.create_webhook('x', 'https://x.example')`), '42501');
      await expectSqlError(as(db(), anon, `select public.get_webhook_statistics(gen_random_uuid())`), '42501');
      await expectSqlError(as(db(), anon, `select public.get_webhook_secret(gen_random_uuid())`), '42501');
    });
  });
});
