/**
 * Receiver (Fastify): the plugin registers the webhook route with a raw-body
 * parser in its own scope, so the rest of the app keeps parsing JSON.
 *
 *   HOOKLINE_WEBHOOK_SECRET=whsec_... PORT=3000 npx tsx examples/typescript/receiver-fastify.ts
 */
import Fastify from 'fastify';
import { hooklineWebhook } from '@hookline/sdk/fastify';

type Event = { type: string; data: Record<string, unknown> };

const app = Fastify({ logger: true });
await app.register(hooklineWebhook, {
  secret: process.env.HOOKLINE_WEBHOOK_SECRET!,
  path: '/webhooks',
  handler: async (payload, request, reply) => {
    const event = payload as Event;
    if (event.type === 'webhook.verification') return { challenge: event.data.challenge };
    request.log.info({ type: event.type, id: request.headers['webhook-id'] }, 'webhook received');
    return reply.code(204).send();
  },
});
await app.listen({ port: Number(process.env.PORT ?? 3000), host: '127.0.0.1' });
