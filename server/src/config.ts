/**
 * Configuration from the environment, in one place.
 */
import { resolve } from 'node:path';
import type { KeySource } from './auth.js';

/** Everything `hookline` reads from the environment. */
export interface HooklineConfig {
  /** PostgreSQL URL; absent means embedded PGlite under `dataDir/pglite`. */
  databaseUrl?: string;
  /** `HOOKLINE_DATA_DIR`, default `./.hookline`: PGlite data and the dev JWT secret. */
  dataDir: string;
  port: number;
  host: string;
  /** From HOOKLINE_JWT_SECRET or HOOKLINE_JWKS_URL; absent means the dev secret file. */
  keys?: KeySource;
  jwtAudience?: string;
  jwtIssuer?: string;
  rateLimit: { perSecond: number; burst: number };
  maxBodyBytes: number;
  graphiql: boolean;
  allowPrivateNetworks: string[];
  workerConcurrency?: number;
}

function num(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a non-negative number, got ${JSON.stringify(raw)}`);
  return value;
}

/** Reads the configuration; throws with the variable's name when one is malformed. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): HooklineConfig {
  const secret = env.HOOKLINE_JWT_SECRET?.trim();
  const jwksUrl = env.HOOKLINE_JWKS_URL?.trim();
  const port = num(env, 'PORT', 4000);
  if (!Number.isInteger(port) || port > 65535) throw new Error(`PORT must be a port number, got ${JSON.stringify(env.PORT)}`);
  const perSecond = num(env, 'HOOKLINE_RATE_LIMIT_PER_SECOND', 50);
  return {
    databaseUrl: env.DATABASE_URL?.trim() || undefined,
    dataDir: resolve(cwd, env.HOOKLINE_DATA_DIR?.trim() || '.hookline'),
    port,
    host: env.HOST?.trim() || '127.0.0.1',
    keys: secret ? { secret } : jwksUrl ? { jwksUrl } : undefined,
    jwtAudience: env.HOOKLINE_JWT_AUDIENCE?.trim() || undefined,
    jwtIssuer: env.HOOKLINE_JWT_ISSUER?.trim() || undefined,
    rateLimit: { perSecond, burst: num(env, 'HOOKLINE_RATE_LIMIT_BURST', Math.max(1, perSecond * 2)) },
    maxBodyBytes: num(env, 'HOOKLINE_MAX_BODY_BYTES', 1024 * 1024),
    graphiql: !/^(0|false|no|off)$/i.test(env.HOOKLINE_GRAPHIQL ?? (env.NODE_ENV === 'production' ? 'false' : 'true')),
    allowPrivateNetworks: (env.HOOKLINE_ALLOW_PRIVATE_NETWORKS ?? '').split(',').map((s) => s.trim()).filter(Boolean),
    workerConcurrency: env.HOOKLINE_WORKER_CONCURRENCY ? num(env, 'HOOKLINE_WORKER_CONCURRENCY', 64) : undefined,
  };
}
