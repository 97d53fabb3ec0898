import type { MutationResolvers, QueryResolvers } from '../generated/resolvers-types.js';
import { DELIVERY_COLUMNS, toDelivery } from '../mappers.js';
import { notFound } from '../errors.js';
import { checkEventTypes, checkPayloadSize } from '../validation.js';
import { loadDeliveries } from './deliveries.js';

type Row = Record<string, unknown>;

/** The event type catalogue. */
export const eventQueries: Pick<QueryResolvers, 'eventTypes'> = {
  eventTypes: (_, __, ctx) =>
    ctx.sql(async (tx) => {
      const { rows } = await tx.query<Row>(
        // The `system` types (webhook.test, webhook.verification) are internal: nobody can subscribe to or trigger them.
        `select event_type, category, description, payload_schema, is_enabled from public.webhook_events
          where category <> 'system' order by category, event_type`,
      );
      return rows.map((r) => ({
        eventType: String(r.event_type),
        category: String(r.category),
        description: (r.description as string | null) ?? null,
        payloadSchema: r.payload_schema ?? null,
        isEnabled: Boolean(r.is_enabled),
      }));
    }),
};

/** Triggering events (service role) and test events. */
export const eventMutations: Pick<MutationResolvers, 'triggerWebhookEvent' | 'sendTestEvent'> = {
  async triggerWebhookEvent(_, { eventType, payload, userId }, ctx) {
    checkEventTypes([eventType], 'eventType');
    checkPayloadSize(payload);
    return ctx.sql(async (tx) => {
      const { rows } = await tx.query<{ r: Row }>('select public.trigger_webhook_event($1, $2::jsonb, $3) as r', [
        eventType,
        JSON.stringify(payload),
        userId ?? null,
      ]);
      const r = rows[0]?.r ?? {};
      const ids = Array.isArray(r.delivery_ids) ? r.delivery_ids.map(String) : [];
      return { eventId: String(r.event_id), deliveryCount: Number(r.delivery_count ?? ids.length), deliveries: await loadDeliveries(tx, ids) };
    });
  },

  sendTestEvent: (_, { webhookId }, ctx) =>
    ctx.sql(async (tx) => {
      const { rows } = await tx.query<Row>(`select ${DELIVERY_COLUMNS} from public.send_test_webhook_event($1)`, [webhookId]);
      if (!rows[0]) throw notFound('webhook');
      return toDelivery(rows[0]);
    }),
};
