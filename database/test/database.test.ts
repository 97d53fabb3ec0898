import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import pg from 'pg';
import { openPostgres } from '../src/index.js';
import { startPostgresCluster } from '../src/testing.js';
import { as, service, testEngines, useDatabase, user } from './helpers.js';

describe.each(testEngines)('Database interface on %s', (engine) => {
  const db = useDatabase(engine);

  it(`names its engine (${engine})`, () => {
    expect(db().engine).toBe(engine);
  });

  it(`returns values alike on both engines (${engine})`, async () => {
    const { rows, rowCount } = await db().query(
      `select 42::bigint as big, 1.50::numeric as num, date '2026-12-04' as day,
              timestamptz '2026-12-04T10:00:00Z' as at, '{"a":[1]}'::jsonb as doc, true as yes, null::text as nothing,
              array['x','y'] as list, $1::int as param`, [7]);
    expect(rowCount).toBe(1);
    expect(rows[0]).toEqual({
      big: 42, num: '1.50', day: '2026-12-04', at: new Date('2026-12-04T10:00:00Z'), doc: { a: [1] },
      yes: true, nothing: null, list: ['x', 'y'], param: 7,
    });
  });

  it(`reports rows changed by statements without returning (${engine})`, async () => {
    await db().exec('create temporary table if not exists t_count (n int); delete from t_count;');
    const inserted = await db().query('insert into t_count select generate_series(1, 3)');
    expect(inserted.rowCount).toBe(3);
  });

  it(`commits a transaction and rolls it back on error (${engine})`, async () => {
    await db().exec('create table if not exists t_tx (n int primary key)');
    await db().transaction(async (tx) => {
      await tx.query('insert into t_tx values (1)');
      await tx.exec('insert into t_tx values (2); insert into t_tx values (3);');
    });
    await expect(db().transaction(async (tx) => {
      await tx.query('insert into t_tx values (4)');
      await tx.query('insert into t_tx values (1)');
    })).rejects.toMatchObject({ code: '23505' });
    const { rows } = await db().query<{ n: number }>('select n from t_tx order by n');
    expect(rows.map((r) => r.n)).toEqual([1, 2, 3]);
  });

  it(`withClaims sets the role and claims for one transaction only (${engine})`, async () => {
    const alice = user();
    const [inside] = await as<{ who: string; uid: string }>(db(), alice, 'select current_user::text as who, auth.uid()::text as uid');
    expect(inside).toEqual({ who: 'authenticated', uid: alice.sub });
    const { rows } = await db().query<{ who: string; claims: string | null }>(
      `select current_user::text as who, nullif(current_setting('request.jwt.claims', true), '') as claims`);
    expect(rows[0]!.who).not.toBe('authenticated');
    expect(rows[0]!.claims).toBeNull();
    await expect(db().withClaims(service, async (tx) => {
      await tx.query('select 1');
      throw new Error('boom');
    })).rejects.toThrow('boom');
    const after = await db().query<{ who: string }>('select current_user::text as who');
    expect(after.rows[0]!.who).not.toBe('service_role');
  });

  it(`listen delivers payloads until stopped (${engine})`, async () => {
    const got: string[] = [];
    const stop = await db().listen('hookline_test_channel', (payload) => got.push(payload));
    await db().query(`select pg_notify('hookline_test_channel', 'one')`);
    await expect.poll(() => got).toEqual(['one']);
    await stop();
    await stop(); // twice is harmless
    await db().query(`select pg_notify('hookline_test_channel', 'two')`);
    await db().query(`select pg_notify('hookline_other', 'fence')`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(got).toEqual(['one']);
  });
});

describe('Database interface on postgres only', () => {
  const db = useDatabase('postgres');

  it('listen survives its connection being killed (postgres)', async () => {
    const got: string[] = [];
    const stop = await db().listen('hookline_reconnect', (payload) => got.push(payload));
    try {
      const killed = await db().query<{ n: number }>(
        `select count(pg_terminate_backend(pid))::int as n from pg_stat_activity
         where pid <> pg_backend_pid() and query ilike 'listen%hookline_reconnect%'`);
      expect(killed.rows[0]!.n).toBe(1);
      // Notify until the reconnected listener hears one.
      await expect.poll(async () => {
        await db().query(`select pg_notify('hookline_reconnect', 'after')`);
        return got.includes('after');
      }, { timeout: 10_000, interval: 200 }).toBe(true);
    } finally {
      await stop();
    }
  });
});

describe('startPostgresCluster', () => {
  it('runs PostgreSQL 15 on 127.0.0.1 in a temporary directory and removes it on stop', async () => {
    const cluster = await startPostgresCluster();
    let stopped = false;
    try {
      expect(cluster.url).toMatch(/^postgres:\/\/postgres@127\.0\.0\.1:\d+\/postgres$/);
      const db = await openPostgres(cluster.url, { max: 1 });
      const { rows } = await db.query<{ version: string; dir: string; fsync: string; listen: string }>(
        `select current_setting('server_version_num') as version, current_setting('data_directory') as dir,
                current_setting('fsync') as fsync, current_setting('listen_addresses') as listen`);
      await db.close();
      expect(Number(rows[0]!.version)).toBeGreaterThanOrEqual(150000);
      expect(Number(rows[0]!.version)).toBeLessThan(160000);
      expect(rows[0]).toMatchObject({ fsync: 'off', listen: '127.0.0.1' });
      const dir = rows[0]!.dir;
      expect(existsSync(dir)).toBe(true);

      const url = await cluster.createDatabase({ name: 'scratch' });
      expect(url).toBe(cluster.url.replace(/postgres$/, 'scratch'));
      await cluster.dropDatabase('scratch');

      await cluster.stop();
      stopped = true;
      expect(existsSync(dir)).toBe(false);
      const client = new pg.Client({ connectionString: cluster.url, connectionTimeoutMillis: 2000 });
      await expect(client.connect()).rejects.toThrow();
    } finally {
      if (!stopped) await cluster.stop();
    }
  });
});
