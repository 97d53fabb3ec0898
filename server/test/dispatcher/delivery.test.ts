import { createHmac } from 'node:crypto';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { Webhook as SvixWebhook } from 'svix';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDispatcher, type Dispatcher } from '../../src/dispatcher/index.js';
import {
  createWebhook,
  eventually,
  getDelivery,
  memoryLogger,
  openTestDatabase,
  startReceiver,
  trigger,
  type Receiver,
  type TestDatabase,
} from './helpers.js';

describe.each(['pglite', 'postgres'] as const)('delivery on %s', (engine) => {
  let t: TestDatabase;
  let receiver: Receiver;
  let dispatcher: Dispatcher;
  const logger = memoryLogger();

  beforeAll(async () => {
    t = await openTestDatabase(engine);
    receiver = await startReceiver();
    dispatcher = createDispatcher({
      db: t.db,
      logger,
      workerId: `test-${engine}`,
      pollIntervalMs: 50,
      allowPrivateNetworks: ['127.0.0.0/8'],
    });
    await dispatcher.start();
  }, 60_000);

  afterAll(async () => {
    await dispatcher?.stop();
    await receiver?.close();
    await t?.close();
  });

  it('POSTs the signed envelope; the official standardwebhooks and svix verifiers accept it', async () => {
    const hook = await createWebhook(t.db, { url: receiver.url });
    const before = receiver.received.length;
    const [id] = await trigger(t.db, 'video.generated', { video_id: 'v1', url: 'https://cdn.example/v1.mp4' });
    await receiver.waitFor(before + 1);
    const got = receiver.received[before]!;

    expect(got.headers['webhook-id']).toBe(id);
    expect(got.headers['content-type']).toBe('application/json');
    expect(got.headers['user-agent']).toMatch(/^Hookline\/\d+\.\d+\.\d+ \(\+https:\/\/github\.com\/hookline\/hookline\)$/);
    const ts = Number(got.headers['webhook-timestamp']);
    expect(Math.abs(ts - Date.now() / 1000)).toBeLessThan(5);
    expect(String(got.headers['webhook-signature'])).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);

    const envelope = JSON.parse(got.body) as { type: string; timestamp: string; data: unknown };
    expect(envelope.type).toBe('video.generated');
    expect(envelope.data).toEqual({ video_id: 'v1', url: 'https://cdn.example/v1.mp4' });
    expect(Number.isNaN(Date.parse(envelope.timestamp))).toBe(false);

    const headers = {
      'webhook-id': String(got.headers['webhook-id']),
      'webhook-timestamp': String(got.headers['webhook-timestamp']),
      'webhook-signature': String(got.headers['webhook-signature']),
    };
    expect(new StandardWebhook(hook.secret).verify(got.body, headers)).toEqual(envelope);
    expect(new SvixWebhook(hook.secret).verify(got.body, headers)).toEqual(envelope);
    // A wrong secret must not verify: the check above can fail.
    expect(() => new StandardWebhook('whsec_' + Buffer.alloc(32, 7).toString('base64')).verify(got.body, headers)).toThrow();

    const row = await eventually(async () => {
      const d = await getDelivery(t.db, id!);
      return d.status === 'success' ? d : null;
    });
    expect(row.attempt_number).toBe(1);
    expect(row.response_status).toBe(204);
    expect(row.locked_by).toBeNull();
    const { rows: attempts } = await t.db.query<{ attempt_number: number; response_status: number; worker_id: string }>(
      'select attempt_number, response_status, worker_id from public.webhook_delivery_attempts where delivery_id = $1',
      [id],
    );
    expect(attempts).toEqual([{ attempt_number: 1, response_status: 204, worker_id: `test-${engine}` }]);
    const { rows: stats } = await t.db.query<{ total_deliveries: number; successful_deliveries: number; failed_deliveries: number }>(
      'select total_deliveries, successful_deliveries, failed_deliveries from public.webhooks where id = $1',
      [hook.id],
    );
    expect(stats[0]).toEqual({ total_deliveries: 1, successful_deliveries: 1, failed_deliveries: 0 });
    expect(logger.lines.join('\n')).not.toContain(hook.secret.slice(6));
  });

  it('signs sha512 webhooks as v1-sha512 over id.timestamp.body with the decoded secret', async () => {
    const hook = await createWebhook(t.db, { url: receiver.url, signatureAlgorithm: 'sha512', eventTypes: ['credit.added'] });
    const before = receiver.received.length;
    const [id] = await trigger(t.db, 'credit.added', { amount: 5, balance: 10 });
    await receiver.waitFor(before + 1);
    const got = receiver.received[before]!;
    const signature = String(got.headers['webhook-signature']);
    expect(signature.startsWith('v1-sha512,')).toBe(true);
    const expected = createHmac('sha512', Buffer.from(hook.secret.slice('whsec_'.length), 'base64'))
      .update(`${id}.${String(got.headers['webhook-timestamp'])}.${got.body}`)
      .digest('base64');
    expect(signature).toBe(`v1-sha512,${expected}`);
  });

  it('signs with the new and the previous secret during a rotation grace period', async () => {
    const hook = await createWebhook(t.db, { url: receiver.url, eventTypes: ['credit.consumed'] });
    const rotated = await t.db.withClaims({ role: 'authenticated', sub: hook.userId }, (tx) =>
      tx.query<{ r: { secret: string } }>('select public.rotate_webhook_secret($1, 3600) as r', [hook.id]),
    );
    const newSecret = rotated.rows[0]!.r.secret;
    expect(newSecret).not.toBe(hook.secret);
    const before = receiver.received.length;
    await trigger(t.db, 'credit.consumed', { amount: 1, balance: 9 });
    await receiver.waitFor(before + 1);
    const got = receiver.received[before]!;
    const signatures = String(got.headers['webhook-signature']).split(' ');
    expect(signatures).toHaveLength(2);
    const headers = {
      'webhook-id': String(got.headers['webhook-id']),
      'webhook-timestamp': String(got.headers['webhook-timestamp']),
      'webhook-signature': String(got.headers['webhook-signature']),
    };
    expect(() => new StandardWebhook(newSecret).verify(got.body, headers)).not.toThrow();
    expect(() => new StandardWebhook(hook.secret).verify(got.body, headers)).not.toThrow();
    // Each signature on its own verifies with exactly one of the secrets.
    const alone = (sig: string) => ({ ...headers, 'webhook-signature': sig });
    expect(() => new StandardWebhook(newSecret).verify(got.body, alone(signatures[0]!))).not.toThrow();
    expect(() => new StandardWebhook(hook.secret).verify(got.body, alone(signatures[1]!))).not.toThrow();
    expect(() => new StandardWebhook(hook.secret).verify(got.body, alone(signatures[0]!))).toThrow();

    // After the grace period only the new secret signs.
    await t.db.query('update public.webhooks set previous_secret_expires_at = now() - interval \'1 second\' where id = $1', [hook.id]);
    const next = receiver.received.length;
    await trigger(t.db, 'credit.consumed', { amount: 2, balance: 7 });
    await receiver.waitFor(next + 1);
    expect(String(receiver.received[next]!.headers['webhook-signature']).split(' ')).toHaveLength(1);
  });

  it('keeps webhook-id stable across retries with a fresh timestamp', async () => {
    let calls = 0;
    receiver.reply = () => (++calls === 1 ? { status: 503 } : { status: 200 });
    try {
      await createWebhook(t.db, { url: receiver.url, eventTypes: ['video.failed'], retryDelaySeconds: 1 });
      const before = receiver.received.length;
      const [id] = await trigger(t.db, 'video.failed', { video_id: 'v2', error: 'boom' });
      await receiver.waitFor(before + 2, 15_000);
      const [first, second] = receiver.received.slice(before);
      expect(first!.headers['webhook-id']).toBe(id);
      expect(second!.headers['webhook-id']).toBe(id);
      expect(second!.body).toBe(first!.body);
      expect(second!.at - first!.at).toBeGreaterThanOrEqual(750);
      const row = await eventually(async () => {
        const d = await getDelivery(t.db, id!);
        return d.status === 'success' ? d : null;
      });
      expect(row.attempt_number).toBe(2);
    } finally {
      receiver.reply = () => ({ status: 204 });
    }
  }, 20_000);
});
