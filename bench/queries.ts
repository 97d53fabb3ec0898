/**
 * Query benchmarks on a throwaway PostgreSQL 15 cluster (SPEC section 8):
 * get_webhook_statistics over 1,000,000 deliveries of one webhook, webhook
 * creation through create_webhook, and retry-queue reads through
 * get_pending_webhook_retries — each called the way the API calls it (one
 * transaction with the caller's role and claims). The seed promised < 200 ms,
 * < 50 ms and < 100 ms.
 */
import { randomUUID } from 'node:crypto';
import { migrate, openPostgres, type Database } from '@hookline/database';
import { startPostgresCluster } from '@hookline/database/testing';
import { createWebhook, fmt, machine, now, percentile } from './lib/common.js';

const ROWS = Number(process.env.BENCH_STATS_ROWS ?? 1_000_000);

async function timed(runs: number, fn: () => Promise<unknown>): Promise<{ p50: number; p99: number; min: number }> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = now();
    await fn();
    times.push(now() - t);
  }
  return { p50: percentile(times, 50), p99: percentile(times, 99), min: Math.min(...times) };
}

const line = (label: string, r: { p50: number; p99: number; min: number }, promise: number): string =>
  `  ${label}: p50 ${fmt(r.p50, 2)} ms, p99 ${fmt(r.p99, 2)} ms, min ${fmt(r.min, 2)} ms` +
  ` (seed promise < ${promise} ms: ${fmt(promise / r.p50, 0)}x under at p50)`;

console.log(`# Query benchmarks\nmachine: ${machine()}\n`);
const cluster = await startPostgresCluster();
try {
  const url = await cluster.createDatabase();
  const db: Database = await openPostgres(url, { max: 4 });
  await migrate(db);
  const userId = randomUUID();
  const webhookId = await createWebhook(db, userId, 'https://example.com/hook', 'video.generated');
  // Other users' webhooks, so the tables are not one user's alone.
  for (let i = 0; i < 50; i++) await createWebhook(db, randomUUID(), 'https://example.com/other', 'video.generated');

  // 1,000,000 deliveries over the last 30 days: 90% success, 7% failed, 3% retrying (half of them due).
  const started = now();
  const chunk = 100_000;
  for (let from = 0; from < ROWS; from += chunk) {
    await db.query(
      `insert into public.webhook_deliveries (
         webhook_id, user_id, event_id, event_type, status, request_url, request_payload,
         response_status, response_time_ms, attempt_number, max_attempts, next_retry_at, created_at, completed_at)
       select $1, $2, gen_random_uuid(),
              (array['video.generated','video.failed','credit.added','credit.consumed','subscription.created','subscription.renewed','subscription.cancelled'])[1 + g % 7],
              case when g % 100 < 90 then 'success' when g % 100 < 97 then 'failed' else 'retrying' end,
              'https://example.com/hook', '{"type":"video.generated","timestamp":"2026-12-01T00:00:00Z","data":{}}'::jsonb,
              case when g % 100 < 90 then 200 else 500 end, 20 + g % 300, 1, 4,
              case when g % 100 >= 97 then now() + (case when g % 2 = 0 then -1 else 1 end) * interval '1 hour' end,
              now() - (g % (30 * 24 * 60)) * interval '1 minute',
              case when g % 100 < 97 then now() - (g % (30 * 24 * 60)) * interval '1 minute' end
       from generate_series($3::int, $4::int) g`,
      [webhookId, userId, from, Math.min(from + chunk, ROWS) - 1],
    );
  }
  await db.exec('vacuum analyze');
  console.log(`(loaded ${fmt(ROWS)} deliveries in ${fmt((now() - started) / 1000, 1)} s)\n`);

  const statsCall = () =>
    db.withClaims({ role: 'authenticated', sub: userId }, (tx) =>
      tx.query<{ s: { total_deliveries: number } }>('select public.get_webhook_statistics($1, 31) as s', [webhookId]),
    );
  const counted = (await statsCall()).rows[0]!.s.total_deliveries;
  const stats = await timed(7, statsCall);
  console.log(line(`statistics over ${fmt(ROWS)} deliveries (counted ${fmt(counted)})`, stats, 200));

  const create = await timed(200, () =>
    db.withClaims({ role: 'authenticated', sub: userId }, (tx) =>
      tx.query("select id from public.create_webhook('bench', 'https://example.com/new', array['credit.added'])"),
    ),
  );
  console.log(line('webhook creation (create_webhook, 1 event type)', create, 50));

  const retries = await timed(50, () =>
    db.withClaims({ role: 'service_role' }, (tx) => tx.query('select id from public.get_pending_webhook_retries(100)')),
  );
  console.log(line(`retry-queue read (100 of ~${fmt(ROWS * 0.015)} due)`, retries, 100));
  await db.close();
} finally {
  await cluster.stop();
}
