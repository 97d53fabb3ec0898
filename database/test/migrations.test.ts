import { afterEach, describe, expect, it } from 'vitest';
import { migrate, migrationFiles, type Database } from '../src/index.js';
import { openTestDatabase } from '../src/testing.js';
import { as, testEngines } from './helpers.js';

// Everything the migrations define, in a stable order, without timestamps.
const SNAPSHOT = `
  with ns as (
    select oid, nspname from pg_namespace where nspname in ('public', 'auth', 'extensions', 'hookline_meta')
  )
  select jsonb_build_object(
    'schemas', (select jsonb_agg(nspname order by nspname) from ns),
    'columns', (select jsonb_agg(jsonb_build_array(table_schema, table_name, column_name, data_type, column_default, is_nullable)
                  order by table_schema, table_name, ordinal_position)
                from information_schema.columns where table_schema in (select nspname from ns)),
    'relations', (select jsonb_agg(jsonb_build_array(c.relname, c.relkind, c.relrowsecurity, c.relforcerowsecurity,
                    array(select a::text from unnest(c.relacl) as a order by 1)) order by c.relname)
                  from pg_class c where c.relnamespace in (select oid from ns) and c.relkind in ('r', 'v', 'S')),
    'column_acls', (select jsonb_agg(jsonb_build_array(c.relname, a.attname, array(select x::text from unnest(a.attacl) as x order by 1))
                      order by c.relname, a.attname)
                    from pg_attribute a join pg_class c on c.oid = a.attrelid
                    where c.relnamespace in (select oid from ns) and a.attacl is not null),
    'constraints', (select jsonb_agg(jsonb_build_array(conrelid::regclass::text, conname, pg_get_constraintdef(oid)) order by conrelid::regclass::text, conname)
                    from pg_constraint where connamespace in (select oid from ns)),
    'indexes', (select jsonb_agg(indexdef order by indexname) from pg_indexes where schemaname in (select nspname from ns)),
    'functions', (select jsonb_agg(jsonb_build_array(p.oid::regprocedure::text, md5(pg_get_functiondef(p.oid)), p.prosecdef,
                    array(select x::text from unnest(p.proacl) as x order by 1)) order by p.oid::regprocedure::text)
                  from pg_proc p where p.pronamespace in (select oid from ns where nspname <> 'extensions') and p.prokind = 'f'),
    'triggers', (select jsonb_agg(pg_get_triggerdef(t.oid) order by t.tgname) from pg_trigger t
                 join pg_class c on c.oid = t.tgrelid where not t.tgisinternal and c.relnamespace in (select oid from ns)),
    'policies', (select jsonb_agg(jsonb_build_array(tablename, policyname, cmd, roles::text, qual, with_check) order by tablename, policyname)
                 from pg_policies where schemaname in (select nspname from ns)),
    'roles', (select jsonb_agg(jsonb_build_array(rolname, rolcanlogin, rolinherit, rolbypassrls) order by rolname)
              from pg_roles where rolname in ('anon', 'authenticated', 'service_role')),
    'extensions', (select jsonb_agg(jsonb_build_array(extname, extnamespace::regnamespace::text) order by extname) from pg_extension),
    'event_types', (select jsonb_agg(jsonb_build_array(event_type, category, description, payload_schema, is_enabled) order by event_type)
                    from public.webhook_events),
    'applied', (select jsonb_agg(jsonb_build_array(name, checksum) order by name) from hookline_meta.applied_migrations)
  ) as snapshot`;

async function snapshot(db: Database): Promise<unknown> {
  return (await db.query<{ snapshot: unknown }>(SNAPSHOT)).rows[0]!.snapshot;
}

describe.each(testEngines)('migrations on %s', (engine) => {
  let db: Database | undefined;
  afterEach(async () => {
    await db?.close();
    db = undefined;
  });
  const fresh = async () => (db = await openTestDatabase(engine, { migrated: false }));

  it(`apply to an empty database in order, then again without error or change (${engine})`, async () => {
    const files = await migrationFiles();
    const d = await fresh();
    const first = await migrate(d);
    expect(first.applied).toEqual(files.map((f) => f.name));
    expect(first.applied[0]).toBe('compat/supabase_compat.sql');
    expect(first.applied.slice(1)).toEqual([...first.applied.slice(1)].sort());
    const before = await snapshot(d);
    expect(before).toMatchObject({ roles: expect.any(Array), policies: expect.any(Array) });

    expect(await migrate(d)).toEqual({ applied: [] });
    expect(await snapshot(d)).toEqual(before);
  });

  it(`every file's SQL itself runs twice without error or change, as supabase db push would (${engine})`, async () => {
    const d = await fresh();
    await migrate(d);
    const before = await snapshot(d);
    for (const file of await migrationFiles()) await d.exec(file.sql);
    expect(await snapshot(d)).toEqual(before);
  });

  it(`files are plain SQL a migration tool accepts unchanged (${engine})`, async () => {
    for (const file of await migrationFiles()) {
      expect(file.sql, file.name).not.toMatch(/^\s*\\/m); // no psql meta-commands
      expect(file.sql, file.name).toMatch(/^-- /); // a header comment says what and why
      expect(file.sql, file.name).not.toMatch(/^\s*(begin|commit)\s*;/im); // runners wrap files in transactions
    }
  });

  it(`refuse a migration that changed after it was applied, re-apply a changed compat file (${engine})`, async () => {
    const d = await fresh();
    await migrate(d);
    await d.query(`update hookline_meta.applied_migrations set checksum = 'stale' where name = 'compat/supabase_compat.sql'`);
    expect(await migrate(d)).toEqual({ applied: ['compat/supabase_compat.sql'] });
    const name = 'migrations/20261204000100_webhooks_schema.sql';
    await d.query(`update hookline_meta.applied_migrations set checksum = 'stale' where name = $1`, [name]);
    await expect(migrate(d)).rejects.toThrow(`migration ${name} changed after it was applied`);
  });

  it(`serialise concurrent runners (${engine})`, async () => {
    const d = await fresh();
    const results = await Promise.all([migrate(d), migrate(d), migrate(d)]);
    const applied = results.flatMap((r) => r.applied).sort();
    expect(applied).toEqual((await migrationFiles()).map((f) => f.name).sort());
  });

  it(`the compat file keeps what a Supabase database already has (${engine})`, async () => {
    const d = await fresh();
    await d.exec(`
      create schema auth;
      create function auth.uid() returns uuid language sql stable as $$ select '00000000-0000-0000-0000-00000000abcd'::uuid $$;`);
    await migrate(d);
    const [row] = (await d.query<{ uid: string }>('select auth.uid()::text as uid')).rows;
    expect(row!.uid).toBe('00000000-0000-0000-0000-00000000abcd');
  });

  it(`auth.uid(), auth.role() and auth.jwt() read request.jwt.claims as PostgREST sets it (${engine})`, async () => {
    const d = await fresh();
    await migrate(d);
    const sub = '3f0e0e6c-1b7a-4a53-9d8e-1f1f1f1f1f1f';
    const [claims] = await as<{ uid: string; role: string; jwt: object; who: string }>(
      d, { role: 'authenticated', sub, email: 'a@example.com' },
      `select auth.uid()::text as uid, auth.role() as role, auth.jwt() as jwt, current_user::text as who`,
    );
    expect(claims).toEqual({ uid: sub, role: 'authenticated', jwt: { role: 'authenticated', sub, email: 'a@example.com' }, who: 'authenticated' });
    const [none] = (await d.query<{ uid: string | null; role: string | null; jwt: object | null }>(
      'select auth.uid() as uid, auth.role() as role, auth.jwt() as jwt')).rows;
    expect(none).toEqual({ uid: null, role: null, jwt: null });
    // Pre-v9 PostgREST set one setting per claim; Supabase's functions still honour it.
    const legacy = await d.transaction(async (tx) => {
      await tx.query(`select set_config('request.jwt.claim.sub', $1, true)`, [sub]);
      return (await tx.query<{ uid: string }>('select auth.uid()::text as uid')).rows[0]!.uid;
    });
    expect(legacy).toBe(sub);
    const [roles] = (await d.query<{ bypass: boolean; login: boolean }>(
      `select bool_and(rolbypassrls) filter (where rolname = 'service_role') as bypass,
              bool_or(rolcanlogin) as login
       from pg_roles where rolname in ('anon', 'authenticated', 'service_role')`)).rows;
    expect(roles).toEqual({ bypass: true, login: false });
  });

  it(`withClaims refuses roles other than the three API roles (${engine})`, async () => {
    const d = await fresh();
    await expect(d.withClaims({ role: 'postgres' as never }, async () => 1)).rejects.toThrow(/claims\.role/);
    await expect(d.withClaims({ role: 'authenticated; drop table x' as never }, async () => 1)).rejects.toThrow(/claims\.role/);
  });
});
