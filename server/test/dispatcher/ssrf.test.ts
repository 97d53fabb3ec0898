import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDispatcher } from '../../src/dispatcher/index.js';
import type { LookupAll } from '../../src/dispatcher/index.js';
import { createWebhook, getDelivery, memoryLogger, openTestDatabase, startReceiver, trigger, type Receiver, type TestDatabase } from './helpers.js';

describe('SSRF guard', () => {
  let t: TestDatabase;
  let receiver: Receiver;
  let lookups: string[];
  // A resolver a test controls: `*.internal.test` resolves to loopback, like a
  // DNS name an attacker points at the worker's own network.
  const lookup: LookupAll = async (hostname) => {
    lookups.push(hostname);
    if (hostname.endsWith('.internal.test')) return [{ address: '127.0.0.1', family: 4 }];
    if (hostname === 'slow.test') return new Promise(() => {});
    if (hostname === 'mixed.test') return [{ address: '10.0.0.7', family: 4 }, { address: '127.0.0.1', family: 4 }];
    throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
  };

  beforeAll(async () => {
    t = await openTestDatabase('pglite');
    receiver = await startReceiver();
  }, 60_000);

  afterAll(async () => {
    await receiver?.close();
    await t?.close();
  });

  async function attempt(url: string, allowPrivateNetworks: string[] = [], resolver: LookupAll | null = lookup) {
    lookups = [];
    const dispatcher = createDispatcher({ db: t.db, logger: memoryLogger(), lookup: resolver ?? undefined, allowPrivateNetworks });
    try {
      const hook = await createWebhook(t.db, { url, eventTypes: [] });
      const { rows } = await t.db.withClaims({ role: 'authenticated', sub: hook.userId }, (tx) =>
        tx.query<{ id: string }>('select id from public.send_test_webhook_event($1)', [hook.id]),
      );
      await dispatcher.deliverNow(rows[0]!.id);
      return getDelivery(t.db, rows[0]!.id);
    } finally {
      await dispatcher.stop();
    }
  }

  it('refuses loopback, private, shared, link-local, metadata, unspecified and mapped targets without connecting', async () => {
    const port = receiver.port;
    const targets = [
      `http://127.0.0.1:${port}/hook`,
      `http://[::ffff:127.0.0.1]:${port}/hook`,
      `http://[::1]:${port}/hook`,
      'http://10.0.0.1/hook',
      'http://172.20.1.1/hook',
      'http://192.168.0.10/hook',
      'http://100.64.0.1/hook',
      'http://169.254.169.254/latest/meta-data/',
      'http://[fd00:ec2::254]/hook',
      'http://[fe80::1]/hook',
      'http://0.0.0.0:80/hook',
      'http://[::ffff:a9fe:a9fe]/hook',
      'http://224.0.0.1/hook',
    ];
    for (const url of targets) {
      const row = await attempt(url);
      expect(row.status, url).toBe('failed');
      expect(row.error_code, url).toBe('blocked_address');
      expect(row.error_message, url).toMatch(/HOOKLINE_ALLOW_PRIVATE_NETWORKS/);
      expect(row.attempt_number).toBe(1);
    }
    expect(receiver.connections).toBe(0);
  });

  it('refuses a DNS name that resolves to a refused address', async () => {
    const row = await attempt(`http://hooks.internal.test:${receiver.port}/hook`);
    expect(row.error_code).toBe('blocked_address');
    expect(row.error_message).toContain('127.0.0.1 (loopback)');
    expect(lookups).toEqual(['hooks.internal.test']);
    // The system resolver: localhost is loopback.
    const named = await attempt(`http://localhost:${receiver.port}/hook`, [], null);
    expect(named.error_code).toBe('blocked_address');
    expect(named.error_message).toMatch(/loopback/);
    expect(receiver.connections).toBe(0);
  });

  it('connects to the checked address with the name kept in Host, resolving once', async () => {
    const before = receiver.received.length;
    const row = await attempt(`http://hooks.internal.test:${receiver.port}/hook`, ['127.0.0.1/32']);
    expect(row.status).toBe('success');
    expect(receiver.received.length).toBe(before + 1);
    expect(receiver.received[before]!.headers.host).toBe(`hooks.internal.test:${receiver.port}`);
    expect(lookups).toEqual(['hooks.internal.test']);
  });

  it('uses an allowed address of several and never the refused one', async () => {
    const before = receiver.received.length;
    const row = await attempt(`http://mixed.test:${receiver.port}/hook`, ['127.0.0.1/32']);
    expect(row.status).toBe('success');
    expect(receiver.received.length).toBe(before + 1);
  });

  it('bounds a hanging DNS lookup by the attempt timeout', async () => {
    const hook = await createWebhook(t.db, { url: 'http://slow.test/hook', eventTypes: [], timeoutSeconds: 1 });
    const dispatcher = createDispatcher({ db: t.db, logger: memoryLogger(), lookup });
    try {
      const { rows } = await t.db.withClaims({ role: 'authenticated', sub: hook.userId }, (tx) =>
        tx.query<{ id: string }>('select id from public.send_test_webhook_event($1)', [hook.id]),
      );
      const started = Date.now();
      await dispatcher.deliverNow(rows[0]!.id);
      expect(Date.now() - started).toBeLessThan(3000);
      expect((await getDelivery(t.db, rows[0]!.id)).error_code).toBe('timeout');
    } finally {
      await dispatcher.stop();
    }
  });

  it('reports a name that does not resolve as a DNS error', async () => {
    const row = await attempt('http://nowhere.invalid/hook');
    expect(row.error_code).toBe('dns_error');
    expect(row.error_message).toContain('nowhere.invalid');
  });
});
