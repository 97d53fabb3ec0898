import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Database } from '@hookline/database';
import { openTestDatabase as openEngine } from '@hookline/database/testing';
import type { DispatcherLogger } from '../../src/dispatcher/index.js';

/** A fresh migrated database, thrown away on close(). */
export interface TestDatabase {
  db: Database;
  close(): Promise<void>;
}

/**
 * A migrated database on PGlite (in memory) or PostgreSQL (a copy of the test
 * run's migrated template, or a cluster of this process when run alone).
 */
export async function openTestDatabase(engine: 'pglite' | 'postgres'): Promise<TestDatabase> {
  const db = await openEngine(engine);
  return { db, close: () => db.close() };
}

/** A logger that keeps every line, so tests can look for leaked secrets. */
export function memoryLogger(): DispatcherLogger & { lines: string[] } {
  const lines: string[] = [];
  const make = (bindings: Record<string, unknown>): DispatcherLogger => {
    const write = (level: string) => (obj: Record<string, unknown>, msg?: string) => {
      lines.push(JSON.stringify({ level, ...bindings, ...obj, msg }));
    };
    return {
      debug: write('debug'),
      info: write('info'),
      warn: write('warn'),
      error: write('error'),
      child: (more) => make({ ...bindings, ...more }),
    };
  };
  return Object.assign(make({}), { lines });
}

/** What a receiver saw of one request. */
export interface Received {
  headers: http.IncomingHttpHeaders;
  body: string;
  at: number;
}

/** How the receiver answers one request. */
export interface Reply {
  status?: number;
  headers?: Record<string, string>;
  body?: string;
  /** Wait this long before answering. */
  delayMs?: number;
  /** Drop the connection without answering. */
  destroy?: boolean;
}

/** A real HTTP receiver on loopback whose answers a test scripts. */
export interface Receiver {
  url: string;
  port: number;
  received: Received[];
  connections: number;
  reply: (req: Received) => Reply;
  close(): Promise<void>;
  waitFor(count: number, timeoutMs?: number): Promise<void>;
}

/** Starts a receiver on `host` (default 127.0.0.1), port 0. */
export async function startReceiver(host = '127.0.0.1', reply: (req: Received) => Reply = () => ({ status: 204 })): Promise<Receiver> {
  const receiver: Receiver = {
    url: '',
    port: 0,
    received: [],
    connections: 0,
    reply,
    close: async () => {},
    waitFor: async () => {},
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const got: Received = { headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), at: Date.now() };
      receiver.received.push(got);
      const r = receiver.reply(got);
      const answer = (): void => {
        if (r.destroy) {
          req.socket.destroy();
          return;
        }
        res.writeHead(r.status ?? 200, r.headers ?? {});
        res.end(r.body ?? '');
      };
      if (r.delayMs) setTimeout(answer, r.delayMs);
      else answer();
    });
  });
  server.on('connection', () => receiver.connections++);
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const port = (server.address() as AddressInfo).port;
  receiver.port = port;
  receiver.url = `http://${host.includes(':') ? `[${host}]` : host}:${port}/hook`;
  receiver.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  receiver.waitFor = async (count, timeoutMs = 10_000) => {
    const deadline = Date.now() + timeoutMs;
    while (receiver.received.length < count) {
      if (Date.now() > deadline) throw new Error(`receiver got ${receiver.received.length} of ${count} requests`);
      await new Promise((r) => setTimeout(r, 10));
    }
  };
  return receiver;
}

/** Settings of a test webhook, applied directly after create_webhook. */
export interface WebhookSettings {
  url: string;
  eventTypes?: string[];
  signatureAlgorithm?: 'sha256' | 'sha512';
  retryEnabled?: boolean;
  maxRetries?: number;
  retryDelaySeconds?: number;
  timeoutSeconds?: number;
}

/** Creates a webhook the way a user does (create_webhook as `authenticated`). */
export async function createWebhook(
  db: Database,
  settings: WebhookSettings,
  userId: string = randomUUID(),
): Promise<{ id: string; secret: string; userId: string }> {
  const rows = await db.withClaims({ role: 'authenticated', sub: userId }, (tx) =>
    tx.query<{ id: string; secret: string }>(
      `select id, secret from public.create_webhook(
         p_name => $1, p_url => $2, p_event_types => $3, p_signature_algorithm => $4,
         p_retry_enabled => $5, p_max_retries => $6, p_retry_delay_seconds => $7, p_timeout_seconds => $8)`,
      [
        'test hook',
        settings.url,
        settings.eventTypes ?? ['video.generated'],
        settings.signatureAlgorithm ?? 'sha256',
        settings.retryEnabled ?? true,
        settings.maxRetries ?? 3,
        settings.retryDelaySeconds ?? 60,
        settings.timeoutSeconds ?? 30,
      ],
    ),
  );
  const row = rows.rows[0]!;
  return { id: row.id, secret: row.secret, userId };
}

/** Triggers an event as the service role; returns the created delivery ids. */
export async function trigger(db: Database, eventType: string, payload: Record<string, unknown>): Promise<string[]> {
  const { rows } = await db.withClaims({ role: 'service_role' }, (tx) =>
    tx.query<{ result: { delivery_ids: string[] } }>('select public.trigger_webhook_event($1, $2::jsonb) as result', [
      eventType,
      JSON.stringify(payload),
    ]),
  );
  return rows[0]!.result.delivery_ids;
}

/** One delivery row, the columns tests look at. */
export interface DeliveryRow {
  id: string;
  status: string;
  attempt_number: number;
  max_attempts: number;
  next_retry_at: Date | null;
  response_status: number | null;
  response_body: string | null;
  response_body_truncated: boolean;
  request_url: string;
  error_code: string | null;
  error_message: string | null;
  locked_by: string | null;
  completed_at: Date | null;
  now: Date;
}

export async function getDelivery(db: Database, id: string): Promise<DeliveryRow> {
  const { rows } = await db.query<DeliveryRow>('select d.*, now() as now from public.webhook_deliveries d where d.id = $1', [id]);
  if (!rows[0]) throw new Error(`no delivery ${id}`);
  return rows[0];
}

/** Waits until `check` holds, polling. */
export async function eventually<T>(check: () => Promise<T | null | undefined | false>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Makes a retrying delivery due now, as if its backoff had passed. */
export async function makeDue(db: Database, id: string): Promise<void> {
  await db.query('update public.webhook_deliveries set next_retry_at = now() where id = $1', [id]);
}
