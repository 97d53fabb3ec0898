/**
 * Receiver (fetch `Request` handler): the same handler works as a Next.js route
 * handler (`export const POST = handler`), a Cloudflare Worker
 * (`export default { fetch: handler }`), `Deno.serve(handler)` or
 * `Bun.serve({ fetch: handler })`. Here it runs on Node's http server.
 *
 *   HOOKLINE_WEBHOOK_SECRET=whsec_... PORT=3000 npx tsx examples/typescript/receiver-fetch.ts
 */
import { createServer } from 'node:http';
import { Readable } from 'node:stream';
import { withWebhook } from '@hookline/sdk/fetch';

type Event = { type: string; data: Record<string, unknown> };

export const handler = withWebhook<Event>({ secret: process.env.HOOKLINE_WEBHOOK_SECRET! }, async (event, request) => {
  if (event.type === 'webhook.verification') return Response.json({ challenge: event.data.challenge });
  console.log(`received ${event.type} ${request.headers.get('webhook-id')}`);
  return new Response(null, { status: 204 });
});

createServer(async (req, res) => {
  const request = new Request(`http://localhost${req.url}`, {
    method: req.method,
    headers: req.headers as Record<string, string>,
    body: Readable.toWeb(req) as ReadableStream,
    duplex: 'half',
  } as RequestInit);
  const response = await handler(request);
  res.writeHead(response.status, Object.fromEntries(response.headers));
  res.end(Buffer.from(await response.arrayBuffer()));
}).listen(Number(process.env.PORT ?? 3000), '127.0.0.1');
