import { PGlite, types as pgliteTypes } from '@electric-sql/pglite';
import { pgcrypto } from '@electric-sql/pglite/contrib/pgcrypto';
import { claimsParams, claimsSql } from './claims.js';
import type { Database, JwtClaims, QueryResult, Transaction } from './types.js';

interface PgliteTarget {
  query<T>(sql: string, params?: unknown[]): Promise<{ rows: T[]; affectedRows?: number }>;
  exec(sql: string): Promise<unknown>;
}

function wrap(target: PgliteTarget): Transaction {
  return {
    async query<T>(sql: string, params?: unknown[]): Promise<QueryResult<T>> {
      const result = await target.query<T>(sql, params);
      return { rows: result.rows, rowCount: result.rows.length || result.affectedRows || 0 };
    },
    async exec(sql: string): Promise<void> {
      await target.exec(sql);
    },
  };
}

/**
 * Opens an embedded PGlite database with pgcrypto.
 * @param dataDir a directory to persist into; undefined keeps it in memory
 */
export async function openPglite(dataDir?: string): Promise<Database> {
  const db = await PGlite.create({
    dataDir,
    extensions: { pgcrypto },
    // Same values as the pg driver returns (see Database): dates as text.
    parsers: { [pgliteTypes.DATE]: (value: string) => value },
  });

  async function transaction<T>(fn: (tx: Transaction) => Promise<T>, claims?: JwtClaims): Promise<T> {
    const params = claims ? claimsParams(claims) : undefined;
    return db.transaction(async (tx) => {
      if (params) await tx.query(claimsSql, params);
      return fn(wrap(tx));
    });
  }

  return {
    engine: 'pglite',
    query: wrap(db).query,
    exec: wrap(db).exec,
    transaction: (fn) => transaction(fn),
    withClaims: (claims, fn) => transaction(fn, claims),
    async listen(channel, onPayload) {
      const unlisten = await db.listen(channel, onPayload);
      return async () => {
        if (!db.closed) await unlisten();
      };
    },
    async close() {
      if (!db.closed) await db.close();
    },
  };
}
