import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Database } from './types.js';

/** One SQL file the runner applies, in the order it applies them. */
export interface MigrationFile {
  /** `compat/supabase_compat.sql` or `migrations/<timestamp>_<name>.sql`. */
  name: string;
  path: string;
  sql: string;
  /** sha256 of the file with line endings normalised. */
  checksum: string;
}

// The package root: one level above src/ (tests) and dist/ (built code) alike.
const root = new URL('../', import.meta.url);
const COMPAT = 'compat/supabase_compat.sql';

/** The compatibility file, then every migration in file-name (timestamp) order. */
export async function migrationFiles(): Promise<MigrationFile[]> {
  const names = (await readdir(new URL('migrations/', root)))
    .filter((name) => /^\d{14}_[a-z0-9_]+\.sql$/.test(name))
    .sort()
    .map((name) => `migrations/${name}`);
  return Promise.all(
    [COMPAT, ...names].map(async (name) => {
      const path = fileURLToPath(new URL(name, root));
      const sql = (await readFile(path, 'utf8')).replace(/\r\n/g, '\n');
      return { name, path, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    }),
  );
}

// why: one record per applied file; the schema is ours, not exposed through PostgREST.
const SETUP = `
  create schema if not exists hookline_meta;
  revoke all on schema hookline_meta from public;
  create table if not exists hookline_meta.applied_migrations (
    name text primary key,
    checksum text not null,
    applied_at timestamptz not null default now()
  );
`;

/**
 * Applies the compatibility file and every migration not applied yet, each in
 * its own transaction under an advisory lock (several processes may start at
 * once), and records each with its checksum. Running it again applies
 * nothing. A migration that changed after it was applied is an error (ship a
 * new migration instead); the compatibility file is re-applied when it
 * changed, since it only creates what is absent.
 * @returns the names of the files applied by this call
 */
export async function migrate(db: Database): Promise<{ applied: string[] }> {
  const files = await migrationFiles();
  const applied: string[] = [];
  for (const file of files) {
    const done = await db.transaction(async (tx) => {
      await tx.query(`select pg_advisory_xact_lock(hashtext('hookline_meta.migrate'))`);
      await tx.exec(SETUP);
      const { rows } = await tx.query<{ checksum: string }>(
        'select checksum from hookline_meta.applied_migrations where name = $1',
        [file.name],
      );
      const previous = rows[0]?.checksum;
      if (previous === file.checksum) return false;
      if (previous !== undefined && file.name !== COMPAT) {
        throw new Error(
          `migration ${file.name} changed after it was applied (checksum ${previous.slice(0, 12)} -> ${file.checksum.slice(0, 12)}); add a new migration instead`,
        );
      }
      await tx.exec(file.sql);
      await tx.query(
        `insert into hookline_meta.applied_migrations (name, checksum) values ($1, $2)
         on conflict (name) do update set checksum = excluded.checksum, applied_at = now()`,
        [file.name, file.checksum],
      );
      return true;
    });
    if (done) applied.push(file.name);
  }
  return { applied };
}
