import type { Queryable } from '@hookline/database';
import type { Claims } from './auth.js';
import type { Logger } from './logger.js';

/** What every resolver receives. */
export interface RequestContext {
  /** The verified token's claims; RLS sees the same through `request.jwt.claims`. */
  claims: Claims;
  requestId: string;
  logger: Logger;
  /**
   * Runs `fn` inside the request's transaction (opened on first use, as the
   * caller's role), in a savepoint so that one failing field does not poison
   * the others. SQL errors come back as GraphQL errors with Hookline codes.
   */
  sql<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Commits the request's transaction now; the next `sql` call opens a new one. */
  commit(): Promise<void>;
  /** The dispatcher, when this process runs one. */
  deliverNow?: (deliveryId: string) => Promise<void>;
}
