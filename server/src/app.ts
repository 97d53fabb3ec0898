/**
 * Wiring shared by the CLI commands: open and migrate the configured database,
 * build the authenticator, create the dispatcher.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { migrate, openPglite, openPostgres, type Database } from '@hookline/database';
import { createAuthenticator, loadOrCreateDevSecret, type Authenticator, type KeySource } from './auth.js';
import type { HooklineConfig } from './config.js';
import type { Logger } from './logger.js';

/** Opens PostgreSQL (DATABASE_URL) or the embedded PGlite under the data dir, and migrates it. */
export async function openDatabase(config: HooklineConfig, logger: Logger): Promise<Database> {
  let db: Database;
  if (config.databaseUrl) db = await openPostgres(config.databaseUrl);
  else {
    await mkdir(config.dataDir, { recursive: true, mode: 0o700 });
    db = await openPglite(join(config.dataDir, 'pglite'));
  }
  try {
    const { applied } = await migrate(db);
    logger.info({ engine: db.engine, applied, ...(config.databaseUrl ? {} : { dataDir: join(config.dataDir, 'pglite') }) }, 'database ready');
  } catch (err) {
    await db.close().catch(() => {});
    throw err;
  }
  return db;
}

/** The key source: the configured secret or JWKS URL, else the dev secret in `<dataDir>/jwt-secret`. */
export async function resolveKeys(config: HooklineConfig): Promise<KeySource & { devSecretFile?: string }> {
  if (config.keys) return config.keys;
  const file = join(config.dataDir, 'jwt-secret');
  return { secret: await loadOrCreateDevSecret(file), devSecretFile: file };
}

/** The authenticator for the configuration. */
export async function authenticatorFor(config: HooklineConfig): Promise<{ auth: Authenticator; keys: KeySource & { devSecretFile?: string } }> {
  const keys = await resolveKeys(config);
  return { auth: createAuthenticator({ keys, audience: config.jwtAudience, issuer: config.jwtIssuer }), keys };
}
