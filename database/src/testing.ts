import { migrate } from './migrate.js';
import { openPglite } from './pglite.js';
import { openPostgres } from './postgres.js';
import { startPostgresCluster, type PostgresCluster } from './cluster.js';
import type { Database } from './types.js';

export { startPostgresCluster, type PostgresCluster } from './cluster.js';

/** The two engines every SQL test runs against. */
export const testEngines = ['postgres', 'pglite'] as const;
export type TestEngine = (typeof testEngines)[number];

const URL_ENV = 'HOOKLINE_TEST_DATABASE_URL';
const TEMPLATE_ENV = 'HOOKLINE_TEST_TEMPLATE';
const TEMPLATE = 'hookline_template';

let globalCluster: PostgresCluster | undefined;

/**
 * Vitest globalSetup: one PostgreSQL cluster for the whole test run, with a
 * migrated template database, announced to the test workers through
 * HOOKLINE_TEST_DATABASE_URL / HOOKLINE_TEST_TEMPLATE. Re-export it from a
 * file named in `globalSetup`:
 * `export { setupTestCluster as setup, teardownTestCluster as teardown } from '@hookline/database/testing';`
 */
export async function setupTestCluster(): Promise<void> {
  if (process.env[URL_ENV]) return;
  globalCluster = await startPostgresCluster();
  const templateUrl = await globalCluster.createDatabase({ name: TEMPLATE });
  const db = await openPostgres(templateUrl, { max: 1 });
  try {
    await migrate(db);
  } finally {
    await db.close();
  }
  process.env[URL_ENV] = globalCluster.url;
  process.env[TEMPLATE_ENV] = TEMPLATE;
}

/** Vitest globalTeardown counterpart of setupTestCluster. */
export async function teardownTestCluster(): Promise<void> {
  await globalCluster?.stop();
  globalCluster = undefined;
}

// Without the global setup (a single file run by hand), each process starts its own cluster.
let processCluster: Promise<{ url: string; template?: string }> | undefined;

function clusterForTests(): Promise<{ url: string; template?: string }> {
  const url = process.env[URL_ENV];
  if (url) return Promise.resolve({ url, template: process.env[TEMPLATE_ENV] });
  processCluster ??= startPostgresCluster().then((cluster) => ({ url: cluster.url }));
  return processCluster;
}

// Database names made here are [a-z0-9_] only, so they need no quoting.
async function asAdmin(adminUrl: string, sql: string): Promise<void> {
  const admin = await openPostgres(adminUrl, { max: 1 });
  try {
    await admin.query(sql);
  } finally {
    await admin.close();
  }
}

/**
 * A fresh database on one engine, migrated unless `migrated: false`, that is
 * thrown away on close(): on PostgreSQL a new database in the test run's
 * cluster (a copy of the migrated template), on PGlite a new in-memory
 * instance.
 */
export async function openTestDatabase(
  engine: TestEngine,
  opts: { migrated?: boolean } = {},
): Promise<Database> {
  const migrated = opts.migrated ?? true;
  if (engine === 'pglite') {
    const db = await openPglite();
    if (migrated) await migrate(db);
    return db;
  }
  const cluster = await clusterForTests();
  const name = `hookline_test_${process.pid}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const template = migrated && cluster.template ? cluster.template : 'template0';
  await asAdmin(cluster.url, `create database ${name} template ${template}`);
  const db = await openPostgres(cluster.url.replace(/\/[^/]*$/, `/${name}`));
  if (migrated && template === 'template0') await migrate(db);
  const close = db.close;
  return Object.assign(db, {
    async close() {
      await close();
      await asAdmin(cluster.url, `drop database if exists ${name} with (force)`);
    },
  });
}

/** One fresh migrated database per engine; close both with `close()`. */
export async function openTestEngines(): Promise<{ postgres: Database; pglite: Database; close(): Promise<void> }> {
  const [postgres, pglite] = await Promise.all([openTestDatabase('postgres'), openTestDatabase('pglite')]);
  return {
    postgres,
    pglite,
    async close() {
      await Promise.all([postgres.close(), pglite.close()]);
    },
  };
}
