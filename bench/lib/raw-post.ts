/**
 * The limit: keep-alive node:http POSTs of a delivery-sized JSON body to the
 * receiver, CONCURRENCY at a time for DURATION_MS, in one process. Prints the
 * number of completed requests per second as JSON.
 */
import http from 'node:http';

const url = new URL(process.env.TARGET_URL!);
const concurrency = Number(process.env.CONCURRENCY ?? 100);
const durationMs = Number(process.env.DURATION_MS ?? 3000);
const body = JSON.stringify({ type: 'video.generated', timestamp: new Date().toISOString(), data: { video_id: 'v1', url: 'https://cdn.example/v1.mp4' } });
const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
let done = 0;
const deadline = performance.now() + durationMs;
const started = performance.now();

function one(): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { hostname: url.hostname, port: url.port, path: url.pathname, method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'webhook-id': 'raw' } },
      (res) => {
        res.resume();
        res.on('end', () => {
          done++;
          resolve();
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function lane(): Promise<void> {
  while (performance.now() < deadline) await one();
}

await Promise.all(Array.from({ length: concurrency }, lane));
const seconds = (performance.now() - started) / 1000;
process.stdout.write(`${JSON.stringify({ requests: done, perSecond: done / seconds })}\n`);
agent.destroy();
