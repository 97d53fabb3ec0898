/**
 * Fan-out and delivery benchmarks on a throwaway PostgreSQL 15 cluster (SPEC
 * section 8). Everything is measured in this one run, so the ratios hold on a
 * noisy machine:
 * - fan-out: deliveries created per second by trigger_webhook_event at 1, 10
 *   and 100 subscribed webhooks;
 * - raw: keep-alive node:http POSTs per second to the receiver (the limit);
 * - end to end, with 1, 2 and 4 worker processes: deliveries per second
 *   draining a backlog, and trigger-to-receipt latency (p50/p99) at a paced
 *   200 deliveries/s.
 * The receiver, the workers and the raw client each run in their own process.
 */
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { migrate, openPostgres } from '@hookline/database';
import { startPostgresCluster } from '@hookline/database/testing';
import { childCpuSeconds, cpuSecondsSince, cpuTicksByPid, createWebhook, exited, fmt, lineFrom, machine, now, percentile, sleep, spawnScript } from './lib/common.js';

const FANOUT_SECONDS = Number(process.env.BENCH_FANOUT_SECONDS ?? 3);
const BACKLOG = Number(process.env.BENCH_BACKLOG ?? 30_000);
const PACED_RATE = 200;
const PACED_SECONDS = Number(process.env.BENCH_PACED_SECONDS ?? 5);
const WORKER_COUNTS = (process.env.BENCH_WORKERS ?? '1,2,4').split(',').map(Number);

console.log(`# Delivery benchmarks\nmachine: ${machine()}\n`);
const cluster = await startPostgresCluster();
const children: ChildProcess[] = [];
try {
  const url = await cluster.createDatabase();
  const db = await openPostgres(url, { max: 8 });
  await migrate(db);
  const userId = randomUUID();

  // --- receiver (own process)
  const receiver = spawnScript('receiver', {}, true);
  children.push(receiver);
  const port = await new Promise<number>((resolve) => receiver.once('message', (m: { port: number }) => resolve(m.port)));
  const receiverUrl = `http://127.0.0.1:${port}/hook`;
  const ask = <T>(type: string): Promise<T> =>
    new Promise((resolve) => {
      receiver.once('message', (m: T) => resolve(m));
      receiver.send({ type });
    });

  // --- fan-out
  console.log('## Fan-out: deliveries created per second by trigger_webhook_event (one producer, sequential calls)');
  const fanout: Array<{ subscribers: number; calls: number; perSecond: number }> = [];
  for (const [subscribers, eventType] of [
    [1, 'video.generated'],
    [10, 'credit.added'],
    [100, 'subscription.created'],
  ] as const) {
    for (let i = 0; i < subscribers; i++) await createWebhook(db, userId, receiverUrl, eventType);
    const payload = JSON.stringify({ id: 'evt_1', amount: 42, note: 'x'.repeat(150) });
    // warm-up
    for (let i = 0; i < 5; i++) await db.query('select public.trigger_webhook_event($1, $2::jsonb)', [eventType, payload]);
    let calls = 0;
    const started = now();
    while (now() - started < FANOUT_SECONDS * 1000) {
      await db.query('select public.trigger_webhook_event($1, $2::jsonb)', [eventType, payload]);
      calls++;
    }
    const seconds = (now() - started) / 1000;
    const perSecond = (calls * subscribers) / seconds;
    fanout.push({ subscribers, calls, perSecond });
    console.log(`  ${String(subscribers).padStart(3)} subscribers: ${fmt(perSecond)} deliveries/s (${fmt(calls / seconds)} calls/s)`);
  }
  await db.exec('truncate public.webhook_deliveries cascade');

  // --- raw POST limit
  console.log('\n## Raw keep-alive node:http POST rate to the same receiver (the limit)');
  const rawCpu = { client: 0, receiver: 0, requests: 0 };
  const rawRun = async (processes: number): Promise<number> => {
    const receiverBefore = childCpuSeconds([receiver.pid!]);
    const runs = Array.from({ length: processes }, () => {
      const child = spawnScript('raw-post', { TARGET_URL: receiverUrl, CONCURRENCY: '100', DURATION_MS: '2500' });
      children.push(child);
      let cpu = 0;
      const sample = setInterval(() => (cpu = childCpuSeconds([child.pid!]) || cpu), 50);
      return lineFrom(child, (l) => l.startsWith('{')).then((l) => {
        clearInterval(sample);
        cpu = childCpuSeconds([child.pid!]) || cpu;
        const result = JSON.parse(l) as { perSecond: number; requests: number };
        rawCpu.client += cpu;
        rawCpu.requests += result.requests;
        return result.perSecond;
      });
    });
    const rates = await Promise.all(runs);
    rawCpu.receiver += childCpuSeconds([receiver.pid!]) - receiverBefore;
    await ask('report');
    return rates.reduce((a, b) => a + b, 0);
  };
  const raw1 = await rawRun(1);
  const raw2 = await rawRun(2);
  console.log(`  1 client process: ${fmt(raw1)} POST/s; 2 client processes: ${fmt(raw2)} POST/s`);
  console.log(
    `  CPU per 1,000 requests: client ${fmt((1000 * rawCpu.client) / rawCpu.requests, 3)} s (includes its start-up),` +
      ` receiver ${fmt((1000 * rawCpu.receiver) / rawCpu.requests, 3)} s`,
  );

  // --- end to end
  console.log(`\n## End to end on PostgreSQL: backlog of ${fmt(BACKLOG)} deliveries to 100 webhooks, then ${PACED_RATE}/s paced to 1 webhook`);
  const results: Array<{ workers: number; perSecond: number; raw: number; p50: number; p99: number; max: number; samples: number }> = [];
  for (const workers of WORKER_COUNTS) {
    // The limit again, right before this run, so the ratio compares like with like on a noisy machine.
    const raw = await rawRun(2);
    await db.exec('truncate public.webhook_deliveries cascade');
    // Backlog: 100-subscriber fan-out, made before any worker runs.
    const backlogPayload = JSON.stringify({ id: 'evt_backlog', note: 'x'.repeat(150) });
    for (let made = 0; made < BACKLOG; made += 100) {
      await db.query('select public.trigger_webhook_event($1, $2::jsonb)', ['subscription.created', backlogPayload]);
    }
    await db.exec('analyze public.webhook_deliveries');
    const procs = Array.from({ length: workers }, (_, i) => {
      const child = spawnScript('worker', { DATABASE_URL: url, WORKER_ID: `bench-${workers}-${i}` });
      children.push(child);
      return child;
    });
    await Promise.all(procs.map((p) => lineFrom(p, (l) => l === 'ready')));
    const dbName = url.slice(url.lastIndexOf('/') + 1);
    const cpuBefore = { pg: cpuTicksByPid(dbName), workers: childCpuSeconds(procs.map((p) => p.pid!)), receiver: childCpuSeconds([receiver.pid!]) };
    const wallBefore = now();
    for (const p of procs) p.stdin!.write('go\n');

    const drainDeadline = now() + 120_000;
    for (;;) {
      const { count } = await ask<{ count: number }>('count');
      if (count >= BACKLOG || now() > drainDeadline) break;
      await sleep(100);
    }
    const wall = (now() - wallBefore) / 1000;
    const cpu = {
      pg: cpuSecondsSince(cpuBefore.pg, cpuTicksByPid(dbName)),
      workers: childCpuSeconds(procs.map((p) => p.pid!)) - cpuBefore.workers,
      receiver: childCpuSeconds([receiver.pid!]) - cpuBefore.receiver,
    };
    const { receipts } = await ask<{ receipts: Array<[string, number]> }>('report');
    const times = receipts.map((r) => r[1]).sort((a, b) => a - b);
    const unique = new Set(receipts.map((r) => r[0])).size;
    const perSecond = (times.length - 1) / ((times[times.length - 1]! - times[0]!) / 1000);
    // Wait for the outcomes to be recorded, then check nothing is left behind.
    let pendingLeft = -1;
    for (let i = 0; i < 100; i++) {
      const { rows } = await db.query<{ n: number }>("select count(*)::int as n from public.webhook_deliveries where status <> 'success'");
      pendingLeft = rows[0]!.n;
      if (pendingLeft === 0) break;
      await sleep(100);
    }

    // Paced latency: one delivery per trigger, 200 triggers per second.
    const sent = new Map<string, number>();
    const started = now();
    const inflight: Array<Promise<void>> = [];
    for (let i = 0; i < PACED_RATE * PACED_SECONDS; i++) {
      const due = started + (i * 1000) / PACED_RATE;
      const wait = due - now();
      if (wait > 0) await sleep(wait);
      const t0 = now();
      inflight.push(
        db
          .query<{ r: { delivery_ids: string[] } }>('select public.trigger_webhook_event($1, $2::jsonb) as r', [
            'video.generated',
            JSON.stringify({ i }),
          ])
          .then(({ rows }) => {
            for (const id of rows[0]!.r.delivery_ids) sent.set(id, t0);
          }),
      );
    }
    await Promise.all(inflight);
    await sleep(1000);
    const paced = (await ask<{ receipts: Array<[string, number]> }>('report')).receipts;
    const latencies = paced.filter(([id]) => sent.has(id)).map(([id, t]) => t - sent.get(id)!);
    await Promise.all(procs.map((p) => exited(p, 'SIGTERM')));
    const row = {
      workers,
      perSecond,
      raw,
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      max: Math.max(...latencies),
      samples: latencies.length,
    };
    results.push(row);
    console.log(
      `  ${workers} worker process(es): ${fmt(perSecond)} deliveries/s = ${fmt(perSecond / raw, 2)} x raw ${fmt(raw)}/s measured just before` +
        ` (received ${fmt(receipts.length)}, unique ${fmt(unique)}, not success ${pendingLeft});` +
        ` CPU per 1,000 deliveries: PostgreSQL ${fmt((1000 * cpu.pg) / BACKLOG, 3)} s, workers ${fmt((1000 * cpu.workers) / BACKLOG, 3)} s,` +
        ` receiver ${fmt((1000 * cpu.receiver) / BACKLOG, 3)} s (wall ${fmt(wall, 1)} s);` +
        ` at ${PACED_RATE}/s: p50 ${fmt(row.p50, 1)} ms, p99 ${fmt(row.p99, 1)} ms, max ${fmt(row.max, 1)} ms (${row.samples} of ${sent.size})`,
    );
  }

  console.log('\n## Summary (ratios from this run)');
  const f100 = fanout.find((f) => f.subscribers === 100)!;
  console.log(`  fan-out at 100 subscribers: ${fmt(f100.perSecond)} deliveries/s (aim >= 30,000: ${f100.perSecond >= 30_000 ? 'met' : 'short'})`);
  for (const r of results) {
    console.log(
      `  ${r.workers} worker(s): ${fmt(r.perSecond)}/s, ${fmt((100 * r.perSecond) / r.raw)}% of raw ${fmt(r.raw)}/s` +
        ` (aims: >= 3,000/s ${r.perSecond >= 3000 ? 'met' : 'short'}, >= 50% of raw ${r.perSecond >= r.raw / 2 ? 'met' : 'short'});` +
        ` p99 at 200/s ${fmt(r.p99, 1)} ms (aim < 50 ms ${r.p99 < 50 ? 'met' : 'short'})`,
    );
  }
  await db.close();
  receiver.send({ type: 'stop' });
  await exited(receiver);
} finally {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await cluster.stop();
}
