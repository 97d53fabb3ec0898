/**
 * @hookline/sdk call overhead: `hookline.events.listTypes()` against a bare
 * `fetch` POST of the very same request body (captured from the SDK's first
 * call) to a tiny local GraphQL stub on loopback. Both sides run sequentially,
 * interleaved round by round; the difference is what the SDK adds per call
 * (token lookup, ky, headers, idempotency and retry bookkeeping, error
 * classification). Measures; asserts nothing.
 *
 * Run: npx tsx bench/client-overhead.ts [--json]
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus } from 'node:os';
import { Hookline } from '@hookline/sdk';
import ky from 'ky';

const RESPONSE = JSON.stringify({
  data: {
    eventTypes: ['video.generated', 'video.failed', 'credit.added', 'credit.consumed', 'subscription.created', 'subscription.renewed', 'subscription.cancelled'].map((eventType) => ({
      eventType,
      category: eventType.split('.')[0],
      description: null,
      payloadSchema: null,
      isEnabled: true,
    })),
  },
});

async function main(): Promise<void> {
  let captured: string | undefined;
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      captured ??= body;
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(RESPONSE), 'x-request-id': 'req_bench' });
      res.end(RESPONSE);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  const token = 'bench-token';
  const hookline = new Hookline({ baseUrl: url, token, logger: false });

  await hookline.events.listTypes();
  const body = captured!;
  const bare = async () => {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body,
    });
    const json = (await res.json()) as { data: { eventTypes: unknown[] } };
    return json.data.eventTypes;
  };
  const sdk = () => hookline.events.listTypes();

  // ky alone, configured as the SDK configures it, to show the transport's share.
  const kyClient = ky.create({ retry: 0, timeout: false, throwHttpErrors: false });
  const viaKy = async () => {
    const res = await kyClient.post(url, { headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body });
    return ((await res.json()) as { data: { eventTypes: unknown[] } }).data.eventTypes;
  };
  const contenders: Array<[string, () => Promise<unknown>]> = [
    ['bare fetch POST (same body)', bare],
    ['ky POST (same body, SDK settings)', viaKy],
    ['hookline.events.listTypes()', sdk],
  ];

  /** Wall and CPU microseconds per call over n sequential calls (the stub's CPU is in both sides alike). */
  const run = async (fn: () => Promise<unknown>, n: number) => {
    const cpu = process.cpuUsage();
    const started = performance.now();
    for (let i = 0; i < n; i++) await fn();
    const used = process.cpuUsage(cpu);
    return { wall: ((performance.now() - started) / n) * 1000, cpu: (used.user + used.system) / n };
  };
  const n = 300;
  for (const [, fn] of contenders) await run(fn, 100);
  const best = contenders.map(() => ({ wall: Infinity, cpu: Infinity }));
  for (let round = 0; round < 7; round++) {
    for (let i = 0; i < contenders.length; i++) {
      const r = await run(contenders[i]![1], n);
      best[i] = { wall: Math.min(best[i]!.wall, r.wall), cpu: Math.min(best[i]!.cpu, r.cpu) };
    }
  }
  server.close();

  const results = contenders.map(([name], i) => ({
    name,
    wallUsPerCall: best[i]!.wall,
    cpuUsPerCall: best[i]!.cpu,
    cpuRatioToBare: best[i]!.cpu / best[0]!.cpu,
    cpuOverheadUs: best[i]!.cpu - best[0]!.cpu,
  }));
  if (process.argv.includes('--json')) {
    console.log(JSON.stringify({ benchmark: 'client-overhead-typescript', node: process.version, cpu: cpus()[0]?.model, results }));
    return;
  }
  console.log(`client overhead, TypeScript, ListEventTypes on loopback, Node ${process.version} (${cpus()[0]?.model ?? 'cpu'}), best of 7 interleaved rounds x ${n} sequential calls`);
  for (const r of results) {
    console.log(
      `  ${r.name.padEnd(36)} ${r.wallUsPerCall.toFixed(0).padStart(6)} µs/call wall  ${r.cpuUsPerCall.toFixed(0).padStart(6)} µs/call CPU  ${r.cpuRatioToBare.toFixed(2)}x bare (+${r.cpuOverheadUs.toFixed(0)} µs CPU)`,
    );
  }
}

await main();
