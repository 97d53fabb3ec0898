/** The result of one statement: its rows and how many rows it returned or changed. */
export interface QueryResult<T> {
  rows: T[];
  rowCount: number;
}

/** Anything that runs one parameterised statement: a database or an open transaction. */
export interface Queryable {
  /** Runs one statement with `$1`-style parameters. */
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<QueryResult<T>>;
}

/** An open transaction: statements run in it until the callback returns. */
export interface Transaction extends Queryable {
  /** Runs several statements separated by `;` (no parameters) inside the transaction. */
  exec(sql: string): Promise<void>;
}

/** The role PostgREST would switch to for a request. */
export type JwtRole = 'anon' | 'authenticated' | 'service_role';

/** The JWT claims of one request, as PostgREST puts them into `request.jwt.claims`. */
export interface JwtClaims {
  role: JwtRole;
  /** The user id (uuid) for `authenticated`. */
  sub?: string;
  [claim: string]: unknown;
}

/**
 * Hookline's database: the same interface over PostgreSQL (`pg`) and PGlite.
 * Values come back the same on both engines: bigint as number, numeric as
 * string, date as `YYYY-MM-DD` string, timestamptz as `Date`, json(b) parsed.
 */
export interface Database extends Queryable {
  readonly engine: 'postgres' | 'pglite';
  /** Runs several statements separated by `;` (no parameters). */
  exec(sql: string): Promise<void>;
  /**
   * Runs `fn` in one transaction (commit on success, rollback on error).
   * Use only `tx` inside: on PGlite, calling the database itself would wait for the transaction.
   */
  transaction<T>(fn: (tx: Transaction) => Promise<T>): Promise<T>;
  /**
   * Runs `fn` in one transaction as `claims.role` with `request.jwt.claims`
   * set, exactly as PostgREST does, so row-level security decides what it sees.
   */
  withClaims<T>(claims: JwtClaims, fn: (tx: Transaction) => Promise<T>): Promise<T>;
  /** Calls `onPayload` for every NOTIFY on `channel` until the returned function is called. */
  listen(channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>>;
  /** Closes every connection (and the listeners). */
  close(): Promise<void>;
}
