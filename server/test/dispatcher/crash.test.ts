import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { migrate, openPostgres, type Database } from '@hookline/database';
import { startPostgresCluster, type PostgresCluster } from '@hookline/database/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createWebhook, eventually, startReceiver, trigger, type Receiver } from './helpers.js';

const ENTRY = fileURLToPath(new URL('./worker-entry.ts', import.meta.url));

/** Starts a dispatcher child process and waits until it claims. */
async function startWorker(url: string, workerId: string, extraEnv: Record<string, string> = {}): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', ENTRY], {
    env: { ...process.env, DATABASE_URL: url, WORKER_ID: workerId, ...extraEnv },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`worker ${workerId} exited with ${code}`)));
    child.stdout!.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('ready')) resolve();
    });
  });
  return child;
}

describe('worker processes on one PostgreSQL', () => {
  let cluster: PostgresCluster;
  let url: string;
  let db: Database;
  let receiver: Receiver;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    cluster = await startPostgresCluster();
  }, 60_000);

  afterEach(async () => {
    for (const child of children.splice(0)) {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await new Promise((resolve) => child.once('exit', resolve));
      }
    }
    await receiver?.close();
    await db?.close();
  });

  afterAll(async () => {
    await cluster?.stop();
  });

  /** A fresh migrated database with `webhooks` endpoints subscribed to video.generated. */
  async function prepare(webhooks: number, replyDelayMs: number) {
    url = await cluster.createDatabase();
    db = await openPostgres(url, { max: 4 });
    await migrate(db);
    receiver = await startReceiver('127.0.0.1', () => ({ status: 200, delayMs: replyDelayMs }));
    for (let i = 0; i < webhooks; i++) await createWebhook(db, { url: receiver.url, timeoutSeconds: 1 });
  }

  /** Triggers `events` events, each fanning out to every webhook, while the workers run. */
  async function triggerMany(events: number): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < events; i++) ids.push(...(await trigger(db, 'video.generated', { video_id: `v${i}` })));
    return ids;
  }

  async function allSucceeded(total: number, timeoutMs: number): Promise<void> {
    await eventually(async () => {
      const { rows } = await db.query<{ n: number }>("select count(*)::int as n from public.webhook_deliveries where status = 'success'");
      return rows[0]!.n === total;
    }, timeoutMs);
  }

  it('loses nothing when a worker is SIGKILLed mid-flight; duplicates carry the same webhook-id', async () => {
    await prepare(10, 30);
    const env = { LEASE_SECONDS: '2', CONCURRENCY: '40', BATCH_SIZE: '20' };
    const a = await startWorker(url, 'crash-a', env);
    const b = await startWorker(url, 'crash-b', env);
    children.push(a, b);
    const ids = await triggerMany(150);
    expect(ids).toHaveLength(1500);

    await receiver.waitFor(300, 30_000);
    a.kill('SIGKILL');
    await new Promise((resolve) => a.once('exit', resolve));
    const { rows: held } = await db.query<{ id: string }>(
      "select id from public.webhook_deliveries where locked_by = 'crash-a' and status in ('pending', 'retrying')",
    );
    const heldIds = held.map((r) => r.id);
    // The kill must have caught deliveries in flight, or the takeover path was not exercised.
    expect(heldIds.length).toBeGreaterThan(0);

    await allSucceeded(ids.length, 60_000);
    const received = receiver.received.map((r) => String(r.headers['webhook-id']));
    const unique = new Set(received);
    expect(unique.size).toBe(ids.length);
    expect([...unique].sort()).toEqual([...ids].sort());
    // Duplicates are only what crash-a had in flight, and each repeats the same id and bytes.
    const duplicates = received.length - unique.size;
    expect(duplicates).toBeLessThanOrEqual(40);
    const bodies = new Map<string, string>();
    for (const r of receiver.received) {
      const id = String(r.headers['webhook-id']);
      const seen = bodies.get(id);
      if (seen !== undefined) expect(r.body).toBe(seen);
      bodies.set(id, r.body);
    }
    const { rows: leftovers } = await db.query<{ n: number }>(
      'select count(*)::int as n from public.webhook_deliveries where locked_by is not null',
    );
    expect(leftovers[0]!.n).toBe(0);
    // What crash-a held when it died was finished by crash-b.
    const { rows: finishedByB } = await db.query<{ n: number }>(
      `select count(*)::int as n from public.webhook_delivery_attempts where worker_id = 'crash-b' and delivery_id = any($1)`,
      [heldIds],
    );
    expect(finishedByB[0]!.n).toBe(heldIds.length);
    // Counters stay right through the takeover: each delivery counted once.
    const { rows: counters } = await db.query<{ total: number; ok: number; failed: number }>(
      `select sum(total_deliveries)::int as total, sum(successful_deliveries)::int as ok, sum(failed_deliveries)::int as failed
         from public.webhooks`,
    );
    expect(counters[0]).toEqual({ total: ids.length, ok: ids.length, failed: 0 });
  }, 120_000);

  it('two workers without a crash never send the same attempt twice, and both work', async () => {
    await prepare(10, 5);
    const env = { LEASE_SECONDS: '30', CONCURRENCY: '40', BATCH_SIZE: '20' };
    children.push(await startWorker(url, 'pair-a', env), await startWorker(url, 'pair-b', env));
    const ids = await triggerMany(150);
    await allSucceeded(ids.length, 60_000);
    const received = receiver.received.map((r) => String(r.headers['webhook-id']));
    expect(received).toHaveLength(ids.length);
    expect(new Set(received).size).toBe(ids.length);
    const { rows } = await db.query<{ worker_id: string; n: number; max_attempt: number }>(
      `select worker_id, count(*)::int as n, max(attempt_number)::int as max_attempt
         from public.webhook_delivery_attempts group by worker_id order by worker_id`,
    );
    expect(rows.map((r) => r.worker_id)).toEqual(['pair-a', 'pair-b']);
    expect(rows.reduce((sum, r) => sum + r.n, 0)).toBe(ids.length);
    expect(rows.every((r) => r.max_attempt === 1 && r.n > 0)).toBe(true);

    // SIGTERM: both stop gracefully and leave no lease behind.
    for (const child of children) child.kill('SIGTERM');
    const codes = await Promise.all(children.map((c) => new Promise<number | null>((resolve) => c.once('exit', resolve))));
    expect(codes).toEqual([0, 0]);
  }, 120_000);
});
