import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDispatcher, type Dispatcher } from '../../src/dispatcher/index.js';
import {
  createWebhook,
  eventually,
  getDelivery,
  makeDue,
  memoryLogger,
  openTestDatabase,
  startReceiver,
  trigger,
  type Receiver,
  type TestDatabase,
} from './helpers.js';

describe.each(['pglite', 'postgres'] as const)('claim loop on %s', (engine) => {
  let t: TestDatabase;
  let receiver: Receiver;
  const running: Dispatcher[] = [];

  const start = async (opts: { pollIntervalMs?: number; shutdownTimeoutMs?: number } = {}): Promise<Dispatcher> => {
    const d = createDispatcher({ db: t.db, logger: memoryLogger(), allowPrivateNetworks: ['127.0.0.1/32'], ...opts });
    await d.start();
    running.push(d);
    return d;
  };

  beforeAll(async () => {
    t = await openTestDatabase(engine);
    receiver = await startReceiver();
  }, 60_000);

  afterAll(async () => {
    for (const d of running) await d.stop();
    await receiver?.close();
    await t?.close();
  });

  it('wakes on NOTIFY without waiting for the poll interval', async () => {
    await createWebhook(t.db, { url: receiver.url, eventTypes: ['video.generated'] });
    const d = await start({ pollIntervalMs: 60_000 });
    const before = receiver.received.length;
    const started = Date.now();
    await trigger(t.db, 'video.generated', { n: 1 });
    await receiver.waitFor(before + 1, 5000);
    expect(Date.now() - started).toBeLessThan(5000);
    await d.stop();
  });

  it('does not lose a notification that arrives while a claim runs', async () => {
    await createWebhook(t.db, { url: receiver.url, eventTypes: ['video.failed'] });
    const d = await start({ pollIntervalMs: 60_000 });
    const before = receiver.received.length;
    // Back-to-back triggers: some notifications land while a claim is in flight.
    for (let i = 0; i < 40; i++) await trigger(t.db, 'video.failed', { i });
    await receiver.waitFor(before + 40, 10_000);
    await d.stop();
  });

  it('finds due retries by polling when nothing notifies', async () => {
    receiver.reply = () => ({ status: 500 });
    await createWebhook(t.db, { url: receiver.url, eventTypes: ['credit.added'], retryDelaySeconds: 3600 });
    const d = await start({ pollIntervalMs: 100 });
    const [id] = await trigger(t.db, 'credit.added', { n: 1 });
    await eventually(async () => (await getDelivery(t.db, id!)).status === 'retrying');
    receiver.reply = () => ({ status: 204 });
    const before = receiver.received.length;
    await makeDue(t.db, id!); // no pg_notify: only the poll can find it
    await receiver.waitFor(before + 1, 5000);
    await eventually(async () => (await getDelivery(t.db, id!)).status === 'success');
    await d.stop();
  });

  it('on stop finishes requests in flight within the bound and claims nothing more', async () => {
    receiver.reply = () => ({ status: 200, delayMs: 300 });
    await createWebhook(t.db, { url: receiver.url, eventTypes: ['credit.consumed'] });
    const d = await start({ pollIntervalMs: 50, shutdownTimeoutMs: 5000 });
    const before = receiver.received.length;
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) ids.push(...(await trigger(t.db, 'credit.consumed', { i })));
    await receiver.waitFor(before + 4);
    await d.stop();
    for (const id of ids) expect((await getDelivery(t.db, id)).status).toBe('success');
    const after = receiver.received.length;
    const [late] = await trigger(t.db, 'credit.consumed', { late: true });
    await new Promise((r) => setTimeout(r, 300));
    expect(receiver.received.length).toBe(after);
    expect((await getDelivery(t.db, late!)).status).toBe('pending');
    expect((await getDelivery(t.db, late!)).locked_by).toBeNull();
    await t.db.query('delete from public.webhook_deliveries where id = $1', [late]);
  });

  it('on stop releases what it could not finish in time; the next worker sends it with the same webhook-id', async () => {
    receiver.reply = () => ({ status: 200, delayMs: 4000 });
    await createWebhook(t.db, { url: receiver.url, eventTypes: ['subscription.created'] });
    const d = await start({ pollIntervalMs: 50, shutdownTimeoutMs: 200 });
    const before = receiver.received.length;
    const [id] = await trigger(t.db, 'subscription.created', { s: 1 });
    await eventually(async () => receiver.received.some((r) => r.headers['webhook-id'] === id));
    const stopping = Date.now();
    await d.stop();
    expect(Date.now() - stopping).toBeLessThan(3000);
    const released = await getDelivery(t.db, id!);
    expect(released.status).toBe('pending');
    expect(released.attempt_number).toBe(0);
    expect(released.locked_by).toBeNull();

    receiver.reply = () => ({ status: 204 });
    const next = await start({ pollIntervalMs: 50 });
    await eventually(async () => (await getDelivery(t.db, id!)).status === 'success');
    const sent = receiver.received.slice(before).filter((r) => r.headers['webhook-id'] === id);
    expect(sent.length).toBeGreaterThanOrEqual(2);
    await next.stop();
  });
});
