-- Supabase compatibility for plain PostgreSQL (and PGlite).
--
-- What: the pieces of a Supabase database that Hookline's migrations rely on:
-- the roles anon / authenticated / service_role, the `auth` schema with
-- auth.uid(), auth.role() and auth.jwt(), and the `extensions` schema holding
-- pgcrypto.
-- Why: the migrations must run unchanged on Supabase and on a bare PostgreSQL 15
-- or PGlite. Every object here is created only where it is absent, so on
-- Supabase this file changes nothing, and running it twice is harmless.
-- auth.* read the caller from `request.jwt.claims` exactly as PostgREST sets it
-- (one JSON text setting, transaction-local), falling back to the pre-v9
-- `request.jwt.claim.*` settings like Supabase's own definitions do.

-- why: PostgREST switches to one of these roles per request; RLS policies and
-- grants name them. service_role bypasses RLS on Supabase, so it does here.
do $$
begin
  if not exists (select 1 from pg_catalog.pg_roles where rolname = 'anon') then
    create role anon nologin noinherit;
  end if;
  if not exists (select 1 from pg_catalog.pg_roles where rolname = 'authenticated') then
    create role authenticated nologin noinherit;
  end if;
  if not exists (select 1 from pg_catalog.pg_roles where rolname = 'service_role') then
    create role service_role nologin noinherit bypassrls;
  end if;
end
$$;

-- why: a non-superuser that runs the migrations (and later `set role`s per
-- request) must be a member of the three roles, as Supabase's `authenticator` is.
do $$
declare
  r text;
begin
  if not (select rolsuper from pg_catalog.pg_roles where rolname = current_user) then
    foreach r in array array['anon', 'authenticated', 'service_role'] loop
      if not pg_catalog.pg_has_role(current_user, r, 'member') then
        execute pg_catalog.format('grant %I to %I', r, current_user);
      end if;
    end loop;
  end if;
end
$$;

-- why: Supabase installs extensions into their own schema; our functions call
-- extensions.gen_random_bytes() for webhook secrets.
create schema if not exists extensions;
grant usage on schema extensions to anon, authenticated, service_role;
create extension if not exists pgcrypto with schema extensions;

-- why: the auth schema and its helpers are what RLS policies call.
create schema if not exists auth;
grant usage on schema auth to anon, authenticated, service_role;

-- why: auth.jwt() is the whole claims object of the current request (or null).
do $do$
begin
  if not exists (
    select 1 from pg_catalog.pg_proc p join pg_catalog.pg_namespace n on n.oid = p.pronamespace
    where n.nspname = 'auth' and p.proname = 'jwt'
  ) then
    execute $fn$
      create function auth.jwt() returns jsonb
      language sql stable
      set search_path = ''
      as $body$
        select coalesce(
          nullif(pg_catalog.current_setting('request.jwt.claim', true), ''),
          nullif(pg_catalog.current_setting('request.jwt.claims', true), '')
        )::jsonb
      $body$
    $fn$;
  end if;
end
$do$;

-- why: auth.uid() is the `sub` claim as uuid (null when absent), as on Supabase.
do $do$
begin
  if not exists (
    select 1 from pg_catalog.pg_proc p join pg_catalog.pg_namespace n on n.oid = p.pronamespace
    where n.nspname = 'auth' and p.proname = 'uid'
  ) then
    execute $fn$
      create function auth.uid() returns uuid
      language sql stable
      set search_path = ''
      as $body$
        select coalesce(
          nullif(pg_catalog.current_setting('request.jwt.claim.sub', true), ''),
          (nullif(pg_catalog.current_setting('request.jwt.claims', true), '')::jsonb ->> 'sub')
        )::uuid
      $body$
    $fn$;
  end if;
end
$do$;

-- why: auth.role() is the `role` claim (anon, authenticated, service_role).
do $do$
begin
  if not exists (
    select 1 from pg_catalog.pg_proc p join pg_catalog.pg_namespace n on n.oid = p.pronamespace
    where n.nspname = 'auth' and p.proname = 'role'
  ) then
    execute $fn$
      create function auth.role() returns text
      language sql stable
      set search_path = ''
      as $body$
        select coalesce(
          nullif(pg_catalog.current_setting('request.jwt.claim.role', true), ''),
          (nullif(pg_catalog.current_setting('request.jwt.claims', true), '')::jsonb ->> 'role')
        )::text
      $body$
    $fn$;
  end if;
end
$do$;

grant execute on function auth.jwt(), auth.uid(), auth.role() to anon, authenticated, service_role;

-- why: PostgREST exposes `public`; the roles need to see it (Supabase grants this).
grant usage on schema public to anon, authenticated, service_role;
