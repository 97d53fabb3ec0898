import pg from 'pg';
import { claimsParams, claimsSql } from './claims.js';
import type { Database, JwtClaims, QueryResult, Transaction } from './types.js';

const INT8 = 20;
const DATE = 1082;

// Same values as PGlite returns (see Database): counts as numbers, dates as text.
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8) return (value: string) => Number(value);
    if (oid === DATE) return (value: string) => value;
    return pg.types.getTypeParser(oid, format);
  },
};

function wrap(client: pg.PoolClient | pg.Pool): Transaction {
  return {
    async query<T>(sql: string, params?: unknown[]): Promise<QueryResult<T>> {
      const result = await client.query(sql, params);
      return { rows: result.rows as T[], rowCount: result.rowCount ?? 0 };
    },
    async exec(sql: string): Promise<void> {
      // Without parameters pg uses the simple protocol, which takes several statements.
      await client.query(sql);
    },
  };
}

/**
 * Opens a pool on a PostgreSQL server (or Supabase).
 * @param connectionString a `postgres://` URL
 * @param opts.max the pool size (default 10)
 */
export async function openPostgres(connectionString: string, opts: { max?: number } = {}): Promise<Database> {
  const pool = new pg.Pool({ connectionString, max: opts.max ?? 10, types });
  // An idle client's error (server restart) must not crash the process; the next query reconnects.
  pool.on('error', () => {});
  const listeners = new Set<pg.Client>();
  await pool.query('select 1');

  async function transaction<T>(fn: (tx: Transaction) => Promise<T>, claims?: JwtClaims): Promise<T> {
    const params = claims ? claimsParams(claims) : undefined;
    const client = await pool.connect();
    let broken = false;
    try {
      await client.query('begin');
      if (params) await client.query(claimsSql, params);
      const result = await fn(wrap(client));
      await client.query('commit');
      return result;
    } catch (error) {
      try {
        await client.query('rollback');
      } catch {
        broken = true;
      }
      throw error;
    } finally {
      client.release(broken);
    }
  }

  return {
    engine: 'postgres',
    query: wrap(pool).query,
    exec: wrap(pool).exec,
    transaction: (fn) => transaction(fn),
    withClaims: (claims, fn) => transaction(fn, claims),
    async listen(channel, onPayload) {
      const client = new pg.Client({ connectionString, types });
      client.on('error', () => {});
      await client.connect();
      client.on('notification', (message) => {
        if (message.channel === channel) onPayload(message.payload ?? '');
      });
      await client.query(`listen ${pg.escapeIdentifier(channel)}`);
      listeners.add(client);
      return async () => {
        if (!listeners.delete(client)) return;
        await client.end();
      };
    },
    async close() {
      await Promise.all([...listeners].map((client) => client.end()));
      listeners.clear();
      await pool.end();
    },
  };
}
