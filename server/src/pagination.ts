/**
 * Opaque keyset cursors over `(created_at, id)`, newest first. The timestamp is
 * kept as PostgreSQL's own text form so no precision is lost (JS dates stop at ms).
 */
import { badInput } from './errors.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const PG_TIMESTAMPTZ = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d{1,6})?([+-]\d{2}(:?\d{2}){0,2}|Z)$/;

/** A decoded cursor. */
export interface Cursor {
  createdAt: string;
  id: string;
}

/** Encodes a row's position. */
export function encodeCursor(createdAt: string, id: string): string {
  return Buffer.from(JSON.stringify([createdAt, id]), 'utf8').toString('base64url');
}

/** Decodes `after`; BAD_USER_INPUT when it is not one of ours. */
export function decodeCursor(after: string | null | undefined): Cursor | undefined {
  if (after === null || after === undefined || after === '') return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(after, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2 && typeof value[0] === 'string' && typeof value[1] === 'string' && UUID.test(value[1]) && PG_TIMESTAMPTZ.test(value[0])) {
      return { createdAt: value[0], id: value[1] };
    }
  } catch {
    // fall through
  }
  throw badInput('after', 'after is not a valid cursor; pass a pageInfo.endCursor from a previous page');
}

/** Builds a connection from `limit + 1` rows fetched in page order. */
export function toConnection<R extends { cursor_ts: unknown; id: unknown }, N>(rows: R[], limit: number, map: (row: R) => N) {
  const page = rows.slice(0, limit);
  const edges = page.map((row) => ({ cursor: encodeCursor(String(row.cursor_ts), String(row.id)), node: map(row) }));
  return {
    edges,
    pageInfo: { hasNextPage: rows.length > limit, endCursor: edges.length ? edges[edges.length - 1]!.cursor : null },
  };
}
