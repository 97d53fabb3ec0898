import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect } from 'vitest';
import type { Database, JwtClaims, Transaction } from '../src/index.js';
import { openTestDatabase, type TestEngine } from '../src/testing.js';

export { testEngines } from '../src/testing.js';

/** A fresh migrated database for the enclosing describe block. */
export function useDatabase(engine: TestEngine): () => Database {
  let db: Database | undefined;
  beforeAll(async () => {
    db = await openTestDatabase(engine);
  });
  afterAll(async () => {
    await db?.close();
  });
  return () => {
    if (!db) throw new Error('database not open yet');
    return db;
  };
}

export const service: JwtClaims = { role: 'service_role' };
export const anon: JwtClaims = { role: 'anon' };
export function user(sub: string = randomUUID()): JwtClaims & { sub: string } {
  return { role: 'authenticated', sub };
}

/** One statement as the caller, in its own transaction. */
export async function as<T = Record<string, unknown>>(
  db: Database,
  claims: JwtClaims,
  sql: string,
  params: unknown[] = [],
): Promise<T[]> {
  return db.withClaims(claims, async (tx: Transaction) => (await tx.query<T>(sql, params)).rows);
}

/** The error a statement raised, with its SQLSTATE and the `column` field. */
export async function sqlError(promise: Promise<unknown>): Promise<{ code: string; column?: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    const e = error as { code?: string; column?: string; message: string };
    return { code: e.code ?? 'no code', column: e.column, message: e.message };
  }
  throw new Error('expected the statement to fail, it succeeded');
}

export async function expectSqlError(promise: Promise<unknown>, code: string, column?: string): Promise<string> {
  const error = await sqlError(promise);
  expect(error.code, error.message).toBe(code);
  if (column !== undefined) expect(error.column).toBe(column);
  return error.message;
}

export interface WebhookRow {
  id: string;
  user_id: string;
  secret: string;
  url: string;
  is_active: boolean;
  max_retries: number;
  retry_enabled: boolean;
  total_deliveries: number;
  successful_deliveries: number;
  failed_deliveries: number;
  last_delivery_at: Date | null;
  last_success_at: Date | null;
  last_failure_at: Date | null;
  [column: string]: unknown;
}

export interface DeliveryRow {
  id: string;
  webhook_id: string;
  user_id: string;
  event_id: string;
  event_type: string;
  status: string;
  request_url: string;
  request_method: string;
  request_headers: Record<string, string>;
  request_payload: { type: string; timestamp: string; data: unknown };
  attempt_number: number;
  max_attempts: number;
  next_retry_at: Date | null;
  created_at: Date;
  [column: string]: unknown;
}

/** create_webhook as `owner`, with overridable arguments. */
export async function createWebhook(
  db: Database,
  owner: JwtClaims,
  opts: { name?: string; url?: string; eventTypes?: string[]; filters?: object; maxRetries?: number; retryEnabled?: boolean } = {},
): Promise<WebhookRow> {
  const rows = await as<WebhookRow>(
    db,
    owner,
    `select * from public.create_webhook(
       p_name => $1, p_url => $2, p_event_types => $3, p_filters => $4,
       p_max_retries => $5, p_retry_enabled => $6)`,
    [
      opts.name ?? 'hook',
      opts.url ?? 'https://example.com/hook',
      opts.eventTypes ?? [],
      JSON.stringify(opts.filters ?? {}),
      opts.maxRetries ?? 3,
      opts.retryEnabled ?? true,
    ],
  );
  return rows[0]!;
}

export interface TriggerResult {
  event_id: string;
  delivery_count: number;
  delivery_ids: string[];
}

export async function trigger(
  db: Database,
  eventType: string,
  payload: unknown,
  userId: string | null = null,
): Promise<TriggerResult> {
  const rows = await as<{ r: TriggerResult }>(
    db,
    service,
    'select public.trigger_webhook_event($1, $2::jsonb, $3) as r',
    [eventType, JSON.stringify(payload), userId],
  );
  return rows[0]!.r;
}
