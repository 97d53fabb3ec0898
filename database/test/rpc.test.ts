import { describe, expect, it } from 'vitest';
import {
  as, createWebhook, expectSqlError, service, testEngines, trigger, useDatabase, user,
  type DeliveryRow, type WebhookRow,
} from './helpers.js';

describe.each(testEngines)('RPC functions on %s', (engine) => {
  const db = useDatabase(engine);
  const alice = user();
  const bob = user();

  describe('create_webhook', () => {
    it(`creates a webhook owned by the caller with a whsec_ secret and subscriptions (${engine})`, async () => {
      const hook = await createWebhook(db(), alice, {
        eventTypes: ['video.generated', 'credit.added', 'video.generated'],
        filters: { plan: 'pro' },
      });
      expect(hook.user_id).toBe(alice.sub);
      expect(hook.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
      expect(Buffer.from(hook.secret.slice(6), 'base64')).toHaveLength(32);
      expect(hook).toMatchObject({
        is_active: true, is_verified: false, signature_algorithm: 'sha256', retry_enabled: true,
        max_retries: 3, retry_delay_seconds: 60, timeout_seconds: 30, total_deliveries: 0, metadata: {},
      });
      const subs = await as<{ event_type: string; filters: object; user_id: string; is_active: boolean }>(
        db(), alice, 'select event_type, filters, user_id, is_active from webhook_event_subscriptions where webhook_id = $1 order by event_type', [hook.id],
      );
      expect(subs).toEqual([
        { event_type: 'credit.added', filters: { plan: 'pro' }, user_id: alice.sub, is_active: true },
        { event_type: 'video.generated', filters: { plan: 'pro' }, user_id: alice.sub, is_active: true },
      ]);
    });

    it(`gives each webhook its own secret (${engine})`, async () => {
      const a = await createWebhook(db(), alice);
      const b = await createWebhook(db(), alice);
      expect(a.secret).not.toBe(b.secret);
    });

    it(`takes every setting (${engine})`, async () => {
      const [hook] = await as<WebhookRow>(db(), alice, `select * from public.create_webhook(
        'full', 'http://example.com:8080/in?x=1', '{}', 'desc', 'sha512', false, 0, 1, 60, '{"team":"a"}')`);
      expect(hook).toMatchObject({
        name: 'full', url: 'http://example.com:8080/in?x=1', description: 'desc', signature_algorithm: 'sha512',
        retry_enabled: false, max_retries: 0, retry_delay_seconds: 1, timeout_seconds: 60, metadata: { team: 'a' },
      });
    });

    it.each([
      'http://localhost:3000/webhooks', 'https://[::1]:8443/x', 'https://example.com', 'https://a.b-c.example/p/a?q=1&r=%20#frag',
      'HTTPS://EXAMPLE.COM/UPPER', 'https://127.0.0.1/hook',
    ])(`accepts the URL %s (${engine})`, async (url) => {
      const hook = await createWebhook(db(), alice, { url });
      expect(hook.url).toBe(url);
    });

    it.each([
      ['an ftp URL', { url: 'ftp://example.com/x' }, 'url'],
      ['a URL without scheme', { url: 'example.com/x' }, 'url'],
      ['a URL with spaces', { url: 'https://exa mple.com/' }, 'url'],
      ['a URL with credentials', { url: 'https://user:pw@example.com/' }, 'url'],
      ['a URL without host', { url: 'https:///path' }, 'url'],
      ['an empty name', { name: '' }, 'name'],
      ['a 256-character name', { name: 'x'.repeat(256) }, 'name'],
      ['max_retries 11', { maxRetries: 11 }, 'max_retries'],
      ['max_retries -1', { maxRetries: -1 }, 'max_retries'],
      ['an unknown event type', { eventTypes: ['video.exploded'] }, 'event_types'],
      ['an internal event type', { eventTypes: ['webhook.test'] }, 'event_types'],
      ['filters that are not an object', { filters: [1, 2] }, 'filters'],
    ])(`refuses %s with 22023 and changes nothing (${engine})`, async (_label, opts, column) => {
      const before = await as<{ n: number }>(db(), alice, 'select count(*)::int as n from webhooks');
      await expectSqlError(createWebhook(db(), alice, opts as never), '22023', column);
      const after = await as<{ n: number }>(db(), alice, 'select count(*)::int as n from webhooks');
      expect(after).toEqual(before);
    });

    it.each([
      ['retry_delay_seconds 0', 'p_retry_delay_seconds => 0', 'retry_delay_seconds'],
      ['retry_delay_seconds 3601', 'p_retry_delay_seconds => 3601', 'retry_delay_seconds'],
      ['timeout_seconds 0', 'p_timeout_seconds => 0', 'timeout_seconds'],
      ['timeout_seconds 61', 'p_timeout_seconds => 61', 'timeout_seconds'],
      ['an unknown algorithm', "p_signature_algorithm => 'md5'", 'signature_algorithm'],
      ['metadata that is not an object', "p_metadata => '[]'", 'metadata'],
    ])(`refuses %s with 22023 (${engine})`, async (_label, arg, column) => {
      await expectSqlError(
        as(db(), alice, `select public.create_webhook(p_name => 'x', p_url => 'https://example.com', ${arg})`),
        '22023', column,
      );
    });

    it(`refuses a disabled event type (${engine})`, async () => {
      await db().exec(`update webhook_events set is_enabled = false where event_type = 'credit.consumed'`);
      try {
        await expectSqlError(createWebhook(db(), alice, { eventTypes: ['credit.consumed'] }), '22023', 'event_types');
      } finally {
        await db().exec(`update webhook_events set is_enabled = true where event_type = 'credit.consumed'`);
      }
    });

    it(`refuses callers without a user (${engine})`, async () => {
      await expectSqlError(as(db(), service, `select public.create_webhook('x', 'https://example.com')`), '42501');
      await expectSqlError(as(db(), { role: 'anon' }, `select public.create_webhook('x', 'https://example.com')`), '42501');
    });
  });

  describe('subscribe_webhook_events / unsubscribe_webhook_events', () => {
    it(`upserts, replaces filters and re-activates (${engine})`, async () => {
      const hook = await createWebhook(db(), alice, { eventTypes: ['video.generated'] });
      await as(db(), alice, `update webhook_event_subscriptions set is_active = false where webhook_id = $1`, [hook.id]);
      const subs = await as<{ event_type: string; filters: object; is_active: boolean }>(
        db(), alice,
        `select event_type, filters, is_active from public.subscribe_webhook_events($1, array['video.generated', 'video.failed', 'video.failed'], '{"a": 1}') order by event_type`,
        [hook.id],
      );
      expect(subs).toEqual([
        { event_type: 'video.failed', filters: { a: 1 }, is_active: true },
        { event_type: 'video.generated', filters: { a: 1 }, is_active: true },
      ]);
      const count = await as<{ n: number }>(db(), alice, 'select count(*)::int as n from webhook_event_subscriptions where webhook_id = $1', [hook.id]);
      expect(count[0]!.n).toBe(2);
    });

    it(`defaults filters to {} (${engine})`, async () => {
      const hook = await createWebhook(db(), alice);
      const subs = await as<{ filters: object }>(db(), alice, `select filters from public.subscribe_webhook_events($1, array['credit.added'])`, [hook.id]);
      expect(subs).toEqual([{ filters: {} }]);
    });

    it(`refuses unknown types, bad filters and someone else's webhook (${engine})`, async () => {
      const hook = await createWebhook(db(), alice);
      await expectSqlError(as(db(), alice, `select * from public.subscribe_webhook_events($1, array['nope.nope'])`, [hook.id]), '22023', 'event_types');
      await expectSqlError(as(db(), alice, `select * from public.subscribe_webhook_events($1, array['credit.added'], '"x"')`, [hook.id]), '22023', 'filters');
      await expectSqlError(as(db(), bob, `select * from public.subscribe_webhook_events($1, array['credit.added'])`, [hook.id]), 'P0002');
      await expectSqlError(as(db(), alice, `select * from public.subscribe_webhook_events(gen_random_uuid(), array['credit.added'])`), 'P0002');
      const subs = await as(db(), alice, 'select 1 from webhook_event_subscriptions where webhook_id = $1', [hook.id]);
      expect(subs).toHaveLength(0);
    });

    it(`removes subscriptions and returns how many (${engine})`, async () => {
      const hook = await createWebhook(db(), alice, { eventTypes: ['video.generated', 'video.failed', 'credit.added'] });
      const [removed] = await as<{ n: number }>(db(), alice, `select public.unsubscribe_webhook_events($1, array['video.failed', 'credit.added', 'credit.consumed']) as n`, [hook.id]);
      expect(removed!.n).toBe(2);
      const left = await as<{ event_type: string }>(db(), alice, 'select event_type from webhook_event_subscriptions where webhook_id = $1', [hook.id]);
      expect(left).toEqual([{ event_type: 'video.generated' }]);
    });

    it(`refuses to unsubscribe someone else's webhook (${engine})`, async () => {
      const hook = await createWebhook(db(), alice, { eventTypes: ['video.generated'] });
      await expectSqlError(as(db(), bob, `select public.unsubscribe_webhook_events($1, array['video.generated'])`, [hook.id]), 'P0002');
      const left = await as(db(), alice, 'select 1 from webhook_event_subscriptions where webhook_id = $1', [hook.id]);
      expect(left).toHaveLength(1);
    });
  });

  describe('trigger_webhook_event', () => {
    it(`refuses unknown event types, non-object and oversized payloads (${engine})`, async () => {
      await expectSqlError(trigger(db(), 'nope.nope', {}), '22023', 'event_type');
      await expectSqlError(trigger(db(), 'video.generated', [1]), '22023', 'payload');
      await expectSqlError(trigger(db(), 'video.generated', { blob: 'x'.repeat(262_144) }), '22023', 'payload');
    });
  });

  describe('retry_failed_delivery', () => {
    async function failedDelivery(attempts = 4): Promise<DeliveryRow> {
      const hook = await createWebhook(db(), alice, { eventTypes: ['video.failed'] });
      const { delivery_ids } = await trigger(db(), 'video.failed', { n: 1 }, alice.sub);
      const [row] = await as<DeliveryRow>(db(), service,
        `update webhook_deliveries set status = 'failed', attempt_number = $2, max_attempts = $2,
           next_retry_at = null, completed_at = now(), error_message = 'HTTP 500'
         where id = any($1) and webhook_id = $3 returning *`, [delivery_ids, attempts, hook.id]);
      expect(row!.webhook_id).toBe(hook.id);
      return row!;
    }

    it(`grants exactly one more attempt and notifies (${engine})`, async () => {
      const failed = await failedDelivery();
      const notes: string[] = [];
      const stop = await db().listen('hookline_deliveries', (p) => notes.push(p));
      try {
        const [row] = await as<DeliveryRow>(db(), alice, 'select * from public.retry_failed_delivery($1)', [failed.id]);
        expect(row).toMatchObject({ id: failed.id, status: 'pending', attempt_number: 4, max_attempts: 5, locked_by: null, completed_at: null });
        const [{ due }] = (await as<{ due: boolean }>(db(), service, 'select next_retry_at <= now() as due from webhook_deliveries where id = $1', [failed.id])) as [{ due: boolean }];
        expect(due).toBe(true);
        await expect.poll(() => notes.length).toBeGreaterThan(0);
      } finally {
        await stop();
      }
    });

    it(`refuses someone else's delivery as not found (${engine})`, async () => {
      const failed = await failedDelivery();
      await expectSqlError(as(db(), bob, 'select * from public.retry_failed_delivery($1)', [failed.id]), 'P0002');
      const [row] = await as<DeliveryRow>(db(), service, 'select status from webhook_deliveries where id = $1', [failed.id]);
      expect(row!.status).toBe('failed');
    });

    it(`refuses a delivery that is not failed (${engine})`, async () => {
      const dave = user();
      await createWebhook(db(), dave, { eventTypes: ['credit.added'] });
      const { delivery_ids } = await trigger(db(), 'credit.added', {}, dave.sub);
      expect(delivery_ids).toHaveLength(1);
      await expectSqlError(as(db(), dave, 'select * from public.retry_failed_delivery($1)', [delivery_ids[0]]), '23505');
      await as(db(), service, `update webhook_deliveries set status = 'success' where id = $1`, [delivery_ids[0]]);
      await expectSqlError(as(db(), dave, 'select * from public.retry_failed_delivery($1)', [delivery_ids[0]]), '23505');
    });

    it(`refuses a delivery at the hard cap of 20 attempts (${engine})`, async () => {
      const capped = await failedDelivery(20);
      await expectSqlError(as(db(), alice, 'select * from public.retry_failed_delivery($1)', [capped.id]), '22023', 'delivery_id');
      const below = await failedDelivery(19);
      const [row] = await as<DeliveryRow>(db(), alice, 'select * from public.retry_failed_delivery($1)', [below.id]);
      expect(row!.max_attempts).toBe(20);
    });

    it(`refuses a delivery of a disabled webhook (${engine})`, async () => {
      const failed = await failedDelivery();
      await as(db(), alice, 'update webhooks set is_active = false where id = $1', [failed.webhook_id]);
      await expectSqlError(as(db(), alice, 'select * from public.retry_failed_delivery($1)', [failed.id]), '23505');
    });

    it(`refuses anon (${engine})`, async () => {
      const failed = await failedDelivery();
      await expectSqlError(as(db(), { role: 'anon' }, 'select * from public.retry_failed_delivery($1)', [failed.id]), '42501');
    });
  });

  describe('get_pending_webhook_retries', () => {
    it(`returns due, unleased deliveries of active webhooks, oldest due first, limit clamped (${engine})`, async () => {
      const carol = user();
      const hook = await createWebhook(db(), carol, { eventTypes: ['subscription.renewed'] });
      const ids: string[] = [];
      for (let i = 0; i < 4; i++) ids.push(...(await trigger(db(), 'subscription.renewed', { i }, carol.sub)).delivery_ids);
      // ids[0] due last, ids[1] leased, ids[2] not due yet, ids[3] due first
      await as(db(), service, `update webhook_deliveries set next_retry_at = now() - interval '1 minute' where id = $1`, [ids[0]]);
      await as(db(), service, `update webhook_deliveries set locked_by = 'w1', locked_until = now() + interval '1 minute' where id = $1`, [ids[1]]);
      await as(db(), service, `update webhook_deliveries set next_retry_at = now() + interval '1 hour' where id = $1`, [ids[2]]);
      await as(db(), service, `update webhook_deliveries set status = 'retrying', next_retry_at = now() - interval '2 minutes' where id = $1`, [ids[3]]);
      const mine = async (limit: number | null) =>
        (await as<DeliveryRow>(db(), service, 'select * from public.get_pending_webhook_retries($1)', [limit]))
          .filter((d) => d.webhook_id === hook.id)
          .map((d) => d.id);
      expect(await mine(1000)).toEqual([ids[3], ids[0]]);
      expect(await mine(100_000)).toEqual([ids[3], ids[0]]);
      const [{ n }] = (await as<{ n: number }>(db(), service, 'select count(*)::int as n from public.get_pending_webhook_retries(0)')) as [{ n: number }];
      expect(n).toBe(1);

      await as(db(), carol, 'update webhooks set is_active = false where id = $1', [hook.id]);
      expect(await mine(1000)).toEqual([]);
    });
  });

  describe('secrets', () => {
    it(`get_webhook_secret gives the owner the secret and nobody else (${engine})`, async () => {
      const hook = await createWebhook(db(), alice);
      const [{ s }] = (await as<{ s: Record<string, unknown> }>(db(), alice, 'select public.get_webhook_secret($1) as s', [hook.id])) as [{ s: Record<string, unknown> }];
      expect(s).toEqual({ webhook_id: hook.id, secret: hook.secret, previous_secret_expires_at: null });
      const message = await expectSqlError(as(db(), bob, 'select public.get_webhook_secret($1)', [hook.id]), 'P0002');
      expect(message).not.toContain(hook.secret);
    });

    it(`rotate_webhook_secret keeps the previous secret for the grace period (${engine})`, async () => {
      const hook = await createWebhook(db(), alice);
      const [{ r }] = (await as<{ r: { webhook_id: string; secret: string; previous_secret_expires_at: string } }>(
        db(), alice, 'select public.rotate_webhook_secret($1, 3600) as r', [hook.id])) as [{ r: { webhook_id: string; secret: string; previous_secret_expires_at: string } }];
      expect(r.webhook_id).toBe(hook.id);
      expect(r.secret).toMatch(/^whsec_/);
      expect(r.secret).not.toBe(hook.secret);
      const expiresIn = new Date(r.previous_secret_expires_at).getTime() - Date.now();
      expect(expiresIn).toBeGreaterThan(3500_000);
      expect(expiresIn).toBeLessThan(3700_000);
      const [row] = await as<WebhookRow>(db(), alice, 'select secret, previous_secret from webhooks where id = $1', [hook.id]);
      expect(row).toMatchObject({ secret: r.secret, previous_secret: hook.secret });

      const [{ r: again }] = (await as<{ r: { secret: string; previous_secret_expires_at: string | null } }>(
        db(), alice, 'select public.rotate_webhook_secret($1, 0) as r', [hook.id])) as [{ r: { secret: string; previous_secret_expires_at: string | null } }];
      expect(again.previous_secret_expires_at).toBeNull();
      const [row2] = await as<WebhookRow>(db(), alice, 'select previous_secret from webhooks where id = $1', [hook.id]);
      expect(row2!.previous_secret).toBeNull();
    });

    it(`rotate_webhook_secret refuses a bad grace period and someone else's webhook (${engine})`, async () => {
      const hook = await createWebhook(db(), alice);
      await expectSqlError(as(db(), alice, 'select public.rotate_webhook_secret($1, -1)', [hook.id]), '22023', 'grace_period_seconds');
      await expectSqlError(as(db(), alice, 'select public.rotate_webhook_secret($1, 604801)', [hook.id]), '22023', 'grace_period_seconds');
      await expectSqlError(as(db(), bob, 'select public.rotate_webhook_secret($1)', [hook.id]), 'P0002');
      const [row] = await as<WebhookRow>(db(), alice, 'select secret from webhooks where id = $1', [hook.id]);
      expect(row!.secret).toBe(hook.secret);
    });
  });

  describe('send_test_webhook_event / request_webhook_verification', () => {
    it(`queues a single-attempt webhook.test delivery without a subscription (${engine})`, async () => {
      const hook = await createWebhook(db(), alice);
      const [row] = await as<DeliveryRow>(db(), alice, 'select * from public.send_test_webhook_event($1)', [hook.id]);
      expect(row).toMatchObject({ webhook_id: hook.id, user_id: alice.sub, event_type: 'webhook.test', status: 'pending', max_attempts: 1, attempt_number: 0 });
      expect(row!.request_payload).toMatchObject({ type: 'webhook.test', data: { webhook_id: hook.id } });
      expect(row!.request_headers).toEqual({ 'content-type': 'application/json' });
    });

    it(`sends a fresh challenge and stores it on the webhook (${engine})`, async () => {
      const hook = await createWebhook(db(), alice);
      const [first] = await as<DeliveryRow>(db(), alice, 'select * from public.request_webhook_verification($1)', [hook.id]);
      const [second] = await as<DeliveryRow>(db(), alice, 'select * from public.request_webhook_verification($1)', [hook.id]);
      const challenge = (second!.request_payload.data as { challenge: string }).challenge;
      expect(challenge).toMatch(/^[0-9a-f]{48}$/);
      expect((first!.request_payload.data as { challenge: string }).challenge).not.toBe(challenge);
      expect(second).toMatchObject({ event_type: 'webhook.verification', max_attempts: 1, status: 'pending' });
      const [row] = await as<WebhookRow>(db(), alice, 'select verification_token, is_verified from webhooks where id = $1', [hook.id]);
      expect(row).toMatchObject({ verification_token: challenge, is_verified: false });
    });

    it(`refuses someone else's webhook and a disabled one (${engine})`, async () => {
      const hook = await createWebhook(db(), alice);
      await expectSqlError(as(db(), bob, 'select * from public.send_test_webhook_event($1)', [hook.id]), 'P0002');
      await expectSqlError(as(db(), bob, 'select * from public.request_webhook_verification($1)', [hook.id]), 'P0002');
      await as(db(), alice, 'update webhooks set is_active = false where id = $1', [hook.id]);
      await expectSqlError(as(db(), alice, 'select * from public.send_test_webhook_event($1)', [hook.id]), '23505');
      await expectSqlError(as(db(), alice, 'select * from public.request_webhook_verification($1)', [hook.id]), '23505');
      const rows = await as(db(), service, 'select 1 from webhook_deliveries where webhook_id = $1', [hook.id]);
      expect(rows).toHaveLength(0);
    });
  });

  describe('direct updates', () => {
    it(`validate settings with the same 22023 errors (${engine})`, async () => {
      const hook = await createWebhook(db(), alice);
      await expectSqlError(as(db(), alice, `update webhooks set url = 'javascript:alert(1)' where id = $1`, [hook.id]), '22023', 'url');
      await expectSqlError(as(db(), alice, `update webhooks set max_retries = 99 where id = $1`, [hook.id]), '22023', 'max_retries');
      const [row] = await as<WebhookRow>(db(), alice, 'select url, max_retries from webhooks where id = $1', [hook.id]);
      expect(row).toMatchObject({ url: hook.url, max_retries: 3 });
    });

    it(`bump updated_at on a settings change only (${engine})`, async () => {
      const hook = await createWebhook(db(), alice, { eventTypes: ['credit.added'] });
      await trigger(db(), 'credit.added', {}, alice.sub);
      const [afterTrigger] = await as<WebhookRow>(db(), alice, 'select updated_at, total_deliveries from webhooks where id = $1', [hook.id]);
      expect(afterTrigger).toMatchObject({ updated_at: hook.updated_at, total_deliveries: 1 });
      const [renamed] = await as<WebhookRow>(db(), alice, `update webhooks set name = 'renamed' where id = $1 returning updated_at`, [hook.id]);
      expect((renamed!.updated_at as Date).getTime()).toBeGreaterThan((hook.updated_at as Date).getTime());
    });
  });
});
