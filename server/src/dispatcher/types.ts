/**
 * Structural types the dispatcher needs from its surroundings, so it builds
 * without depending on how the database package or the logger are implemented.
 */

/** The subset of `@hookline/database`'s `Database` the dispatcher uses. */
export interface DispatcherDatabase {
  readonly engine: 'postgres' | 'pglite';
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<{ rows: T[]; rowCount: number }>;
  listen(channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>>;
}

/** Structured logger (pino-like): `(obj, msg)` calls and `child(bindings)`. */
export interface DispatcherLogger {
  info(obj: Record<string, unknown>, msg?: string): void;
  debug(obj: Record<string, unknown>, msg?: string): void;
  warn(obj: Record<string, unknown>, msg?: string): void;
  error(obj: Record<string, unknown>, msg?: string): void;
  child(bindings: Record<string, unknown>): DispatcherLogger;
}

/** Options of {@link createDispatcher}. */
export interface DispatcherOptions {
  db: DispatcherDatabase;
  logger: DispatcherLogger;
  /** Name written to the lease and to attempt history; default `<hostname>:<pid>:<random>`. */
  workerId?: string;
  /** Most requests in flight at once; default 200. */
  concurrency?: number;
  /** Most deliveries claimed per round trip; default 100. */
  batchSize?: number;
  /** How long a claim stays ours before another worker may take it; default 60. */
  leaseSeconds?: number;
  /** Fallback poll when no notification arrives; default 1000 ms. */
  pollIntervalMs?: number;
  /** CIDRs exempt from the SSRF guard (`HOOKLINE_ALLOW_PRIVATE_NETWORKS`). */
  allowPrivateNetworks?: string[];
  /** How long `stop()` waits for requests in flight before releasing them; default 10000 ms. */
  shutdownTimeoutMs?: number;
  /** DNS lookup used by the SSRF guard; tests inject one. Default `dns.lookup` with `all: true`. */
  lookup?: LookupAll;
}

/** Resolves a host name to every address, like `dns.promises.lookup(host, { all: true })`. */
export type LookupAll = (hostname: string) => Promise<Array<{ address: string; family: number }>>;

/** A running dispatcher. */
export interface Dispatcher {
  /** Starts listening and claiming; resolves once the first claim round is scheduled. */
  start(): Promise<void>;
  /** Stops claiming, finishes requests in flight within the shutdown bound, releases the rest. */
  stop(): Promise<void>;
  /** Claims one delivery by id and makes its attempt now, resolving when the outcome is recorded. */
  deliverNow(deliveryId: string): Promise<void>;
}
