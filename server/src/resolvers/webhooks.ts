import type { Queryable } from '@hookline/database';
import { badInput, notFound } from '../errors.js';
import type { MutationResolvers, QueryResolvers, WebhookResolvers } from '../generated/resolvers-types.js';
import {
  SUBSCRIPTION_COLUMNS,
  WEBHOOK_COLUMNS,
  toSubscription,
  toWebhook,
  type EventSubscriptionModel,
  type WebhookModel,
} from '../mappers.js';
import { decodeCursor, toConnection } from '../pagination.js';
import { loadDelivery } from './deliveries.js';
import { checkEventTypes, checkName, checkObject, checkPageSize, checkRange, checkUrl } from '../validation.js';

type Row = Record<string, unknown>;

/** Loads the subscriptions of `webhooks` in one query and attaches them. */
export async function attachSubscriptions(tx: Queryable, webhooks: WebhookModel[]): Promise<WebhookModel[]> {
  if (webhooks.length === 0) return webhooks;
  const { rows } = await tx.query<Row>(
    `select ${SUBSCRIPTION_COLUMNS} from public.webhook_event_subscriptions
      where webhook_id = any($1::uuid[]) order by created_at, event_type`,
    [webhooks.map((w) => w.id)],
  );
  const byWebhook = new Map<string, EventSubscriptionModel[]>(webhooks.map((w) => [w.id, []]));
  for (const row of rows) byWebhook.get(String(row.webhook_id))?.push(toSubscription(row));
  for (const w of webhooks) w.subscriptions = byWebhook.get(w.id) ?? [];
  return webhooks;
}

/** One webhook the caller can see, with its subscriptions; NOT_FOUND otherwise. */
export async function loadWebhook(tx: Queryable, id: string): Promise<WebhookModel> {
  const { rows } = await tx.query<Row>(`select ${WEBHOOK_COLUMNS} from public.webhooks where id = $1`, [id]);
  if (!rows[0]) throw notFound('webhook');
  const [webhook] = await attachSubscriptions(tx, [toWebhook(rows[0])]);
  return webhook!;
}

function validateSettings(input: {
  name?: string | null;
  url?: string | null;
  maxRetries?: number | null;
  retryDelaySeconds?: number | null;
  timeoutSeconds?: number | null;
  metadata?: unknown;
}): void {
  checkName(input.name);
  if (input.url !== null && input.url !== undefined) checkUrl(input.url);
  checkRange(input.maxRetries, 'maxRetries', 0, 10);
  checkRange(input.retryDelaySeconds, 'retryDelaySeconds', 1, 3600);
  checkRange(input.timeoutSeconds, 'timeoutSeconds', 1, 60);
  checkObject(input.metadata, 'metadata');
}

/** Webhook reads: lists, one webhook, its secret, its statistics. */
export const webhookQueries: Pick<QueryResolvers, 'webhooks' | 'webhook' | 'webhookSecret' | 'webhookStatistics'> = {
  async webhooks(_, { first, after }, ctx) {
    const limit = checkPageSize(first);
    const cursor = decodeCursor(after);
    return ctx.sql(async (tx) => {
      const { rows } = await tx.query<Row & { cursor_ts: string; id: string }>(
        `select ${WEBHOOK_COLUMNS}, created_at::text as cursor_ts from public.webhooks
          where ($1::timestamptz is null or (created_at, id) < ($1::timestamptz, $2::uuid))
          order by created_at desc, id desc limit $3`,
        [cursor?.createdAt ?? null, cursor?.id ?? null, limit + 1],
      );
      const connection = toConnection(rows, limit, toWebhook);
      await attachSubscriptions(tx, connection.edges.map((e) => e.node));
      return connection;
    });
  },

  webhook: (_, { id }, ctx) => ctx.sql((tx) => loadWebhook(tx, id)),

  webhookSecret: (_, { id }, ctx) =>
    ctx.sql(async (tx) => {
      const { rows } = await tx.query<{ r: Row }>('select public.get_webhook_secret($1) as r', [id]);
      const r = rows[0]?.r;
      if (!r) throw notFound('webhook');
      return { webhookId: String(r.webhook_id), secret: String(r.secret), previousSecretExpiresAt: (r.previous_secret_expires_at as string | null) ?? null };
    }),

  async webhookStatistics(_, { webhookId, days }, ctx) {
    checkRange(days, 'days', 1, 365);
    return ctx.sql(async (tx) => {
      const { rows } = await tx.query<{ r: Row }>('select public.get_webhook_statistics($1, $2) as r', [webhookId, days ?? 30]);
      const r = rows[0]?.r;
      if (!r) throw notFound('webhook');
      const list = (v: unknown) => (Array.isArray(v) ? (v as Row[]) : []);
      const num = (v: unknown) => Number(v ?? 0);
      return {
        webhookId: String(r.webhook_id ?? webhookId),
        periodDays: num(r.period_days ?? days ?? 30),
        totalDeliveries: num(r.total_deliveries),
        successfulDeliveries: num(r.successful_deliveries),
        failedDeliveries: num(r.failed_deliveries),
        pendingDeliveries: num(r.pending_deliveries),
        successRate: num(r.success_rate),
        averageResponseTimeMs: r.average_response_time_ms === null || r.average_response_time_ms === undefined ? null : num(r.average_response_time_ms),
        byDay: list(r.by_day).map((d) => ({ date: String(d.date), total: num(d.total), successful: num(d.successful), failed: num(d.failed) })),
        byEventType: list(r.by_event_type).map((d) => ({ eventType: String(d.event_type), total: num(d.total), successful: num(d.successful), failed: num(d.failed) })),
      };
    });
  },
};

/** Webhook writes, secret rotation, subscriptions and endpoint verification. */
export const webhookMutations: Pick<
  MutationResolvers,
  'createWebhook' | 'updateWebhook' | 'deleteWebhook' | 'rotateWebhookSecret' | 'subscribeWebhookEvents' | 'unsubscribeWebhookEvents' | 'verifyWebhookEndpoint'
> = {
  async createWebhook(_, { input }, ctx) {
    validateSettings(input);
    checkEventTypes(input.eventTypes);
    checkObject(input.filters, 'filters');
    return ctx.sql(async (tx) => {
      const { rows } = await tx.query<Row>(
        `select * from public.create_webhook(
           p_name => $1, p_url => $2, p_event_types => $3::text[], p_description => $4,
           p_signature_algorithm => $5, p_retry_enabled => $6, p_max_retries => $7,
           p_retry_delay_seconds => $8, p_timeout_seconds => $9, p_metadata => $10::jsonb, p_filters => $11::jsonb)`,
        [
          input.name,
          input.url,
          input.eventTypes ?? [],
          input.description ?? null,
          input.signatureAlgorithm ?? 'sha256',
          input.retryEnabled ?? true,
          input.maxRetries ?? 3,
          input.retryDelaySeconds ?? 60,
          input.timeoutSeconds ?? 30,
          JSON.stringify(input.metadata ?? {}),
          JSON.stringify(input.filters ?? {}),
        ],
      );
      const row = rows[0];
      if (!row) throw new Error('create_webhook returned no row');
      const [webhook] = await attachSubscriptions(tx, [toWebhook(row)]);
      return { webhook: webhook!, secret: String(row.secret), subscriptions: webhook!.subscriptions ?? [] };
    });
  },

  async updateWebhook(_, { id, input }, ctx) {
    validateSettings(input);
    const columns: Array<[string, unknown]> = [];
    const nonNull = { name: 'name', url: 'url', isActive: 'is_active', signatureAlgorithm: 'signature_algorithm', retryEnabled: 'retry_enabled', maxRetries: 'max_retries', retryDelaySeconds: 'retry_delay_seconds', timeoutSeconds: 'timeout_seconds', metadata: 'metadata' } as const;
    for (const [field, column] of Object.entries(nonNull) as Array<[keyof typeof nonNull, string]>) {
      if (!(field in input)) continue;
      const value = input[field];
      if (value === null) throw badInput(field, `${field} cannot be null; leave it out to keep the current value`);
      columns.push([column, field === 'metadata' ? JSON.stringify(value) : value]);
    }
    if ('description' in input) columns.push(['description', input.description ?? null]);
    return ctx.sql(async (tx) => {
      if (columns.length > 0) {
        const sets = columns.map(([column], i) => `${column} = $${i + 2}${column === 'metadata' ? '::jsonb' : ''}`).join(', ');
        const { rowCount } = await tx.query(`update public.webhooks set ${sets} where id = $1`, [id, ...columns.map(([, v]) => v)]);
        if (rowCount === 0) throw notFound('webhook');
      }
      return loadWebhook(tx, id);
    });
  },

  deleteWebhook: (_, { id }, ctx) =>
    ctx.sql(async (tx) => {
      const { rows } = await tx.query<{ id: string }>('delete from public.webhooks where id = $1 returning id', [id]);
      if (!rows[0]) throw notFound('webhook');
      return { deletedWebhookId: String(rows[0].id) };
    }),

  async rotateWebhookSecret(_, { id, gracePeriodSeconds }, ctx) {
    checkRange(gracePeriodSeconds, 'gracePeriodSeconds', 0, 604800);
    return ctx.sql(async (tx) => {
      const { rows } = await tx.query<{ r: Row }>('select public.rotate_webhook_secret($1, $2) as r', [id, gracePeriodSeconds ?? 86400]);
      const r = rows[0]?.r;
      if (!r) throw notFound('webhook');
      return { webhook: await loadWebhook(tx, id), secret: String(r.secret), previousSecretExpiresAt: (r.previous_secret_expires_at as string | null) ?? null };
    });
  },

  async subscribeWebhookEvents(_, { webhookId, eventTypes, filters }, ctx) {
    checkEventTypes(eventTypes);
    checkObject(filters, 'filters');
    if (eventTypes.length === 0) throw badInput('eventTypes', 'eventTypes must name at least one event type');
    return ctx.sql(async (tx) => {
      const { rows } = await tx.query<Row>(
        `select ${SUBSCRIPTION_COLUMNS} from public.subscribe_webhook_events($1, $2::text[], $3::jsonb) order by event_type`,
        [webhookId, eventTypes, JSON.stringify(filters ?? {})],
      );
      return rows.map(toSubscription);
    });
  },

  async unsubscribeWebhookEvents(_, { webhookId, eventTypes }, ctx) {
    checkEventTypes(eventTypes);
    return ctx.sql(async (tx) => {
      const { rows } = await tx.query<{ n: number }>('select public.unsubscribe_webhook_events($1, $2::text[]) as n', [webhookId, eventTypes]);
      return { webhookId, removedCount: Number(rows[0]?.n ?? 0) };
    });
  },

  async verifyWebhookEndpoint(_, { id }, ctx) {
    const deliveryId = await ctx.sql(async (tx) => {
      const { rows } = await tx.query<{ id: string }>('select id from public.request_webhook_verification($1)', [id]);
      if (!rows[0]) throw notFound('webhook');
      return String(rows[0].id);
    });
    // The dispatcher works on its own connection: it must see the committed challenge.
    await ctx.commit();
    if (ctx.deliverNow) {
      try {
        await ctx.deliverNow(deliveryId);
      } catch (err) {
        ctx.logger.warn({ err, deliveryId }, 'verification attempt failed to run');
      }
    }
    return ctx.sql(async (tx) => {
      const webhook = await loadWebhook(tx, id);
      const delivery = await loadDelivery(tx, deliveryId);
      return { webhook, delivery, verified: webhook.isVerified && delivery.status === 'success' };
    });
  },
};

/** `Webhook.subscriptions`, prefetched by the queries above when possible. */
export const webhookFields: WebhookResolvers = {
  subscriptions: (webhook, _, ctx) =>
    webhook.subscriptions ??
    ctx.sql(async (tx) => (await attachSubscriptions(tx, [webhook]))[0]!.subscriptions ?? []),
};
