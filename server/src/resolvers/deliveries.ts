import type { Queryable } from '@hookline/database';
import { notFound } from '../errors.js';
import type { DeliveryResolvers, MutationResolvers, QueryResolvers } from '../generated/resolvers-types.js';
import { DELIVERY_COLUMNS, toDelivery, type DeliveryModel } from '../mappers.js';
import { decodeCursor, toConnection } from '../pagination.js';
import { checkEventTypes, checkPageSize, checkRange } from '../validation.js';

type Row = Record<string, unknown>;

/** One delivery the caller can see; NOT_FOUND otherwise. */
export async function loadDelivery(tx: Queryable, id: string): Promise<DeliveryModel> {
  const { rows } = await tx.query<Row>(`select ${DELIVERY_COLUMNS} from public.webhook_deliveries where id = $1`, [id]);
  if (!rows[0]) throw notFound('delivery');
  return toDelivery(rows[0]);
}

/** Deliveries by id, in creation order. */
export async function loadDeliveries(tx: Queryable, ids: string[]): Promise<DeliveryModel[]> {
  if (ids.length === 0) return [];
  const { rows } = await tx.query<Row>(
    `select ${DELIVERY_COLUMNS} from public.webhook_deliveries where id = any($1::uuid[]) order by created_at, id`,
    [ids],
  );
  return rows.map(toDelivery);
}

/** Delivery reads and the service role's retry queue. */
export const deliveryQueries: Pick<QueryResolvers, 'deliveries' | 'delivery' | 'pendingWebhookRetries'> = {
  async deliveries(_, { webhookId, status, eventType, first, after }, ctx) {
    const limit = checkPageSize(first);
    const cursor = decodeCursor(after);
    if (eventType) checkEventTypes([eventType], 'eventType');
    return ctx.sql(async (tx) => {
      const { rows } = await tx.query<Row & { cursor_ts: string; id: string }>(
        `select ${DELIVERY_COLUMNS}, created_at::text as cursor_ts from public.webhook_deliveries
          where ($1::uuid is null or webhook_id = $1::uuid)
            and ($2::text is null or status = $2::text)
            and ($3::text is null or event_type = $3::text)
            and ($4::timestamptz is null or (created_at, id) < ($4::timestamptz, $5::uuid))
          order by created_at desc, id desc limit $6`,
        [webhookId ?? null, status ?? null, eventType ?? null, cursor?.createdAt ?? null, cursor?.id ?? null, limit + 1],
      );
      return toConnection(rows, limit, toDelivery);
    });
  },

  delivery: (_, { id }, ctx) => ctx.sql((tx) => loadDelivery(tx, id)),

  async pendingWebhookRetries(_, { limit }, ctx) {
    checkRange(limit, 'limit', 1, 1000);
    return ctx.sql(async (tx) => {
      const { rows } = await tx.query<Row>(`select ${DELIVERY_COLUMNS} from public.get_pending_webhook_retries($1)`, [limit ?? 100]);
      return rows.map(toDelivery);
    });
  },
};

/** Manual retry of a failed delivery. */
export const deliveryMutations: Pick<MutationResolvers, 'retryFailedDelivery'> = {
  retryFailedDelivery: (_, { deliveryId }, ctx) =>
    ctx.sql(async (tx) => {
      const { rows } = await tx.query<Row>(`select ${DELIVERY_COLUMNS} from public.retry_failed_delivery($1)`, [deliveryId]);
      if (!rows[0]) throw notFound('delivery');
      return toDelivery(rows[0]);
    }),
};

/** `Delivery.attempts`: the attempt history. */
export const deliveryFields: DeliveryResolvers = {
  attempts: (delivery, _, ctx) =>
    ctx.sql(async (tx) => {
      const { rows } = await tx.query<Row>(
        `select attempt_number, response_status, response_time_ms, error_code, error_message, created_at
           from public.webhook_delivery_attempts where delivery_id = $1 order by attempt_number, created_at`,
        [delivery.id],
      );
      return rows.map((r) => ({
        attemptNumber: Number(r.attempt_number),
        responseStatus: r.response_status === null ? null : Number(r.response_status),
        responseTimeMs: r.response_time_ms === null ? null : Number(r.response_time_ms),
        errorCode: (r.error_code as string | null) ?? null,
        errorMessage: (r.error_message as string | null) ?? null,
        createdAt: r.created_at as Date | string,
      }));
    }),
};
