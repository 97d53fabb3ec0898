/**
 * Rows of the database (snake_case) to the GraphQL object models (camelCase).
 * The models are what resolvers return; generated resolver types use them as mappers.
 */

type Row = Record<string, unknown>;

/** A `webhook_event_subscriptions` row as GraphQL sees it. */
export interface EventSubscriptionModel {
  id: string;
  webhookId: string;
  eventType: string;
  filters: unknown;
  isActive: boolean;
  createdAt: Date | string;
  updatedAt: Date | string;
}

/** A `webhooks` row as GraphQL sees it; never carries the secret. */
export interface WebhookModel {
  id: string;
  userId: string;
  name: string;
  url: string;
  description: string | null;
  signatureAlgorithm: 'sha256' | 'sha512';
  isActive: boolean;
  isVerified: boolean;
  disabledReason: string | null;
  retryEnabled: boolean;
  maxRetries: number;
  retryDelaySeconds: number;
  timeoutSeconds: number;
  totalDeliveries: number;
  successfulDeliveries: number;
  failedDeliveries: number;
  lastDeliveryAt: Date | string | null;
  lastSuccessAt: Date | string | null;
  lastFailureAt: Date | string | null;
  metadata: unknown;
  createdAt: Date | string;
  updatedAt: Date | string;
  /** Prefetched by list resolvers to avoid one query per webhook. */
  subscriptions?: EventSubscriptionModel[];
}

/** A `webhook_deliveries` row as GraphQL sees it. */
export interface DeliveryModel {
  id: string;
  webhookId: string;
  eventId: string;
  eventType: string;
  status: 'pending' | 'success' | 'failed' | 'retrying';
  requestUrl: string;
  requestMethod: string;
  requestHeaders: unknown;
  requestPayload: unknown;
  requestSignature: string | null;
  responseStatus: number | null;
  responseHeaders: unknown;
  responseBody: string | null;
  responseBodyTruncated: boolean;
  responseTimeMs: number | null;
  attemptNumber: number;
  maxAttempts: number;
  nextRetryAt: Date | string | null;
  errorCode: string | null;
  errorMessage: string | null;
  createdAt: Date | string;
  updatedAt: Date | string;
}

/** Columns of `webhooks` that may leave the server (everything but the secrets). */
export const WEBHOOK_COLUMNS = [
  'id', 'user_id', 'name', 'url', 'description', 'signature_algorithm', 'is_active', 'is_verified',
  'disabled_reason', 'retry_enabled', 'max_retries', 'retry_delay_seconds', 'timeout_seconds',
  'total_deliveries', 'successful_deliveries', 'failed_deliveries', 'last_delivery_at', 'last_success_at',
  'last_failure_at', 'metadata', 'created_at', 'updated_at',
].join(', ');

/** Columns of `webhook_deliveries` the API exposes (not the lease). */
export const DELIVERY_COLUMNS = [
  'id', 'webhook_id', 'event_id', 'event_type', 'status', 'request_url', 'request_method', 'request_headers',
  'request_payload', 'request_signature', 'response_status', 'response_headers', 'response_body',
  'response_body_truncated', 'response_time_ms', 'attempt_number', 'max_attempts', 'next_retry_at',
  'error_code', 'error_message', 'created_at', 'updated_at',
].join(', ');

/** Columns of `webhook_event_subscriptions` the API exposes. */
export const SUBSCRIPTION_COLUMNS = 'id, webhook_id, event_type, filters, is_active, created_at, updated_at';

const int = (v: unknown): number => (typeof v === 'number' ? v : Number(v ?? 0));
const intOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const str = (v: unknown): string => String(v);
const strOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
const time = (v: unknown): Date | string => (v instanceof Date ? v : String(v));
const timeOrNull = (v: unknown): Date | string | null => (v === null || v === undefined ? null : time(v));

/** Maps a `webhooks` row. */
export function toWebhook(r: Row): WebhookModel {
  return {
    id: str(r.id),
    userId: str(r.user_id),
    name: str(r.name),
    url: str(r.url),
    description: strOrNull(r.description),
    signatureAlgorithm: r.signature_algorithm === 'sha512' ? 'sha512' : 'sha256',
    isActive: Boolean(r.is_active),
    isVerified: Boolean(r.is_verified),
    disabledReason: strOrNull(r.disabled_reason),
    retryEnabled: Boolean(r.retry_enabled),
    maxRetries: int(r.max_retries),
    retryDelaySeconds: int(r.retry_delay_seconds),
    timeoutSeconds: int(r.timeout_seconds),
    totalDeliveries: int(r.total_deliveries),
    successfulDeliveries: int(r.successful_deliveries),
    failedDeliveries: int(r.failed_deliveries),
    lastDeliveryAt: timeOrNull(r.last_delivery_at),
    lastSuccessAt: timeOrNull(r.last_success_at),
    lastFailureAt: timeOrNull(r.last_failure_at),
    metadata: r.metadata ?? {},
    createdAt: time(r.created_at),
    updatedAt: time(r.updated_at),
  };
}

/** Maps a `webhook_event_subscriptions` row. */
export function toSubscription(r: Row): EventSubscriptionModel {
  return {
    id: str(r.id),
    webhookId: str(r.webhook_id),
    eventType: str(r.event_type),
    filters: r.filters ?? {},
    isActive: Boolean(r.is_active),
    createdAt: time(r.created_at),
    updatedAt: time(r.updated_at),
  };
}

/** Maps a `webhook_deliveries` row. */
export function toDelivery(r: Row): DeliveryModel {
  const status = str(r.status);
  return {
    id: str(r.id),
    webhookId: str(r.webhook_id),
    eventId: str(r.event_id),
    eventType: str(r.event_type),
    status: (['pending', 'success', 'failed', 'retrying'].includes(status) ? status : 'pending') as DeliveryModel['status'],
    requestUrl: str(r.request_url),
    requestMethod: str(r.request_method ?? 'POST'),
    requestHeaders: r.request_headers ?? null,
    requestPayload: r.request_payload ?? {},
    requestSignature: strOrNull(r.request_signature),
    responseStatus: intOrNull(r.response_status),
    responseHeaders: r.response_headers ?? null,
    responseBody: strOrNull(r.response_body),
    responseBodyTruncated: Boolean(r.response_body_truncated),
    responseTimeMs: intOrNull(r.response_time_ms),
    attemptNumber: int(r.attempt_number),
    maxAttempts: int(r.max_attempts),
    nextRetryAt: timeOrNull(r.next_retry_at),
    errorCode: strOrNull(r.error_code),
    errorMessage: strOrNull(r.error_message),
    createdAt: time(r.created_at),
    updatedAt: time(r.updated_at ?? r.created_at),
  };
}
