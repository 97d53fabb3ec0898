/**
 * Receiver (Hono): runs unchanged on Node, Bun, Deno and Cloudflare Workers
 * (where the verifier uses Web Crypto). Here it is served by Node.
 *
 *   HOOKLINE_WEBHOOK_SECRET=whsec_... PORT=3000 npx tsx examples/typescript/receiver-hono.ts
 */
import { createServer } from 'node:http';
import { Hono } from 'hono';
import { hooklineWebhook, type HooklineWebhookEnv } from '@hookline/sdk/hono';

type Event = { type: string; data: Record<string, unknown> };

export const app = new Hono<HooklineWebhookEnv>();
app.post('/webhooks', hooklineWebhook({ secret: process.env.HOOKLINE_WEBHOOK_SECRET! }), (c) => {
  const event = c.get('webhook') as Event;
  if (event.type === 'webhook.verification') return c.json({ challenge: event.data.challenge });
  console.log(`received ${event.type} ${c.req.header('webhook-id')}`);
  return c.body(null, 204);
});

// Node without @hono/node-server: hand each request to app.fetch.
createServer(async (req, res) => {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const response = await app.fetch(
    new Request(`http://localhost${req.url}`, { method: req.method, headers: req.headers as Record<string, string>, body: chunks.length ? Buffer.concat(chunks) : undefined }),
  );
  res.writeHead(response.status, Object.fromEntries(response.headers));
  res.end(Buffer.from(await response.arrayBuffer()));
}).listen(Number(process.env.PORT ?? 3000), '127.0.0.1');
