/**
 * Receiver (Express): verifies every delivery with the SDK's middleware, which
 * reads the raw body itself (mount it before any body parser), and answers 401
 * on a bad signature. Also answers the endpoint-verification challenge.
 *
 *   HOOKLINE_WEBHOOK_SECRET=whsec_... PORT=3000 npx tsx examples/typescript/receiver-express.ts
 */
import express from 'express';
import { webhookMiddleware } from '@hookline/sdk/express';

type Event = { type: string; timestamp: string; data: Record<string, unknown> };

const app = express();
app.post('/webhooks', webhookMiddleware({ secret: process.env.HOOKLINE_WEBHOOK_SECRET! }), (req, res) => {
  const event = req.body as Event;
  if (event.type === 'webhook.verification') {
    res.json({ challenge: event.data.challenge });
    return;
  }
  console.log(`received ${event.type} ${req.header('webhook-id')}`, event.data);
  res.sendStatus(204);
});
// Other routes may parse JSON as usual.
app.use(express.json());

const server = app.listen(Number(process.env.PORT ?? 3000), '127.0.0.1', () => {
  console.log(`listening on http://127.0.0.1:${(server.address() as { port: number }).port}/webhooks`);
});
