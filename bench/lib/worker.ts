/**
 * One dispatcher process for the delivery benchmark (what `hookline worker`
 * runs). Connects, prints `ready`, starts claiming when it reads `go` on stdin,
 * stops gracefully on SIGTERM.
 */
import { openPostgres } from '@hookline/database';
import { createDispatcher, type DispatcherLogger } from '../../server/src/dispatcher/index.js';

const db = await openPostgres(process.env.DATABASE_URL!, { max: 4 });
const log: DispatcherLogger = {
  debug: () => {},
  info: () => {},
  warn: (obj, msg) => process.stderr.write(`${JSON.stringify({ ...obj, msg })}\n`),
  error: (obj, msg) => process.stderr.write(`${JSON.stringify({ ...obj, msg })}\n`),
  child: () => log,
};
const dispatcher = createDispatcher({
  db,
  logger: log,
  workerId: process.env.WORKER_ID,
  concurrency: process.env.CONCURRENCY ? Number(process.env.CONCURRENCY) : undefined,
  batchSize: process.env.BATCH_SIZE ? Number(process.env.BATCH_SIZE) : undefined,
  allowPrivateNetworks: ['127.0.0.1/32'],
});
process.stdout.write('ready\n');
process.stdin.once('data', () => {
  void dispatcher.start().then(() => process.stdout.write('started\n'));
});
process.on('SIGTERM', () => {
  void dispatcher
    .stop()
    .then(() => db.close())
    .then(() => process.exit(0));
});
