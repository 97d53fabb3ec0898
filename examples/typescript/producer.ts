/**
 * Producer: create a webhook subscribed to `video.generated`, trigger an event
 * as the service role, and read the delivery back.
 *
 *   HOOKLINE_URL=http://127.0.0.1:4000/graphql \
 *   HOOKLINE_TOKEN=$(node server/dist/cli.js token --user <uuid>) \
 *   HOOKLINE_SERVICE_TOKEN=$(node server/dist/cli.js token --service-role) \
 *   RECEIVER_URL=http://127.0.0.1:3000/webhooks \
 *   SECRET_FILE=.hookline/example-secret \
 *   npx tsx examples/typescript/producer.ts
 *
 * The webhook's secret is never printed; with SECRET_FILE it is written there
 * (mode 0600) for the receiver: HOOKLINE_WEBHOOK_SECRET=$(cat .hookline/example-secret).
 */
import { writeFileSync } from 'node:fs';
import { Hookline, isHooklineError } from '@hookline/sdk';

const baseUrl = process.env.HOOKLINE_URL ?? 'http://127.0.0.1:4000/graphql';
const user = new Hookline({ baseUrl, token: process.env.HOOKLINE_TOKEN! });
const service = new Hookline({ baseUrl, token: process.env.HOOKLINE_SERVICE_TOKEN! });

try {
  const { webhook, secret } = await user.webhooks.create({
    name: 'example receiver',
    url: process.env.RECEIVER_URL ?? 'http://127.0.0.1:3000/webhooks',
    eventTypes: ['video.generated'],
    filters: { quality: 'hd' },
  });
  if (process.env.SECRET_FILE) writeFileSync(process.env.SECRET_FILE, secret, { mode: 0o600 });
  console.log(`created webhook ${webhook.id}${process.env.SECRET_FILE ? `; secret written to ${process.env.SECRET_FILE}` : ''}`);

  const { eventId, deliveries } = await service.events.trigger({
    eventType: 'video.generated',
    payload: { videoId: 'vid_1', quality: 'hd' },
    userId: webhook.userId,
  });
  console.log(`event ${eventId} fanned out to ${deliveries.length} delivery(ies)`);

  for await (const delivery of user.deliveries.listAll({ webhookId: webhook.id })) {
    console.log(`${delivery.id} ${delivery.eventType} ${delivery.status}`);
  }
  const stats = await user.webhooks.statistics(webhook.id, { days: 7 });
  console.log(`success rate ${(stats.successRate * 100).toFixed(0)}% over ${stats.totalDeliveries} deliveries`);
} catch (error) {
  if (isHooklineError(error)) {
    console.error(`${error.name} (${error.code ?? error.status}): ${error.message} [request ${error.requestId}]`);
    process.exitCode = 1;
  } else {
    throw error;
  }
}
