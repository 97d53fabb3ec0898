/**
 * The transaction a request runs in: opened on the first SQL the request makes,
 * as the caller (db.withClaims, so RLS decides), kept open across resolvers, and
 * committed once the response is ready. Resolver calls run one at a time; every
 * call after the first in a transaction gets a savepoint, so one failing field
 * rolls back only its own work.
 */
import type { Database, Queryable } from '@hookline/database';
import type { Claims } from './auth.js';
import { fromSqlError, internalError, isSqlError } from './errors.js';
import type { Logger } from './logger.js';

class Rollback extends Error {}

interface OpenTransaction {
  tx: Promise<Queryable>;
  runs: number;
  end(commit: boolean): Promise<void>;
}

/** A request's lazily opened transaction. */
export interface RequestTransaction {
  /** Runs `fn` in the transaction; SQL errors come back as Hookline GraphQL errors. */
  run<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Commits what has run so far; the next `run` opens a new transaction. */
  commit(): Promise<void>;
  /** Rolls back what has not been committed. */
  rollback(): Promise<void>;
}

function open(db: Database, claims: Claims): OpenTransaction {
  let finish!: (commit: boolean) => void;
  const finished = new Promise<void>((resolve, reject) => {
    finish = (commit) => (commit ? resolve() : reject(new Rollback()));
  });
  finished.catch(() => {});
  let gotTx!: (tx: Queryable) => void;
  const txReady = new Promise<Queryable>((resolve) => (gotTx = resolve));
  const done = db.withClaims(claims, async (tx) => {
    gotTx(tx);
    await finished;
  });
  done.catch(() => {});
  // If the transaction cannot even begin, `done` settles before `fn` ran.
  const tx = Promise.race([txReady, done.then(() => Promise.reject(new Error('transaction ended before use')))]);
  tx.catch(() => {});
  return {
    tx,
    runs: 0,
    async end(commit) {
      finish(commit);
      try {
        await done;
      } catch (err) {
        if (!(err instanceof Rollback)) throw err;
      }
    },
  };
}

/** Creates the transaction holder of one request. */
export function createRequestTransaction(db: Database, claims: Claims, logger: Logger): RequestTransaction {
  let current: OpenTransaction | undefined;
  let queue: Promise<unknown> = Promise.resolve();
  let savepoints = 0;

  // Logged here, with the request's id, because the client only sees INTERNAL_SERVER_ERROR.
  const toGraphQLError = (err: unknown): unknown => {
    if (isSqlError(err)) {
      const mapped = fromSqlError(err);
      if (mapped.extensions.code === 'INTERNAL_SERVER_ERROR') logger.error({ err }, 'database error');
      return mapped;
    }
    if (err instanceof Error && err.name === 'GraphQLError') return err;
    logger.error({ err }, 'unexpected resolver error');
    return internalError();
  };

  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const result = queue.then(fn, fn);
    queue = result.catch(() => {});
    return result;
  };

  const endCurrent = async (commit: boolean) => {
    const ending = current;
    current = undefined;
    if (ending) await ending.end(commit);
  };

  return {
    run<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
      return serial(async () => {
        current ??= open(db, claims);
        const owner = current;
        let tx: Queryable;
        try {
          tx = await owner.tx;
        } catch (err) {
          current = undefined;
          logger.error({ err }, 'could not open the request transaction');
          throw internalError();
        }
        const first = owner.runs++ === 0;
        if (first) {
          try {
            return await fn(tx);
          } catch (err) {
            // Nothing else is in this transaction yet: drop it whole.
            await endCurrent(false).catch(() => {});
            throw toGraphQLError(err);
          }
        }
        const name = `hookline_sp_${++savepoints}`;
        await tx.query(`savepoint ${name}`);
        try {
          const value = await fn(tx);
          await tx.query(`release savepoint ${name}`);
          return value;
        } catch (err) {
          await tx.query(`rollback to savepoint ${name}`).catch(() => endCurrent(false).catch(() => {}));
          throw toGraphQLError(err);
        }
      });
    },
    commit: () => serial(() => endCurrent(true)),
    rollback: () => serial(() => endCurrent(false)),
  };
}
