/**
 * A dispatcher process for the crash tests: what `hookline worker`
 * runs, reduced to the dispatcher. Configured by environment:
 * DATABASE_URL, WORKER_ID, LEASE_SECONDS, CONCURRENCY, BATCH_SIZE, POLL_MS.
 * Prints `ready` once claiming; SIGTERM stops it gracefully.
 */
import type * as DatabasePackage from '@hookline/database';
import { createDispatcher, type DispatcherLogger } from '../../src/dispatcher/index.js';

// The database package's source, as vitest.config.ts aliases it, so the test needs no build.
const source = new URL('../../../database/src/index.ts', import.meta.url).href;
const { openPostgres } = (await import(source)) as typeof DatabasePackage;

const env = process.env;
const db = await openPostgres(env.DATABASE_URL!, { max: 4 });
const quiet: DispatcherLogger = {
  debug: () => {},
  info: () => {},
  warn: (obj, msg) => process.stderr.write(`${JSON.stringify({ ...obj, msg })}\n`),
  error: (obj, msg) => process.stderr.write(`${JSON.stringify({ ...obj, msg })}\n`),
  child: () => quiet,
};
const dispatcher = createDispatcher({
  db,
  logger: quiet,
  workerId: env.WORKER_ID,
  leaseSeconds: env.LEASE_SECONDS ? Number(env.LEASE_SECONDS) : undefined,
  concurrency: env.CONCURRENCY ? Number(env.CONCURRENCY) : undefined,
  batchSize: env.BATCH_SIZE ? Number(env.BATCH_SIZE) : undefined,
  pollIntervalMs: env.POLL_MS ? Number(env.POLL_MS) : 100,
  allowPrivateNetworks: ['127.0.0.1/32'],
});
await dispatcher.start();
process.stdout.write('ready\n');
process.on('SIGTERM', () => {
  void dispatcher
    .stop()
    .then(() => db.close())
    .then(() => process.exit(0));
});
