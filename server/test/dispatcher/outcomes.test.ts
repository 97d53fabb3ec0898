import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createDispatcher, type Dispatcher } from '../../src/dispatcher/index.js';
import {
  createWebhook,
  getDelivery,
  makeDue,
  memoryLogger,
  openTestDatabase,
  startReceiver,
  trigger,
  type Receiver,
  type TestDatabase,
} from './helpers.js';

/** Seconds from the row's `now()` to its next_retry_at. */
function delaySeconds(row: { next_retry_at: Date | null; now: Date }): number {
  return (row.next_retry_at!.getTime() - row.now.getTime()) / 1000;
}

describe.each(['pglite', 'postgres'] as const)('attempt outcomes on %s', (engine) => {
  let t: TestDatabase;
  let receiver: Receiver;
  let dispatcher: Dispatcher;

  beforeAll(async () => {
    t = await openTestDatabase(engine);
    receiver = await startReceiver();
    // Not started: each test drives attempts with deliverNow, so timing is the test's.
    dispatcher = createDispatcher({ db: t.db, logger: memoryLogger(), workerId: 'w1', allowPrivateNetworks: ['127.0.0.1/32'] });
  }, 60_000);

  afterAll(async () => {
    await dispatcher?.stop();
    await receiver?.close();
    await t?.close();
  });

  beforeEach(() => {
    receiver.reply = () => ({ status: 204 });
  });

  it('retries after retry_delay_seconds * 2^(n-1) within +-20%, then fails when attempts run out', async () => {
    receiver.reply = () => ({ status: 500, body: 'nope' });
    const hook = await createWebhook(t.db, { url: receiver.url, maxRetries: 3, retryDelaySeconds: 100 });
    const [id] = await trigger(t.db, 'video.generated', { n: 1 });
    for (const [attempt, base] of [[1, 100], [2, 200], [3, 400]] as const) {
      await dispatcher.deliverNow(id!);
      const row = await getDelivery(t.db, id!);
      expect(row.status).toBe('retrying');
      expect(row.attempt_number).toBe(attempt);
      expect(row.error_code).toBe('http_error');
      expect(row.response_status).toBe(500);
      expect(row.response_body).toBe('nope');
      expect(delaySeconds(row)).toBeGreaterThanOrEqual(base * 0.8 - 1);
      expect(delaySeconds(row)).toBeLessThanOrEqual(base * 1.2 + 1);
      // Not due yet: deliverNow makes no attempt.
      const sent = receiver.received.length;
      await dispatcher.deliverNow(id!);
      expect(receiver.received.length).toBe(sent);
      await makeDue(t.db, id!);
    }
    await dispatcher.deliverNow(id!);
    const last = await getDelivery(t.db, id!);
    expect(last.status).toBe('failed');
    expect(last.attempt_number).toBe(4);
    expect(last.next_retry_at).toBeNull();
    expect(last.completed_at).not.toBeNull();
    const { rows } = await t.db.query<{ n: number }>(
      'select count(*)::int as n from public.webhook_delivery_attempts where delivery_id = $1',
      [id],
    );
    expect(rows[0]!.n).toBe(4);
    const stats = await t.db.query<{ failed_deliveries: number; successful_deliveries: number }>(
      'select failed_deliveries, successful_deliveries from public.webhooks where id = $1',
      [hook.id],
    );
    expect(stats.rows[0]).toEqual({ failed_deliveries: 1, successful_deliveries: 0 });

    // A manual retry grants one more attempt, which now succeeds; counters move.
    await t.db.withClaims({ role: 'authenticated', sub: hook.userId }, (tx) =>
      tx.query('select public.retry_failed_delivery($1)', [id]),
    );
    receiver.reply = () => ({ status: 200, body: 'ok' });
    await dispatcher.deliverNow(id!);
    const retried = await getDelivery(t.db, id!);
    expect(retried.status).toBe('success');
    expect(retried.attempt_number).toBe(5);
    const after = await t.db.query<{ failed_deliveries: number; successful_deliveries: number }>(
      'select failed_deliveries, successful_deliveries from public.webhooks where id = $1',
      [hook.id],
    );
    expect(after.rows[0]).toEqual({ failed_deliveries: 0, successful_deliveries: 1 });
  });

  it('spreads first retries with jitter instead of one fixed delay', async () => {
    receiver.reply = () => ({ status: 502 });
    await createWebhook(t.db, { url: receiver.url, eventTypes: ['credit.added'], retryDelaySeconds: 1000 });
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) ids.push(...(await trigger(t.db, 'credit.added', { i })));
    for (const id of ids) await dispatcher.deliverNow(id);
    const delays = await Promise.all(ids.map(async (id) => delaySeconds(await getDelivery(t.db, id))));
    for (const d of delays) {
      expect(d).toBeGreaterThanOrEqual(799);
      expect(d).toBeLessThanOrEqual(1201);
    }
    expect(new Set(delays.map((d) => Math.round(d))).size).toBeGreaterThan(3);
  });

  it("honours a receiver's Retry-After (seconds or HTTP date), capped at one hour", async () => {
    await createWebhook(t.db, { url: receiver.url, eventTypes: ['credit.consumed'], retryDelaySeconds: 1 });
    const cases: Array<[string, number]> = [
      ['120', 120],
      ['999999', 3600],
      [new Date(Date.now() + 600_000).toUTCString(), 600],
    ];
    for (const [header, expected] of cases) {
      receiver.reply = () => ({ status: 429, headers: { 'retry-after': header } });
      const [id] = await trigger(t.db, 'credit.consumed', { header });
      await dispatcher.deliverNow(id!);
      const row = await getDelivery(t.db, id!);
      expect(row.status).toBe('retrying');
      expect(delaySeconds(row)).toBeGreaterThanOrEqual(expected - 3);
      expect(delaySeconds(row)).toBeLessThanOrEqual(expected + 1);
    }
  });

  it('treats 3xx as a failure and never follows the redirect', async () => {
    const elsewhere = await startReceiver();
    try {
      receiver.reply = () => ({ status: 302, headers: { location: elsewhere.url } });
      await createWebhook(t.db, { url: receiver.url, eventTypes: ['subscription.created'] });
      const [id] = await trigger(t.db, 'subscription.created', { subscription_id: 's1' });
      await dispatcher.deliverNow(id!);
      const row = await getDelivery(t.db, id!);
      expect(row.status).toBe('retrying');
      expect(row.response_status).toBe(302);
      expect(row.error_code).toBe('redirect');
      expect(row.error_message).toContain(elsewhere.url);
      expect(elsewhere.connections).toBe(0);
    } finally {
      await elsewhere.close();
    }
  });

  it('fails the delivery and disables the webhook on 410 Gone', async () => {
    receiver.reply = () => ({ status: 410 });
    const hook = await createWebhook(t.db, { url: receiver.url, eventTypes: ['subscription.renewed'] });
    const [id] = await trigger(t.db, 'subscription.renewed', { subscription_id: 's2' });
    await dispatcher.deliverNow(id!);
    const row = await getDelivery(t.db, id!);
    expect(row.status).toBe('failed');
    expect(row.error_code).toBe('gone');
    const { rows } = await t.db.query<{ is_active: boolean; disabled_reason: string | null }>(
      'select is_active, disabled_reason from public.webhooks where id = $1',
      [hook.id],
    );
    expect(rows[0]!.is_active).toBe(false);
    expect(rows[0]!.disabled_reason).toMatch(/410/);
    expect(await trigger(t.db, 'subscription.renewed', { subscription_id: 's3' })).toEqual([]);
  });

  it('times out an attempt after timeout_seconds and retries it', async () => {
    receiver.reply = () => ({ status: 200, delayMs: 4000 });
    await createWebhook(t.db, { url: receiver.url, eventTypes: ['subscription.cancelled'], timeoutSeconds: 1 });
    const [id] = await trigger(t.db, 'subscription.cancelled', { subscription_id: 's4' });
    const started = Date.now();
    await dispatcher.deliverNow(id!);
    expect(Date.now() - started).toBeLessThan(3500);
    const row = await getDelivery(t.db, id!);
    expect(row.status).toBe('retrying');
    expect(row.error_code).toBe('timeout');
    expect(row.response_status).toBeNull();
  });

  it('makes exactly one attempt when retry_enabled is false', async () => {
    receiver.reply = () => ({ status: 500 });
    const hook = await createWebhook(t.db, { url: receiver.url, eventTypes: ['video.generated'], retryEnabled: false });
    const ids = await trigger(t.db, 'video.generated', { n: 2 });
    const mine = (
      await t.db.query<{ id: string }>('select id from public.webhook_deliveries where id = any($1) and webhook_id = $2', [ids, hook.id])
    ).rows[0]!.id;
    await dispatcher.deliverNow(mine);
    const row = await getDelivery(t.db, mine);
    expect(row.status).toBe('failed');
    expect(row.attempt_number).toBe(1);
    expect(row.max_attempts).toBe(1);
  });

  it('records refused connections, resets and oversized bodies', async () => {
    const closed = await startReceiver();
    const closedUrl = closed.url;
    await closed.close();
    await createWebhook(t.db, { url: closedUrl, eventTypes: ['video.failed'] });
    const [refused] = await trigger(t.db, 'video.failed', { e: 1 });
    await dispatcher.deliverNow(refused!);
    expect((await getDelivery(t.db, refused!)).error_code).toBe('connection_refused');

    const resetter = await startReceiver('127.0.0.1', () => ({ destroy: true }));
    const big = await startReceiver('127.0.0.1', () => ({ status: 200, body: 'x'.repeat(200_000) }));
    try {
      await createWebhook(t.db, { url: resetter.url, eventTypes: ['credit.added'] });
      await createWebhook(t.db, { url: big.url, eventTypes: ['credit.added'] });
      const ids = await trigger(t.db, 'credit.added', { e: 2 });
      for (const id of ids) await dispatcher.deliverNow(id);
      const rows = await Promise.all(ids.map((id) => getDelivery(t.db, id)));
      const reset = rows.find((r) => r.request_url === resetter.url)!;
      expect(reset.error_code).toBe('connection_reset');
      expect(reset.status).toBe('retrying');
      const large = rows.find((r) => r.request_url === big.url)!;
      expect(large.status).toBe('success');
      expect(large.response_body_truncated).toBe(true);
      expect(large.response_body!.length).toBe(65_536);
    } finally {
      await resetter.close();
      await big.close();
    }
  });

  it('verifies an endpoint that echoes the challenge, and not one that does not', async () => {
    receiver.reply = (req) => ({ status: 200, body: JSON.stringify({ challenge: (JSON.parse(req.body) as { data: { challenge: string } }).data.challenge }) });
    const good = await createWebhook(t.db, { url: receiver.url, eventTypes: [] });
    const request = (hookId: string, userId: string) =>
      t.db.withClaims({ role: 'authenticated', sub: userId }, (tx) =>
        tx.query<{ id: string }>('select id from public.request_webhook_verification($1)', [hookId]),
      );
    const v1 = (await request(good.id, good.userId)).rows[0]!.id;
    await dispatcher.deliverNow(v1);
    expect((await getDelivery(t.db, v1)).status).toBe('success');
    const verified = await t.db.query<{ is_verified: boolean }>('select is_verified from public.webhooks where id = $1', [good.id]);
    expect(verified.rows[0]!.is_verified).toBe(true);

    receiver.reply = () => ({ status: 200, body: '{"challenge":"wrong"}' });
    const bad = await createWebhook(t.db, { url: receiver.url, eventTypes: [] });
    const v2 = (await request(bad.id, bad.userId)).rows[0]!.id;
    await dispatcher.deliverNow(v2);
    const row = await getDelivery(t.db, v2);
    expect(row.status).toBe('failed');
    expect(row.error_code).toBe('challenge_mismatch');
    const notVerified = await t.db.query<{ is_verified: boolean }>('select is_verified from public.webhooks where id = $1', [bad.id]);
    expect(notVerified.rows[0]!.is_verified).toBe(false);
  });
});
