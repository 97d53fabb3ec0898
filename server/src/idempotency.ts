/**
 * `Idempotency-Key` for mutations, kept in PostgreSQL (public.idempotency_keys).
 *
 * 1. claim: insert the key with the request's hash and no response, in its own
 *    committed transaction, so a concurrent duplicate sees it in progress;
 * 2. the mutation runs; its response is written to the key in the mutation's
 *    own transaction, so effects and record commit together or not at all;
 * 3. a request that failed on the server side (5xx) releases its claim, so the
 *    client's retry with the same key runs again.
 *
 * An unfinished claim older than {@link STALE_CLAIM_SECONDS} belonged to a
 * process that died before committing (the record commits with the effects),
 * so it is taken over.
 */
import { createHash } from 'node:crypto';
import type { Database, Queryable } from '@hookline/database';
import type { Claims } from './auth.js';

/** How long a key is remembered. */
export const IDEMPOTENCY_TTL_HOURS = 24;
/** After this long an unfinished claim is considered abandoned. */
export const STALE_CLAIM_SECONDS = 300;
const KEY = /^[\x21-\x7e]{1,255}$/;

/** The stored outcome of a request. */
export interface StoredResponse {
  status: number;
  body: unknown;
}

/** What {@link claimIdempotencyKey} decided. */
export type ClaimResult =
  | { kind: 'claimed' }
  | { kind: 'replay'; response: StoredResponse }
  | { kind: 'conflict'; reason: 'other_body' | 'in_progress' };

/** Whether `key` is a usable header value (printable ASCII, 1-255 chars). */
export function isValidIdempotencyKey(key: string): boolean {
  return KEY.test(key);
}

/** The `user_key` of a caller: their `sub`, or `service_role`. */
export function idempotencyUserKey(claims: Claims): string {
  return claims.role === 'service_role' ? 'service_role' : String(claims.sub);
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).sort().map((k) => [k, canonical((value as Record<string, unknown>)[k])]));
  }
  return value;
}

/** Hash of the GraphQL request (query, operation name, variables; key order ignored). */
export function requestHash(params: { query?: unknown; operationName?: unknown; variables?: unknown }): string {
  const text = JSON.stringify(canonical([params.query ?? null, params.operationName ?? null, params.variables ?? null]));
  return createHash('sha256').update(text).digest('hex');
}

/** Claims `key` for this request, or says why not. */
export async function claimIdempotencyKey(db: Database, claims: Claims, key: string, hash: string): Promise<ClaimResult> {
  const userKey = idempotencyUserKey(claims);
  return db.withClaims(claims, async (tx) => {
    const inserted = await tx.query(
      `insert into public.idempotency_keys (user_key, key, request_hash, expires_at)
       values ($1, $2, $3, now() + make_interval(hours => $4))
       on conflict (user_key, key) do update
         set request_hash = excluded.request_hash, response = null, http_status = null,
             created_at = now(), expires_at = excluded.expires_at
         where public.idempotency_keys.expires_at <= now()
            or (public.idempotency_keys.http_status is null
                and public.idempotency_keys.created_at < now() - make_interval(secs => $5))
       returning key`,
      [userKey, key, hash, IDEMPOTENCY_TTL_HOURS, STALE_CLAIM_SECONDS],
    );
    if (inserted.rowCount > 0) return { kind: 'claimed' } as const;
    const { rows } = await tx.query<{ request_hash: string; response: unknown; http_status: number | null }>(
      'select request_hash, response, http_status from public.idempotency_keys where user_key = $1 and key = $2',
      [userKey, key],
    );
    const row = rows[0];
    // Deleted in between (a failed request released it): treat as taken now, the client retries.
    if (!row) return { kind: 'conflict', reason: 'in_progress' } as const;
    if (row.request_hash !== hash) return { kind: 'conflict', reason: 'other_body' } as const;
    if (row.http_status === null) return { kind: 'conflict', reason: 'in_progress' } as const;
    return { kind: 'replay', response: { status: row.http_status, body: row.response } } as const;
  });
}

/** Records the response on the claimed key, inside the request's transaction. */
export async function storeIdempotentResponse(tx: Queryable, claims: Claims, key: string, response: StoredResponse): Promise<void> {
  await tx.query('update public.idempotency_keys set response = $3::jsonb, http_status = $4 where user_key = $1 and key = $2', [
    idempotencyUserKey(claims),
    key,
    JSON.stringify(response.body),
    response.status,
  ]);
}

/** Gives up a claim whose request failed, so a retry with the same key runs. */
export async function releaseIdempotencyKey(db: Database, claims: Claims, key: string): Promise<void> {
  await db.withClaims(claims, (tx) =>
    tx.query('delete from public.idempotency_keys where user_key = $1 and key = $2 and http_status is null', [idempotencyUserKey(claims), key]),
  );
}
