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
  const listeners = new Set<Listener>();
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
      const listener = new Listener(connectionString, channel, onPayload);
      await listener.start();
      listeners.add(listener);
      return async () => {
        if (!listeners.delete(listener)) return;
        await listener.stop();
      };
    },
    async close() {
      await Promise.all([...listeners].map((listener) => listener.stop()));
      listeners.clear();
      await pool.end();
    },
  };
}

/**
 * LISTEN on a dedicated connection (a pooled one would be handed to other
 * queries). When the connection drops it reconnects with backoff, so a
 * server restart costs the notifications sent meanwhile, never the listener.
 */
class Listener {
  private client: pg.Client | undefined;
  private stopped = false;
  private retryTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly connectionString: string,
    private readonly channel: string,
    private readonly onPayload: (payload: string) => void,
  ) {}

  async start(): Promise<void> {
    this.attach(await this.connect());
  }

  private async connect(): Promise<pg.Client> {
    const client = new pg.Client({ connectionString: this.connectionString, types });
    // A broken connection also emits 'end', which is where we reconnect.
    client.on('error', () => {});
    client.on('notification', (message) => {
      if (message.channel === this.channel) this.onPayload(message.payload ?? '');
    });
    try {
      await client.connect();
      await client.query(`listen ${pg.escapeIdentifier(this.channel)}`);
      return client;
    } catch (error) {
      await client.end().catch(() => {});
      throw error;
    }
  }

  private attach(client: pg.Client): void {
    this.client = client;
    client.once('end', () => {
      if (this.client !== client) return;
      this.client = undefined;
      this.retry(100);
    });
  }

  private retry(delayMs: number): void {
    if (this.stopped) return;
    this.retryTimer = setTimeout(async () => {
      this.retryTimer = undefined;
      try {
        const client = await this.connect();
        if (this.stopped) await client.end().catch(() => {});
        else this.attach(client);
      } catch {
        this.retry(Math.min(delayMs * 2, 5000));
      }
    }, delayMs);
    this.retryTimer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => {});
  }
}
