/**
 * TypeScript verify cost for a 2 KiB body, side by side in one run:
 * @hookline/sdk's Webhook (node:crypto engine, through the built package)
 * against raw node:crypto HMAC of the same bytes (the limit), the official
 * `standardwebhooks` and `svix` verifiers, and our Web Crypto engine (what
 * Deno, Workers and edge runtimes get) for reference. Measures; asserts nothing.
 *
 * Run: npx tsx bench/verify-typescript.ts [--json]
 */
import { createHmac, createSecretKey, timingSafeEqual } from 'node:crypto';
import { cpus } from 'node:os';
import { Webhook } from '@hookline/sdk/verify';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { Webhook as SvixWebhook } from 'svix';
import { engine as webEngine } from '../sdks/typescript/src/verify/engine-web.js';
import { WebhookBase } from '../sdks/typescript/src/verify/webhook.js';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'; // the public Standard Webhooks vector
const KEY = Buffer.from(SECRET.slice('whsec_'.length), 'base64');
const KEY_OBJECT = createSecretKey(KEY);
const MSG_ID = 'msg_p5jXN8AQM9LWM0D4loKWxJek';

function makeBody(size = 2048): string {
  const prefix = '{"type":"video.generated","timestamp":"2026-12-04T19:00:00Z","data":{"pad":"';
  const suffix = '"}}';
  return prefix + 'x'.repeat(size - prefix.length - suffix.length) + suffix;
}

/** A calibrated loop: about `seconds / 5` per run. Returns CPU microseconds per call of one run. */
function loopOf(fn: () => unknown): (n: number) => Promise<number> {
  return async (n) => {
    // CPU time of this process, not wall time: other processes on a shared
    // machine then cost us only cache and frequency effects, not whole slices.
    const started = process.cpuUsage();
    for (let i = 0; i < n; i++) {
      const r = fn();
      if (r instanceof Promise) await r;
    }
    const used = process.cpuUsage(started);
    return (used.user + used.system) / n;
  };
}

async function calibrate(fn: () => unknown, seconds: number): Promise<number> {
  const loop = loopOf(fn);
  let n = 1;
  while ((await loop(n)) * n < (seconds * 1e6) / 5) n *= 2;
  return n;
}

/**
 * Best of `rounds` runs per contender, the contenders interleaved round by
 * round so that noise from other processes on the machine hits them alike.
 */
async function measure(rows: Array<[string, () => unknown]>, rounds = 7, seconds = 0.5): Promise<number[]> {
  const ns = [];
  for (const [, fn] of rows) ns.push(await calibrate(fn, seconds));
  const best = rows.map(() => Infinity);
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < rows.length; i++) best[i] = Math.min(best[i]!, await loopOf(rows[i]![1])(ns[i]!));
  }
  return best;
}

async function main(): Promise<void> {
  const body = makeBody();
  const bodyBytes = Buffer.from(body);
  const now = Math.floor(Date.now() / 1000);
  const ours = new Webhook(SECRET);
  const signature = await ours.sign(MSG_ID, now, body);
  const headers = { 'webhook-id': MSG_ID, 'webhook-timestamp': String(now), 'webhook-signature': signature };
  const official = new StandardWebhook(SECRET);
  const svix = new SvixWebhook(SECRET);
  const svixHeaders = { 'svix-id': MSG_ID, 'svix-timestamp': String(now), 'svix-signature': signature };
  const web = new WebhookBase(SECRET, {}, webEngine);
  const given = Buffer.from(signature.slice(3), 'base64');

  // Every contender must accept the same request before it is timed.
  await ours.verify(body, headers);
  await web.verify(body, headers);
  official.verify(body, headers);
  svix.verify(body, svixHeaders);

  const rows: Array<[string, () => unknown]> = [
    ['raw node:crypto HMAC-SHA256, KeyObject (limit)', () => createHmac('sha256', KEY_OBJECT).update(`${MSG_ID}.${now}.${body}`).digest()],
    ['raw node:crypto HMAC-SHA256, Buffer key', () => createHmac('sha256', KEY).update(`${MSG_ID}.${now}.${body}`).digest()],
    [
      'raw HMAC + base64 decode + timingSafeEqual',
      () => timingSafeEqual(createHmac('sha256', KEY_OBJECT).update(`${MSG_ID}.${now}.${body}`).digest(), given),
    ],
    ['hookline verifySignature (string body)', () => ours.verifySignature(body, headers)],
    ['hookline verifySignature (Buffer body)', () => ours.verifySignature(bodyBytes, headers)],
    ['hookline verify (string body, + JSON.parse)', () => ours.verify(body, headers)],
    ['standardwebhooks verify (+ JSON.parse)', () => official.verify(body, headers)],
    ['svix verify (+ JSON.parse)', () => svix.verify(body, svixHeaders)],
    ['JSON.parse alone (2 KiB)', () => JSON.parse(body)],
    ['hookline Web Crypto engine verify (Deno/Workers/edge path)', () => web.verify(body, headers)],
  ];
  const timings = await measure(rows);
  const raw = timings[0]!;
  const results = rows.map(([name], i) => ({ name, usPerOp: timings[i]!, ratioToRaw: timings[i]! / raw }));

  if (process.argv.includes('--json')) {
    console.log(JSON.stringify({ benchmark: 'verify-typescript', bodyBytes: body.length, node: process.version, cpu: cpus()[0]?.model, results }));
    return;
  }
  console.log(`verify, TypeScript, ${body.length}-byte body, Node ${process.version} (${cpus()[0]?.model ?? 'cpu'})`);
  for (const r of results) {
    console.log(`  ${r.name.padEnd(58)} ${r.usPerOp.toFixed(2).padStart(8)} µs/op (CPU)  ${r.ratioToRaw.toFixed(2).padStart(6)}x raw`);
  }
}

await main();
