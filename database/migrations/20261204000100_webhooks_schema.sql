-- Hookline webhooks: tables, indexes, triggers and row-level security.
--
-- What: the four tables of the seed design (webhooks, webhook_events,
-- webhook_event_subscriptions, webhook_deliveries) plus what a running system
-- needs: attempt history (webhook_delivery_attempts), idempotency records
-- (idempotency_keys), a daily statistics rollup (webhook_delivery_daily_stats), a lease on deliveries (locked_by / locked_until), an
-- event id shared by one trigger's deliveries, the previous secret during
-- rotation. The RPC functions live in 20261204000200_webhooks_functions.sql.
-- Why this shape:
-- * Every table that belongs to a user carries user_id, kept equal to its
--   webhook's by a composite foreign key (webhook_id, user_id), so each RLS
--   policy is one indexed equality on (select auth.uid()) and never a join.
-- * Users may change their webhooks' settings and subscriptions directly
--   (column grants), but never secrets, verification state, counters or
--   deliveries: those change only through the RPC functions and the dispatcher.
-- * `anon` gets no privileges at all; service_role bypasses RLS.
-- * Re-runnable: `if not exists`, `create or replace`, `drop ... if exists`,
--   so `supabase db push` and our runner can apply it on any state it produced.
-- * webhooks.user_id has no foreign key to auth.users: plain PostgreSQL has no
--   such table. On Supabase, delete a user's webhooks when deleting the user.

-- why: the generic updated_at stamp, shared by every table that has the column.
create or replace function public.update_webhook_updated_at()
returns trigger
language plpgsql
security invoker
set search_path = ''
as $$
begin
  new.updated_at := pg_catalog.now();
  return new;
end
$$;

-- why: one row per endpoint; the unit of ownership, settings and counters.
create table if not exists public.webhooks (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null default auth.uid(),
  name text not null,
  url text not null,
  description text,
  secret text not null default ('whsec_' || encode(extensions.gen_random_bytes(32), 'base64')),
  previous_secret text,
  previous_secret_expires_at timestamptz,
  signature_algorithm text not null default 'sha256',
  is_active boolean not null default true,
  disabled_reason text,
  is_verified boolean not null default false,
  verification_token text,
  verified_at timestamptz,
  retry_enabled boolean not null default true,
  max_retries integer not null default 3,
  retry_delay_seconds integer not null default 60,
  timeout_seconds integer not null default 30,
  total_deliveries bigint not null default 0,
  successful_deliveries bigint not null default 0,
  failed_deliveries bigint not null default 0,
  last_delivery_at timestamptz,
  last_success_at timestamptz,
  last_failure_at timestamptz,
  metadata jsonb not null default '{}'::jsonb,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint webhooks_id_user_id_key unique (id, user_id),
  constraint webhooks_name_check check (char_length(name) between 1 and 255),
  constraint webhooks_url_check check (
    char_length(url) <= 2048
    and url ~* '^https?://(\[[0-9a-f:.]+\]|[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*\.?)(:[0-9]{1,5})?([/?#][^[:space:]]*)?$'
  ),
  constraint webhooks_signature_algorithm_check check (signature_algorithm in ('sha256', 'sha512')),
  constraint webhooks_max_retries_check check (max_retries between 0 and 10),
  constraint webhooks_retry_delay_seconds_check check (retry_delay_seconds between 1 and 3600),
  constraint webhooks_timeout_seconds_check check (timeout_seconds between 1 and 60),
  constraint webhooks_metadata_check check (jsonb_typeof(metadata) = 'object'),
  constraint webhooks_secret_check check (secret like 'whsec\_%')
);
alter table public.webhooks enable row level security;
-- why: the statistics trigger rewrites the counters of every webhook a fan-out
-- or a dispatcher batch touched, all in one transaction; with half of each page
-- free the new row versions fit beside the old ones (HOT updates, no index
-- writes). Packed full, two thirds of those updates also wrote all four indexes.
alter table public.webhooks set (fillfactor = 50);

-- why: the catalogue of event types; subscriptions and deliveries reference it.
create table if not exists public.webhook_events (
  event_type text primary key,
  category text not null,
  description text,
  payload_schema jsonb,
  is_enabled boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint webhook_events_event_type_check check (event_type ~ '^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$')
);
alter table public.webhook_events enable row level security;

-- why: which event types reach which webhook, with an optional containment filter.
create table if not exists public.webhook_event_subscriptions (
  id uuid primary key default gen_random_uuid(),
  webhook_id uuid not null,
  user_id uuid not null default auth.uid(),
  event_type text not null references public.webhook_events (event_type) on update cascade,
  filters jsonb not null default '{}'::jsonb,
  is_active boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint webhook_event_subscriptions_webhook_id_event_type_key unique (webhook_id, event_type),
  constraint webhook_event_subscriptions_webhook_fkey foreign key (webhook_id, user_id)
    references public.webhooks (id, user_id) on delete cascade on update cascade,
  constraint webhook_event_subscriptions_filters_check check (jsonb_typeof(filters) = 'object')
);
alter table public.webhook_event_subscriptions enable row level security;

-- why: one row per (event, webhook); the dispatcher's work queue and the
-- user's delivery log. request_payload is the whole Standard Webhooks envelope.
create table if not exists public.webhook_deliveries (
  id uuid primary key default gen_random_uuid(),
  webhook_id uuid not null,
  user_id uuid not null,
  event_id uuid not null,
  event_type text not null references public.webhook_events (event_type) on update cascade,
  status text not null default 'pending',
  request_url text not null,
  request_method text not null default 'POST',
  request_headers jsonb not null default '{}'::jsonb,
  request_payload jsonb not null,
  request_signature text,
  response_status integer,
  response_headers jsonb,
  response_body text,
  response_body_truncated boolean not null default false,
  response_time_ms integer,
  attempt_number integer not null default 0,
  max_attempts integer not null default 4,
  next_retry_at timestamptz default now(),
  error_message text,
  error_code text,
  locked_by text,
  locked_until timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  completed_at timestamptz,
  constraint webhook_deliveries_webhook_fkey foreign key (webhook_id, user_id)
    references public.webhooks (id, user_id) on delete cascade on update cascade,
  constraint webhook_deliveries_status_check check (status in ('pending', 'success', 'failed', 'retrying')),
  constraint webhook_deliveries_attempts_check check (attempt_number >= 0 and max_attempts >= 1),
  constraint webhook_deliveries_response_body_check check (octet_length(response_body) <= 65536)
);
alter table public.webhook_deliveries enable row level security;

-- why: every attempt's outcome, so a delivery's history survives its retries.
create table if not exists public.webhook_delivery_attempts (
  id uuid primary key default gen_random_uuid(),
  delivery_id uuid not null references public.webhook_deliveries (id) on delete cascade,
  user_id uuid not null,
  attempt_number integer not null,
  response_status integer,
  response_headers jsonb,
  response_body text,
  response_time_ms integer,
  error_code text,
  error_message text,
  worker_id text,
  created_at timestamptz not null default now(),
  constraint webhook_delivery_attempts_response_body_check check (octet_length(response_body) <= 65536)
);
alter table public.webhook_delivery_attempts enable row level security;

-- why: delivery counts per webhook, UTC day and event type, kept by the
-- statistics trigger, so get_webhook_statistics reads a few rows per day
-- instead of every delivery (a million deliveries cost the same as ten).
create table if not exists public.webhook_delivery_daily_stats (
  webhook_id uuid not null,
  user_id uuid not null,
  day date not null,
  event_type text not null,
  total bigint not null default 0,
  successful bigint not null default 0,
  failed bigint not null default 0,
  pending bigint not null default 0,
  response_time_sum bigint not null default 0,
  response_time_count bigint not null default 0,
  primary key (webhook_id, day, event_type),
  constraint webhook_delivery_daily_stats_webhook_fkey foreign key (webhook_id, user_id)
    references public.webhooks (id, user_id) on delete cascade on update cascade
);
alter table public.webhook_delivery_daily_stats enable row level security;
-- why: as for webhooks: each batch rewrites many of these rows at once.
alter table public.webhook_delivery_daily_stats set (fillfactor = 50);

-- why: the server's Idempotency-Key records (24 h), kept in the database so
-- every server process and the mutation's own transaction see them.
create table if not exists public.idempotency_keys (
  user_key text not null,
  key text not null,
  request_hash text not null,
  response jsonb,
  http_status integer,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null default (now() + interval '24 hours'),
  primary key (user_key, key)
);
alter table public.idempotency_keys enable row level security;

-- why: the indexes behind every policy (user_id), list queries (newest first),
-- fan-out (event_type of active subscriptions), the dispatcher's queue (due
-- pending/retrying deliveries) and statistics ((webhook_id, created_at)).
create index if not exists webhooks_user_id_created_at_idx on public.webhooks (user_id, created_at desc, id desc);
create index if not exists webhooks_is_active_idx on public.webhooks (is_active);
create index if not exists webhook_events_category_idx on public.webhook_events (category);
create index if not exists webhook_events_is_enabled_idx on public.webhook_events (is_enabled);
create index if not exists webhook_event_subscriptions_user_id_idx on public.webhook_event_subscriptions (user_id);
create index if not exists webhook_event_subscriptions_event_type_active_idx
  on public.webhook_event_subscriptions (event_type, webhook_id) where is_active;
create index if not exists webhook_deliveries_user_id_created_at_idx on public.webhook_deliveries (user_id, created_at desc, id desc);
create index if not exists webhook_deliveries_webhook_id_created_at_idx on public.webhook_deliveries (webhook_id, created_at);
-- No single-column indexes on status, event_type or event_id: no policy or hot
-- query starts from them (lists filter by user or webhook first and the queue
-- uses the partial due index), and each one cost every fan-out insert, claim
-- and completion a b-tree write (fan-out at 100 subscribers +18% without them).
-- The one rare status worth finding fast, failed, has a partial index that
-- only failed deliveries enter.
drop index if exists public.webhook_deliveries_event_id_idx;
drop index if exists public.webhook_deliveries_event_type_idx;
drop index if exists public.webhook_deliveries_status_idx;
create index if not exists webhook_deliveries_failed_idx
  on public.webhook_deliveries (user_id, created_at desc, id desc) where status = 'failed';
create index if not exists webhook_deliveries_due_idx
  on public.webhook_deliveries (next_retry_at, id) where status in ('pending', 'retrying');
create index if not exists webhook_delivery_attempts_delivery_id_idx on public.webhook_delivery_attempts (delivery_id, attempt_number);
create index if not exists webhook_delivery_attempts_user_id_idx on public.webhook_delivery_attempts (user_id);
create index if not exists webhook_delivery_daily_stats_user_id_idx on public.webhook_delivery_daily_stats (user_id);
create index if not exists idempotency_keys_expires_at_idx on public.idempotency_keys (expires_at);

-- why: updated_at follows changes. On webhooks only a settings change counts:
-- the statistics trigger's counter updates must not look like user edits.
drop trigger if exists webhooks_updated_at on public.webhooks;
create trigger webhooks_updated_at
  before update of name, url, description, signature_algorithm, is_active, retry_enabled,
    max_retries, retry_delay_seconds, timeout_seconds, metadata, secret, is_verified
  on public.webhooks
  for each row execute function public.update_webhook_updated_at();
drop trigger if exists webhook_events_updated_at on public.webhook_events;
create trigger webhook_events_updated_at
  before update on public.webhook_events
  for each row execute function public.update_webhook_updated_at();
drop trigger if exists webhook_event_subscriptions_updated_at on public.webhook_event_subscriptions;
create trigger webhook_event_subscriptions_updated_at
  before update on public.webhook_event_subscriptions
  for each row execute function public.update_webhook_updated_at();
drop trigger if exists webhook_deliveries_updated_at on public.webhook_deliveries;
create trigger webhook_deliveries_updated_at
  before update on public.webhook_deliveries
  for each row execute function public.update_webhook_updated_at();

-- why: a friendly error (SQLSTATE 22023, `column` = the setting) for bad
-- webhook settings, whether they come through create_webhook or a direct
-- update; the check constraints above stay as the last word.
create or replace function public.validate_webhook()
returns trigger
language plpgsql
security invoker
set search_path = ''
as $$
begin
  if new.name is null or char_length(new.name) not between 1 and 255 then
    raise exception 'name must be 1 to 255 characters' using errcode = '22023', column = 'name';
  end if;
  if new.url is null or new.url !~* '^https?://' then
    raise exception 'url must be an http:// or https:// URL' using errcode = '22023', column = 'url';
  end if;
  if char_length(new.url) > 2048
    or new.url !~* '^https?://(\[[0-9a-f:.]+\]|[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*\.?)(:[0-9]{1,5})?([/?#][^[:space:]]*)?$' then
    raise exception 'url is not a valid URL (no credentials, no spaces, at most 2048 characters)'
      using errcode = '22023', column = 'url';
  end if;
  if new.signature_algorithm is null or new.signature_algorithm not in ('sha256', 'sha512') then
    raise exception 'signature_algorithm must be sha256 or sha512' using errcode = '22023', column = 'signature_algorithm';
  end if;
  if new.max_retries is null or new.max_retries not between 0 and 10 then
    raise exception 'max_retries must be between 0 and 10' using errcode = '22023', column = 'max_retries';
  end if;
  if new.retry_delay_seconds is null or new.retry_delay_seconds not between 1 and 3600 then
    raise exception 'retry_delay_seconds must be between 1 and 3600' using errcode = '22023', column = 'retry_delay_seconds';
  end if;
  if new.timeout_seconds is null or new.timeout_seconds not between 1 and 60 then
    raise exception 'timeout_seconds must be between 1 and 60' using errcode = '22023', column = 'timeout_seconds';
  end if;
  if new.metadata is null or jsonb_typeof(new.metadata) <> 'object' then
    raise exception 'metadata must be a JSON object' using errcode = '22023', column = 'metadata';
  end if;
  return new;
end
$$;

drop trigger if exists webhooks_validate on public.webhooks;
create trigger webhooks_validate
  before insert or update of name, url, signature_algorithm, max_retries, retry_delay_seconds, timeout_seconds, metadata
  on public.webhooks
  for each row execute function public.validate_webhook();

-- why: the counters on webhooks and the daily rollup, kept by one
-- statement-level trigger so a fan-out of N deliveries costs one statement
-- per table, not N.
-- webhooks: total_deliveries counts deliveries created; successful_ /
-- failed_deliveries count deliveries currently in success / failed (a manual
-- retry takes one out of failed, and its later success puts it into
-- successful); last_delivery_at is when the newest delivery was created,
-- last_success_at / last_failure_at when a delivery last reached success /
-- failed (its completed_at, else now()). Deleting deliveries leaves these
-- lifetime counters alone.
-- webhook_delivery_daily_stats: the same per webhook, UTC day of creation and
-- event type, plus pending and response times; deletions are subtracted.
-- Webhook rows are locked in id order first, so concurrent fan-outs and
-- dispatcher batches touching the same webhooks queue instead of deadlocking.
-- security definer: it runs for whoever changed the deliveries (the
-- dispatcher, a user's manual retry) and users cannot write the counters.
create or replace function public.update_webhook_stats()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if tg_op = 'INSERT' then
    perform 1 from public.webhooks w
    where w.id in (select n.webhook_id from new_deliveries n)
    order by w.id
    for no key update;

    update public.webhooks w
    set total_deliveries = w.total_deliveries + c.created,
        successful_deliveries = w.successful_deliveries + c.succeeded,
        failed_deliveries = w.failed_deliveries + c.failed,
        last_delivery_at = greatest(w.last_delivery_at, c.last_created),
        last_success_at = case when c.succeeded > 0 then greatest(w.last_success_at, c.last_completed) else w.last_success_at end,
        last_failure_at = case when c.failed > 0 then greatest(w.last_failure_at, c.last_completed) else w.last_failure_at end
    from (
      select n.webhook_id,
             count(*) as created,
             count(*) filter (where n.status = 'success') as succeeded,
             count(*) filter (where n.status = 'failed') as failed,
             max(n.created_at) as last_created,
             coalesce(max(n.completed_at), pg_catalog.now()) as last_completed
      from new_deliveries n
      group by n.webhook_id
    ) c
    where w.id = c.webhook_id;

    insert into public.webhook_delivery_daily_stats as s (
      webhook_id, user_id, day, event_type, total, successful, failed, pending, response_time_sum, response_time_count
    )
    select n.webhook_id, n.user_id, (n.created_at at time zone 'UTC')::date, n.event_type,
           count(*),
           count(*) filter (where n.status = 'success'),
           count(*) filter (where n.status = 'failed'),
           count(*) filter (where n.status in ('pending', 'retrying')),
           coalesce(sum(n.response_time_ms), 0),
           count(n.response_time_ms)
    from new_deliveries n
    group by 1, 2, 3, 4
    order by 1, 3, 4
    on conflict (webhook_id, day, event_type) do update
    set total = s.total + excluded.total,
        successful = s.successful + excluded.successful,
        failed = s.failed + excluded.failed,
        pending = s.pending + excluded.pending,
        response_time_sum = s.response_time_sum + excluded.response_time_sum,
        response_time_count = s.response_time_count + excluded.response_time_count;

  elsif tg_op = 'UPDATE' then
    -- Only rows whose counted columns changed matter (a lease or a new
    -- next_retry_at does not): each contributes -1 for its old state and +1
    -- for its new one.
    if exists (
      select 1 from new_deliveries n join old_deliveries o on o.id = n.id
      where (n.status, n.response_time_ms, n.event_type, n.created_at, n.webhook_id)
            is distinct from (o.status, o.response_time_ms, o.event_type, o.created_at, o.webhook_id)
    ) then
      perform 1 from public.webhooks w
      where w.id in (select n.webhook_id from new_deliveries n union select o.webhook_id from old_deliveries o)
      order by w.id
      for no key update;

      update public.webhooks w
      set successful_deliveries = w.successful_deliveries + c.succeeded_delta,
          failed_deliveries = w.failed_deliveries + c.failed_delta,
          last_success_at = case when c.reached_success > 0 then greatest(w.last_success_at, c.last_completed) else w.last_success_at end,
          last_failure_at = case when c.reached_failed > 0 then greatest(w.last_failure_at, c.last_completed) else w.last_failure_at end
      from (
        select n.webhook_id,
               count(*) filter (where n.status = 'success') - count(*) filter (where o.status = 'success') as succeeded_delta,
               count(*) filter (where n.status = 'failed') - count(*) filter (where o.status = 'failed') as failed_delta,
               count(*) filter (where n.status = 'success' and o.status <> 'success') as reached_success,
               count(*) filter (where n.status = 'failed' and o.status <> 'failed') as reached_failed,
               coalesce(max(n.completed_at), pg_catalog.now()) as last_completed
        from new_deliveries n
        join old_deliveries o on o.id = n.id
        where n.status is distinct from o.status
        group by n.webhook_id
      ) c
      where w.id = c.webhook_id;

      insert into public.webhook_delivery_daily_stats as s (
        webhook_id, user_id, day, event_type, total, successful, failed, pending, response_time_sum, response_time_count
      )
      with changes as (
        select x.*
        from new_deliveries n
        join old_deliveries o on o.id = n.id
        cross join lateral (values
          (n.webhook_id, n.user_id, (n.created_at at time zone 'UTC')::date, n.event_type, 1, n.status, n.response_time_ms),
          (o.webhook_id, o.user_id, (o.created_at at time zone 'UTC')::date, o.event_type, -1, o.status, o.response_time_ms)
        ) as x (webhook_id, user_id, day, event_type, sign, status, response_time_ms)
        where (n.status, n.response_time_ms, n.event_type, n.created_at, n.webhook_id)
              is distinct from (o.status, o.response_time_ms, o.event_type, o.created_at, o.webhook_id)
      )
      select c.webhook_id, c.user_id, c.day, c.event_type,
             sum(c.sign),
             coalesce(sum(c.sign) filter (where c.status = 'success'), 0),
             coalesce(sum(c.sign) filter (where c.status = 'failed'), 0),
             coalesce(sum(c.sign) filter (where c.status in ('pending', 'retrying')), 0),
             coalesce(sum(c.sign * c.response_time_ms), 0),
             coalesce(sum(c.sign) filter (where c.response_time_ms is not null), 0)
      from changes c
      group by 1, 2, 3, 4
      order by 1, 3, 4
      on conflict (webhook_id, day, event_type) do update
      set total = s.total + excluded.total,
          successful = s.successful + excluded.successful,
          failed = s.failed + excluded.failed,
          pending = s.pending + excluded.pending,
          response_time_sum = s.response_time_sum + excluded.response_time_sum,
          response_time_count = s.response_time_count + excluded.response_time_count;
    end if;

  elsif tg_op = 'DELETE' then
    perform 1 from public.webhooks w
    where w.id in (select o.webhook_id from old_deliveries o)
    order by w.id
    for no key update;

    -- Only existing rollup rows: when a webhook is deleted its rollup goes with it.
    update public.webhook_delivery_daily_stats s
    set total = s.total - c.total,
        successful = s.successful - c.successful,
        failed = s.failed - c.failed,
        pending = s.pending - c.pending,
        response_time_sum = s.response_time_sum - c.response_time_sum,
        response_time_count = s.response_time_count - c.response_time_count
    from (
      select o.webhook_id, (o.created_at at time zone 'UTC')::date as day, o.event_type,
             count(*) as total,
             count(*) filter (where o.status = 'success') as successful,
             count(*) filter (where o.status = 'failed') as failed,
             count(*) filter (where o.status in ('pending', 'retrying')) as pending,
             coalesce(sum(o.response_time_ms), 0) as response_time_sum,
             count(o.response_time_ms) as response_time_count
      from old_deliveries o
      group by 1, 2, 3
    ) c
    where s.webhook_id = c.webhook_id and s.day = c.day and s.event_type = c.event_type;
  end if;
  return null;
end
$$;

drop trigger if exists webhook_deliveries_stats_insert on public.webhook_deliveries;
create trigger webhook_deliveries_stats_insert
  after insert on public.webhook_deliveries
  referencing new table as new_deliveries
  for each statement execute function public.update_webhook_stats();
drop trigger if exists webhook_deliveries_stats_update on public.webhook_deliveries;
create trigger webhook_deliveries_stats_update
  after update on public.webhook_deliveries
  referencing old table as old_deliveries new table as new_deliveries
  for each statement execute function public.update_webhook_stats();
drop trigger if exists webhook_deliveries_stats_delete on public.webhook_deliveries;
create trigger webhook_deliveries_stats_delete
  after delete on public.webhook_deliveries
  referencing old table as old_deliveries
  for each statement execute function public.update_webhook_stats();

-- why: privileges first, RLS second. anon gets nothing; authenticated gets
-- what the policies below then narrow to its own rows; service_role gets
-- everything (and bypasses RLS). Users change settings, never secrets,
-- verification state, counters or deliveries (RPCs do that).
revoke all on public.webhooks, public.webhook_events, public.webhook_event_subscriptions,
  public.webhook_deliveries, public.webhook_delivery_attempts, public.webhook_delivery_daily_stats,
  public.idempotency_keys
  from public, anon, authenticated;
grant select, insert, update, delete on public.webhooks, public.webhook_events, public.webhook_event_subscriptions,
  public.webhook_deliveries, public.webhook_delivery_attempts, public.webhook_delivery_daily_stats,
  public.idempotency_keys
  to service_role;
grant select, delete on public.webhooks to authenticated;
grant insert (user_id, name, url, description, signature_algorithm, is_active, retry_enabled,
  max_retries, retry_delay_seconds, timeout_seconds, metadata) on public.webhooks to authenticated;
grant update (name, url, description, signature_algorithm, is_active, retry_enabled,
  max_retries, retry_delay_seconds, timeout_seconds, metadata) on public.webhooks to authenticated;
grant select on public.webhook_events to authenticated;
grant select, insert, delete on public.webhook_event_subscriptions to authenticated;
grant update (filters, is_active) on public.webhook_event_subscriptions to authenticated;
grant select, delete on public.webhook_deliveries to authenticated;
grant select on public.webhook_delivery_attempts to authenticated;
grant select on public.webhook_delivery_daily_stats to authenticated;
grant select, insert, update, delete on public.idempotency_keys to authenticated;

-- why: webhooks: the owner reads, creates, changes and deletes its own.
drop policy if exists webhooks_select_own on public.webhooks;
create policy webhooks_select_own on public.webhooks
  for select to authenticated using (user_id = (select auth.uid()));
drop policy if exists webhooks_insert_own on public.webhooks;
create policy webhooks_insert_own on public.webhooks
  for insert to authenticated with check (user_id = (select auth.uid()));
drop policy if exists webhooks_update_own on public.webhooks;
create policy webhooks_update_own on public.webhooks
  for update to authenticated using (user_id = (select auth.uid())) with check (user_id = (select auth.uid()));
drop policy if exists webhooks_delete_own on public.webhooks;
create policy webhooks_delete_own on public.webhooks
  for delete to authenticated using (user_id = (select auth.uid()));

-- why: event types: every signed-in user reads the whole catalogue; only the
-- service role (which bypasses RLS) changes it.
drop policy if exists webhook_events_select_authenticated on public.webhook_events;
create policy webhook_events_select_authenticated on public.webhook_events
  for select to authenticated using (true);

-- why: subscriptions: the owner manages its own; the composite foreign key
-- makes a subscription of someone else's webhook impossible.
drop policy if exists webhook_event_subscriptions_select_own on public.webhook_event_subscriptions;
create policy webhook_event_subscriptions_select_own on public.webhook_event_subscriptions
  for select to authenticated using (user_id = (select auth.uid()));
drop policy if exists webhook_event_subscriptions_insert_own on public.webhook_event_subscriptions;
create policy webhook_event_subscriptions_insert_own on public.webhook_event_subscriptions
  for insert to authenticated with check (user_id = (select auth.uid()));
drop policy if exists webhook_event_subscriptions_update_own on public.webhook_event_subscriptions;
create policy webhook_event_subscriptions_update_own on public.webhook_event_subscriptions
  for update to authenticated using (user_id = (select auth.uid())) with check (user_id = (select auth.uid()));
drop policy if exists webhook_event_subscriptions_delete_own on public.webhook_event_subscriptions;
create policy webhook_event_subscriptions_delete_own on public.webhook_event_subscriptions
  for delete to authenticated using (user_id = (select auth.uid()));

-- why: deliveries: the owner reads and may delete its own log; creating and
-- changing deliveries is for trigger_webhook_event, the RPCs and the dispatcher.
drop policy if exists webhook_deliveries_select_own on public.webhook_deliveries;
create policy webhook_deliveries_select_own on public.webhook_deliveries
  for select to authenticated using (user_id = (select auth.uid()));
drop policy if exists webhook_deliveries_delete_own on public.webhook_deliveries;
create policy webhook_deliveries_delete_own on public.webhook_deliveries
  for delete to authenticated using (user_id = (select auth.uid()));

-- why: attempt history: read-only for its owner.
drop policy if exists webhook_delivery_attempts_select_own on public.webhook_delivery_attempts;
create policy webhook_delivery_attempts_select_own on public.webhook_delivery_attempts
  for select to authenticated using (user_id = (select auth.uid()));

-- why: the statistics rollup: read-only for its owner (the trigger writes it).
drop policy if exists webhook_delivery_daily_stats_select_own on public.webhook_delivery_daily_stats;
create policy webhook_delivery_daily_stats_select_own on public.webhook_delivery_daily_stats
  for select to authenticated using (user_id = (select auth.uid()));

-- why: idempotency records: the server may keep them inside the caller's own
-- transaction; user_key is the caller's sub.
drop policy if exists idempotency_keys_select_own on public.idempotency_keys;
create policy idempotency_keys_select_own on public.idempotency_keys
  for select to authenticated using (user_key = (select auth.uid())::text);
drop policy if exists idempotency_keys_insert_own on public.idempotency_keys;
create policy idempotency_keys_insert_own on public.idempotency_keys
  for insert to authenticated with check (user_key = (select auth.uid())::text);
drop policy if exists idempotency_keys_update_own on public.idempotency_keys;
create policy idempotency_keys_update_own on public.idempotency_keys
  for update to authenticated using (user_key = (select auth.uid())::text) with check (user_key = (select auth.uid())::text);
drop policy if exists idempotency_keys_delete_own on public.idempotency_keys;
create policy idempotency_keys_delete_own on public.idempotency_keys
  for delete to authenticated using (user_key = (select auth.uid())::text);
