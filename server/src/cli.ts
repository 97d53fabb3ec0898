#!/usr/bin/env node
/**
 * `hookline` — serve the API (and the dispatcher), run only the dispatcher,
 * apply migrations, or mint a development token.
 */
import { parseArgs } from 'node:util';
import { mintToken } from './auth.js';
import { authenticatorFor, openDatabase, resolveKeys } from './app.js';
import { loadConfig, type HooklineConfig } from './config.js';
import type { Database } from '@hookline/database';
import { createDispatcher, type Dispatcher } from './dispatcher/index.js';
import { createLogger, type Logger } from './logger.js';
import { startServer, type RunningServer } from './server.js';

const USAGE = `Usage: hookline <command> [options]

Commands:
  serve                 GraphQL API on PORT (default 4000) and HOST (default 127.0.0.1), plus the dispatcher
  worker                the dispatcher only (run as many as you like against one PostgreSQL)
  migrate               apply the database migrations and exit
  token --user <uuid>   print a JWT for a user
  token --service-role  print a JWT for the service role
        [--expires-in 1h] (jose duration: 30m, 12h, 7d, ...)

Environment:
  DATABASE_URL                     PostgreSQL; without it, embedded PGlite in $HOOKLINE_DATA_DIR/pglite
  HOOKLINE_DATA_DIR                default ./.hookline (PGlite data, generated dev JWT secret)
  HOOKLINE_JWT_SECRET              HS256 secret (e.g. the Supabase JWT secret)
  HOOKLINE_JWKS_URL                verify with keys from a JWKS URL instead
  HOOKLINE_RATE_LIMIT_PER_SECOND   per caller, default 50 (0 disables); HOOKLINE_RATE_LIMIT_BURST default 2x
  HOOKLINE_ALLOW_PRIVATE_NETWORKS  CIDRs the dispatcher may deliver to (e.g. 127.0.0.0/8 for local receivers)
  HOOKLINE_LOG_LEVEL               debug | info | warn | error | silent
`;

function onSignal(logger: Logger, stop: () => Promise<void>): void {
  let stopping = false;
  const handler = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, 'shutting down');
    stop().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', handler);
  process.on('SIGINT', handler);
}

async function serve(config: HooklineConfig, logger: Logger, withApi: boolean): Promise<void> {
  // Signals are handled from the first moment: a SIGTERM during start-up still stops cleanly.
  const resources: { server?: RunningServer; dispatcher?: Dispatcher; db?: Database } = {};
  const shutdown = async () => {
    await resources.server?.close();
    await resources.dispatcher?.stop();
    await resources.db?.close();
  };
  onSignal(logger, shutdown);
  try {
    const db = (resources.db = await openDatabase(config, logger));
    const dispatcher = (resources.dispatcher = createDispatcher({
      db,
      logger: logger.child({ component: 'dispatcher' }),
      allowPrivateNetworks: config.allowPrivateNetworks,
      concurrency: config.workerConcurrency,
    }));
    if (withApi) {
      const { auth, keys } = await authenticatorFor(config);
      if ('devSecretFile' in keys && keys.devSecretFile) logger.warn({ file: keys.devSecretFile }, 'no HOOKLINE_JWT_SECRET or HOOKLINE_JWKS_URL: using the generated development secret');
      resources.server = await startServer({
        db,
        auth,
        logger: logger.child({ component: 'api' }),
        port: config.port,
        host: config.host,
        rateLimit: config.rateLimit,
        maxBodyBytes: config.maxBodyBytes,
        graphiql: config.graphiql,
        deliverNow: (id) => dispatcher.deliverNow(id),
      });
    }
    await dispatcher.start();
    if (resources.server) logger.info({ url: resources.server.graphqlUrl, engine: db.engine }, `Hookline API listening on ${resources.server.graphqlUrl}`);
  } catch (err) {
    await shutdown().catch(() => {});
    throw err;
  }
}

/** Runs the CLI with `argv` (without node and the script). */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === 'help' || command === '--help' || command === '-h') {
    process.stdout.write(USAGE);
    return command ? 0 : 1;
  }
  const config = loadConfig();
  const logger = createLogger();
  switch (command) {
    case 'serve':
      await serve(config, logger, true);
      return -1;
    case 'worker':
      await serve(config, logger, false);
      return -1;
    case 'migrate': {
      const db = await openDatabase(config, logger);
      await db.close();
      return 0;
    }
    case 'token': {
      const { values } = parseArgs({
        args: rest,
        options: { user: { type: 'string' }, 'service-role': { type: 'boolean' }, 'expires-in': { type: 'string' } },
      });
      if (Boolean(values.user) === Boolean(values['service-role'])) {
        process.stderr.write('hookline token: pass exactly one of --user <uuid> or --service-role\n');
        return 2;
      }
      const keys = await resolveKeys(config);
      if (!('secret' in keys)) {
        process.stderr.write('hookline token: HOOKLINE_JWKS_URL is set; mint tokens with your identity provider instead\n');
        return 2;
      }
      const token = await mintToken({
        secret: keys.secret,
        subject: values['service-role'] ? 'service_role' : { user: String(values.user) },
        expiresIn: values['expires-in'] ?? '1h',
        audience: config.jwtAudience,
        issuer: config.jwtIssuer,
      });
      process.stdout.write(token + '\n');
      return 0;
    }
    default:
      process.stderr.write(`hookline: unknown command "${command}"\n\n${USAGE}`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`hookline: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
