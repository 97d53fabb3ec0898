-- Hookline webhooks: RPC functions and the seeded event types.
--
-- What: the functions Supabase clients (via PostgREST) and the Hookline server
-- call: create_webhook, subscribe_webhook_events, unsubscribe_webhook_events,
-- trigger_webhook_event, get_webhook_statistics, retry_failed_delivery,
-- get_pending_webhook_retries, get_webhook_secret, rotate_webhook_secret,
-- send_test_webhook_event, request_webhook_verification; and the seven event
-- types of the seed plus the internal webhook.test / webhook.verification.
--
-- Errors: SQLSTATE 22023 for invalid input (`column` = the argument name
-- without `p_`), P0002 not found (also for another user's rows, so existence
-- does not leak), 42501 forbidden, 23505 conflict with the current state.
--
-- Decisions where the seed was silent:
-- * trigger_webhook_event delivers to a webhook only when the webhook is
--   active, its subscription to the event type is active, the event type is
--   enabled and the payload contains the subscription's filters
--   (`p_payload @> filters`, so `{}` matches everything and filters match
--   nested objects and array elements by containment). Inactive webhooks or
--   subscriptions and a disabled event type are skipped silently (0
--   deliveries, no error) so a producer need not know about them; an unknown
--   event type, a payload that is not a JSON object, or one over 256 KiB is
--   refused (22023). `p_user_id` restricts delivery to that user's webhooks.
--   Each delivery is created `pending` with attempt_number 0, next_retry_at =
--   now(), max_attempts = max_retries + 1 (1 without retries), the Standard
--   Webhooks envelope {"type","timestamp","data"} as request_payload and the
--   pre-send headers (content-type); webhook-id (= the delivery id, the same
--   for every attempt), webhook-timestamp, webhook-signature and user-agent
--   are made by the dispatcher at send time and recorded with the attempt. One pg_notify('hookline_deliveries')
--   per call that created at least one delivery.
-- * retry_failed_delivery refuses another user's delivery (P0002, as if it
--   did not exist), a delivery that is not `failed` (23505), one whose webhook
--   is inactive (23505, it would never be sent), and one that has already
--   made 20 attempts in total (22023: the hard cap). A manual retry grants
--   exactly one more attempt: status `pending`, max_attempts =
--   attempt_number + 1, next_retry_at = now(), lease cleared; it notifies.
-- * get_pending_webhook_retries returns due (next_retry_at <= now()),
--   unleased, pending or retrying deliveries of active webhooks, oldest due
--   first (next_retry_at, id); the limit is clamped to 1..1000.
-- * send_test_webhook_event and request_webhook_verification create one
--   delivery with a single attempt (max_attempts 1) to an active webhook,
--   regardless of subscriptions; the event types webhook.test and
--   webhook.verification are internal (category `system`).
-- * get_webhook_statistics covers deliveries created in the last p_days UTC
--   calendar days, today included (1..365; whole days, because it reads the
--   daily rollup instead of every delivery); success_rate = successful / (successful + failed), 0 when none
--   finished; average_response_time_ms over deliveries with a response time;
--   by_day (UTC dates, days with deliveries only, oldest first) and
--   by_event_type (by total, descending).

-- why: the catalogue the server, the SDKs and the tests share. Re-running the
-- migration leaves an operator's later edits (is_enabled, description) alone.
insert into public.webhook_events (event_type, category, description, payload_schema) values
  ('video.generated', 'video', 'A video finished generating.',
    '{"type": "object", "properties": {"video_id": {"type": "string"}, "url": {"type": "string"}}}'),
  ('video.failed', 'video', 'A video could not be generated.',
    '{"type": "object", "properties": {"video_id": {"type": "string"}, "error": {"type": "string"}}}'),
  ('credit.added', 'credit', 'Credits were added to an account.',
    '{"type": "object", "properties": {"amount": {"type": "number"}, "balance": {"type": "number"}}}'),
  ('credit.consumed', 'credit', 'Credits were consumed.',
    '{"type": "object", "properties": {"amount": {"type": "number"}, "balance": {"type": "number"}}}'),
  ('subscription.created', 'subscription', 'A subscription started.',
    '{"type": "object", "properties": {"subscription_id": {"type": "string"}, "plan": {"type": "string"}}}'),
  ('subscription.renewed', 'subscription', 'A subscription renewed.',
    '{"type": "object", "properties": {"subscription_id": {"type": "string"}, "plan": {"type": "string"}}}'),
  ('subscription.cancelled', 'subscription', 'A subscription was cancelled.',
    '{"type": "object", "properties": {"subscription_id": {"type": "string"}, "reason": {"type": "string"}}}'),
  ('webhook.test', 'system', 'A test event sent on request to one webhook.',
    '{"type": "object", "properties": {"webhook_id": {"type": "string"}, "message": {"type": "string"}}}'),
  ('webhook.verification', 'system', 'A challenge the endpoint must echo to prove it receives Hookline events.',
    '{"type": "object", "required": ["challenge"], "properties": {"challenge": {"type": "string"}}}')
on conflict (event_type) do nothing;

-- why: the headers a delivery has before its first attempt, one definition
-- for every producer. webhook-id (the delivery id), webhook-timestamp,
-- webhook-signature and the user-agent are added by the dispatcher at send
-- time, which then records the headers it actually sent.
create or replace function public.webhook_delivery_headers()
returns jsonb
language sql
immutable
security invoker
set search_path = ''
as $$
  select pg_catalog.jsonb_build_object('content-type', 'application/json')
$$;

-- why: the Standard Webhooks envelope, built at trigger time so every retry
-- sends the same bytes' worth of data.
create or replace function public.webhook_envelope(p_event_type text, p_data jsonb, p_at timestamptz)
returns jsonb
language sql
immutable
security invoker
set search_path = ''
as $$
  select pg_catalog.jsonb_build_object(
    'type', p_event_type,
    'timestamp', pg_catalog.to_char(p_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
    'data', p_data
  )
$$;

-- why: event types are validated the same way by every function that takes them.
create or replace function public.assert_webhook_event_types(p_event_types text[], p_column text)
returns void
language plpgsql
stable
security invoker
set search_path = ''
as $$
declare
  v_bad text;
begin
  select t into v_bad
  from pg_catalog.unnest(p_event_types) as t
  where t is null
     or not exists (
       select 1 from public.webhook_events e
       where e.event_type = t and e.is_enabled and e.category <> 'system'
     )
  limit 1;
  if found then
    raise exception 'unknown or disabled event type: %', coalesce(v_bad, 'null')
      using errcode = '22023', column = p_column;
  end if;
end
$$;

-- why: create a webhook owned by the caller (and its first subscriptions) in
-- one call, returning the secret once. security definer: it writes the
-- secret-bearing row and its subscriptions atomically for the caller only.
create or replace function public.create_webhook(
  p_name text,
  p_url text,
  p_event_types text[] default '{}',
  p_description text default null,
  p_signature_algorithm text default 'sha256',
  p_retry_enabled boolean default true,
  p_max_retries integer default 3,
  p_retry_delay_seconds integer default 60,
  p_timeout_seconds integer default 30,
  p_metadata jsonb default '{}',
  p_filters jsonb default '{}'
)
returns public.webhooks
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_user uuid := auth.uid();
  v_webhook public.webhooks;
begin
  if v_user is null then
    raise exception 'create_webhook needs an authenticated user' using errcode = '42501';
  end if;
  if p_filters is not null and pg_catalog.jsonb_typeof(p_filters) <> 'object' then
    raise exception 'filters must be a JSON object' using errcode = '22023', column = 'filters';
  end if;
  perform public.assert_webhook_event_types(coalesce(p_event_types, '{}'), 'event_types');

  insert into public.webhooks (
    user_id, name, url, description, signature_algorithm, retry_enabled,
    max_retries, retry_delay_seconds, timeout_seconds, metadata
  ) values (
    v_user, p_name, p_url, p_description, p_signature_algorithm, p_retry_enabled,
    p_max_retries, p_retry_delay_seconds, p_timeout_seconds, coalesce(p_metadata, '{}')
  )
  returning * into v_webhook;

  insert into public.webhook_event_subscriptions (webhook_id, user_id, event_type, filters)
  select distinct on (t) v_webhook.id, v_user, t, coalesce(p_filters, '{}')
  from pg_catalog.unnest(coalesce(p_event_types, '{}')) as t;

  return v_webhook;
end
$$;

-- why: subscribe a webhook to event types, or re-activate and replace the
-- filters of existing subscriptions. security invoker: RLS limits it to the
-- caller's webhooks.
create or replace function public.subscribe_webhook_events(
  p_webhook_id uuid,
  p_event_types text[],
  p_filters jsonb default '{}'
)
returns setof public.webhook_event_subscriptions
language plpgsql
security invoker
set search_path = ''
as $$
declare
  v_owner uuid;
begin
  select w.user_id into v_owner from public.webhooks w where w.id = p_webhook_id;
  if not found then
    raise exception 'webhook not found' using errcode = 'P0002';
  end if;
  if p_filters is not null and pg_catalog.jsonb_typeof(p_filters) <> 'object' then
    raise exception 'filters must be a JSON object' using errcode = '22023', column = 'filters';
  end if;
  perform public.assert_webhook_event_types(coalesce(p_event_types, '{}'), 'event_types');

  return query
  insert into public.webhook_event_subscriptions as s (webhook_id, user_id, event_type, filters)
  select distinct on (t) p_webhook_id, v_owner, t, coalesce(p_filters, '{}')
  from pg_catalog.unnest(coalesce(p_event_types, '{}')) as t
  on conflict (webhook_id, event_type)
  do update set filters = excluded.filters, is_active = true
  returning s.*;
end
$$;

-- why: remove subscriptions; returns how many existed. security invoker.
create or replace function public.unsubscribe_webhook_events(p_webhook_id uuid, p_event_types text[])
returns integer
language plpgsql
security invoker
set search_path = ''
as $$
declare
  v_removed integer;
begin
  perform 1 from public.webhooks w where w.id = p_webhook_id;
  if not found then
    raise exception 'webhook not found' using errcode = 'P0002';
  end if;
  delete from public.webhook_event_subscriptions s
  where s.webhook_id = p_webhook_id and s.event_type = any (coalesce(p_event_types, '{}'));
  get diagnostics v_removed = row_count;
  return v_removed;
end
$$;

-- why: fan one event out to every matching subscription in one set-based
-- insert, then wake the dispatcher. Service role only (granted to it alone
-- and checked again in case a platform re-grants functions to everyone).
create or replace function public.trigger_webhook_event(p_event_type text, p_payload jsonb, p_user_id uuid default null)
returns jsonb
language plpgsql
security invoker
set search_path = ''
as $$
declare
  v_event_id uuid := gen_random_uuid();
  v_now timestamptz := pg_catalog.now();
  v_ids uuid[];
  v_headers jsonb;
  v_envelope jsonb;
begin
  if coalesce(auth.role(), 'service_role') <> 'service_role' then
    raise exception 'trigger_webhook_event is for the service role' using errcode = '42501';
  end if;
  if p_event_type is null or not exists (select 1 from public.webhook_events e where e.event_type = p_event_type) then
    raise exception 'unknown event type: %', coalesce(p_event_type, 'null') using errcode = '22023', column = 'event_type';
  end if;
  if p_payload is null or pg_catalog.jsonb_typeof(p_payload) <> 'object' then
    raise exception 'payload must be a JSON object' using errcode = '22023', column = 'payload';
  end if;
  if pg_catalog.octet_length(p_payload::text) > 262144 then
    raise exception 'payload is larger than 256 KiB' using errcode = '22023', column = 'payload';
  end if;
  -- The same for every delivery of this event: built once, not per row.
  v_headers := public.webhook_delivery_headers();
  v_envelope := public.webhook_envelope(p_event_type, p_payload, v_now);

  with inserted as (
    insert into public.webhook_deliveries (
      webhook_id, user_id, event_id, event_type, request_url, request_headers,
      request_payload, max_attempts, next_retry_at, created_at
    )
    select w.id, w.user_id, v_event_id, p_event_type, w.url, v_headers, v_envelope,
           case when w.retry_enabled then w.max_retries + 1 else 1 end, v_now, v_now
    from public.webhook_event_subscriptions s
    join public.webhooks w on w.id = s.webhook_id
    join public.webhook_events e on e.event_type = s.event_type
    where s.event_type = p_event_type
      and s.is_active
      and w.is_active
      and e.is_enabled
      and (p_user_id is null or s.user_id = p_user_id)
      and p_payload @> s.filters
    returning id
  )
  select coalesce(pg_catalog.array_agg(id), '{}') into v_ids from inserted;

  if pg_catalog.cardinality(v_ids) > 0 then
    perform pg_catalog.pg_notify('hookline_deliveries', '');
  end if;

  return pg_catalog.jsonb_build_object(
    'event_id', v_event_id,
    'delivery_count', pg_catalog.cardinality(v_ids),
    'delivery_ids', pg_catalog.to_jsonb(v_ids)
  );
end
$$;

-- why: dashboard numbers for one webhook from the daily rollup the
-- statistics trigger keeps (at most p_days x event types rows, whatever the
-- number of deliveries). security invoker: RLS makes another user's webhook
-- look absent.
create or replace function public.get_webhook_statistics(p_webhook_id uuid, p_days integer default 30)
returns jsonb
language plpgsql
stable
security invoker
set search_path = ''
as $$
declare
  v_result jsonb;
begin
  if p_days is null or p_days not between 1 and 365 then
    raise exception 'days must be between 1 and 365' using errcode = '22023', column = 'days';
  end if;
  perform 1 from public.webhooks w where w.id = p_webhook_id;
  if not found then
    raise exception 'webhook not found' using errcode = 'P0002';
  end if;

  with period as (
    select s.*
    from public.webhook_delivery_daily_stats s
    where s.webhook_id = p_webhook_id
      and s.day > (pg_catalog.now() at time zone 'UTC')::date - p_days
      and s.total > 0
  ),
  totals as (
    select coalesce(sum(total), 0) as total,
           coalesce(sum(successful), 0) as successful,
           coalesce(sum(failed), 0) as failed,
           coalesce(sum(pending), 0) as pending,
           coalesce(sum(response_time_sum), 0) as response_time_sum,
           coalesce(sum(response_time_count), 0) as response_time_count
    from period
  )
  select pg_catalog.jsonb_build_object(
    'webhook_id', p_webhook_id,
    'period_days', p_days,
    'total_deliveries', t.total,
    'successful_deliveries', t.successful,
    'failed_deliveries', t.failed,
    'pending_deliveries', t.pending,
    'success_rate', case when t.successful + t.failed = 0 then 0
                         else pg_catalog.round(t.successful / (t.successful + t.failed), 4) end,
    'average_response_time_ms', case when t.response_time_count = 0 then null
                         else pg_catalog.round(t.response_time_sum / t.response_time_count, 2) end,
    'by_day', coalesce((
      select pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object(
        'date', d.day, 'total', d.total, 'successful', d.successful, 'failed', d.failed) order by d.day)
      from (select day, sum(total) as total, sum(successful) as successful, sum(failed) as failed
            from period group by day) d), '[]'::jsonb),
    'by_event_type', coalesce((
      select pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object(
        'event_type', e.event_type, 'total', e.total, 'successful', e.successful, 'failed', e.failed)
        order by e.total desc, e.event_type)
      from (select event_type, sum(total) as total, sum(successful) as successful, sum(failed) as failed
            from period group by event_type) e), '[]'::jsonb)
  ) into v_result
  from totals t;

  return v_result;
end
$$;

-- why: a user asks for one more attempt of a delivery that failed. security
-- definer: users cannot update deliveries directly (they could lift the
-- attempt cap); ownership is checked here explicitly.
create or replace function public.retry_failed_delivery(p_delivery_id uuid)
returns public.webhook_deliveries
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_role text := coalesce(auth.role(), 'service_role');
  v_delivery public.webhook_deliveries;
  v_webhook_active boolean;
begin
  if v_role not in ('authenticated', 'service_role') then
    raise exception 'retry_failed_delivery needs a signed-in user' using errcode = '42501';
  end if;
  select d.* into v_delivery
  from public.webhook_deliveries d
  where d.id = p_delivery_id
    and (v_role = 'service_role' or d.user_id = auth.uid())
  for update;
  if not found then
    raise exception 'delivery not found' using errcode = 'P0002';
  end if;
  if v_delivery.status <> 'failed' then
    raise exception 'only a failed delivery can be retried (status is %)', v_delivery.status using errcode = '23505';
  end if;
  select w.is_active into v_webhook_active from public.webhooks w where w.id = v_delivery.webhook_id;
  if not v_webhook_active then
    raise exception 'the webhook is disabled; enable it before retrying' using errcode = '23505';
  end if;
  if v_delivery.attempt_number >= 20 then
    raise exception 'delivery has reached the limit of 20 attempts' using errcode = '22023', column = 'delivery_id';
  end if;

  update public.webhook_deliveries d
  set status = 'pending',
      max_attempts = d.attempt_number + 1,
      next_retry_at = pg_catalog.now(),
      completed_at = null,
      locked_by = null,
      locked_until = null
  where d.id = p_delivery_id
  returning d.* into v_delivery;

  perform pg_catalog.pg_notify('hookline_deliveries', '');
  return v_delivery;
end
$$;

-- why: the dispatcher's (and operators') view of the queue. Service role only.
create or replace function public.get_pending_webhook_retries(p_limit integer default 100)
returns setof public.webhook_deliveries
language plpgsql
stable
security invoker
set search_path = ''
as $$
begin
  if coalesce(auth.role(), 'service_role') <> 'service_role' then
    raise exception 'get_pending_webhook_retries is for the service role' using errcode = '42501';
  end if;
  return query
  select d.*
  from public.webhook_deliveries d
  where d.status in ('pending', 'retrying')
    and d.next_retry_at <= pg_catalog.now()
    and (d.locked_until is null or d.locked_until <= pg_catalog.now())
    and exists (select 1 from public.webhooks w where w.id = d.webhook_id and w.is_active)
  order by d.next_retry_at, d.id
  limit greatest(1, least(coalesce(p_limit, 100), 1000));
end
$$;

-- why: the owner's one explicit way to read a signing secret. security
-- definer so that secrets need no broader grant than this.
create or replace function public.get_webhook_secret(p_webhook_id uuid)
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_role text := coalesce(auth.role(), 'service_role');
  v_result jsonb;
begin
  select pg_catalog.jsonb_build_object(
    'webhook_id', w.id,
    'secret', w.secret,
    'previous_secret_expires_at',
      case when w.previous_secret_expires_at > pg_catalog.now() then w.previous_secret_expires_at end
  ) into v_result
  from public.webhooks w
  where w.id = p_webhook_id
    and (v_role = 'service_role' or (v_role = 'authenticated' and w.user_id = auth.uid()));
  if v_result is null then
    raise exception 'webhook not found' using errcode = 'P0002';
  end if;
  return v_result;
end
$$;

-- why: a new secret now; the previous one keeps signing during the grace
-- period so receivers can switch without dropping deliveries.
create or replace function public.rotate_webhook_secret(p_webhook_id uuid, p_grace_period_seconds integer default 86400)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_role text := coalesce(auth.role(), 'service_role');
  v_webhook public.webhooks;
begin
  if p_grace_period_seconds is null or p_grace_period_seconds not between 0 and 604800 then
    raise exception 'grace_period_seconds must be between 0 and 604800'
      using errcode = '22023', column = 'grace_period_seconds';
  end if;
  update public.webhooks w
  set previous_secret = case when p_grace_period_seconds > 0 then w.secret end,
      previous_secret_expires_at = case when p_grace_period_seconds > 0
        then pg_catalog.now() + pg_catalog.make_interval(secs => p_grace_period_seconds) end,
      secret = 'whsec_' || pg_catalog.encode(extensions.gen_random_bytes(32), 'base64')
  where w.id = p_webhook_id
    and (v_role = 'service_role' or (v_role = 'authenticated' and w.user_id = auth.uid()))
  returning w.* into v_webhook;
  if not found then
    raise exception 'webhook not found' using errcode = 'P0002';
  end if;
  return pg_catalog.jsonb_build_object(
    'webhook_id', v_webhook.id,
    'secret', v_webhook.secret,
    'previous_secret_expires_at', v_webhook.previous_secret_expires_at
  );
end
$$;

-- why: test events and verification challenges are single-attempt deliveries
-- to one webhook, queued the same way. Called only by the security definer
-- functions below, which have checked ownership; nobody else may execute it.
create or replace function public.queue_webhook_system_delivery(p_webhook public.webhooks, p_event_type text, p_data jsonb)
returns public.webhook_deliveries
language plpgsql
security invoker
set search_path = ''
as $$
declare
  v_now timestamptz := pg_catalog.now();
  v_delivery public.webhook_deliveries;
begin
  insert into public.webhook_deliveries (
    webhook_id, user_id, event_id, event_type, request_url, request_headers,
    request_payload, max_attempts, next_retry_at, created_at
  ) values (
    p_webhook.id, p_webhook.user_id, gen_random_uuid(), p_event_type, p_webhook.url,
    public.webhook_delivery_headers(),
    public.webhook_envelope(p_event_type, p_data, v_now),
    1, v_now, v_now
  )
  returning * into v_delivery;

  perform pg_catalog.pg_notify('hookline_deliveries', '');
  return v_delivery;
end
$$;

-- why: queue a webhook.test delivery to one of the caller's webhooks.
-- security definer: users cannot insert deliveries directly.
create or replace function public.send_test_webhook_event(p_webhook_id uuid)
returns public.webhook_deliveries
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_role text := coalesce(auth.role(), 'service_role');
  v_webhook public.webhooks;
begin
  select w.* into v_webhook from public.webhooks w
  where w.id = p_webhook_id
    and (v_role = 'service_role' or (v_role = 'authenticated' and w.user_id = auth.uid()));
  if not found then
    raise exception 'webhook not found' using errcode = 'P0002';
  end if;
  if not v_webhook.is_active then
    raise exception 'the webhook is disabled' using errcode = '23505';
  end if;

  return public.queue_webhook_system_delivery(v_webhook, 'webhook.test', pg_catalog.jsonb_build_object(
    'webhook_id', v_webhook.id, 'message', 'This is a test event from Hookline.'));
end
$$;

-- why: prove the endpoint receives and understands our deliveries: a new
-- challenge is stored on the webhook and sent as a webhook.verification
-- event; the dispatcher sets is_verified when the endpoint echoes it.
create or replace function public.request_webhook_verification(p_webhook_id uuid)
returns public.webhook_deliveries
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_role text := coalesce(auth.role(), 'service_role');
  v_webhook public.webhooks;
  v_token text := pg_catalog.encode(extensions.gen_random_bytes(24), 'hex');
begin
  update public.webhooks w
  set verification_token = v_token
  where w.id = p_webhook_id
    and (v_role = 'service_role' or (v_role = 'authenticated' and w.user_id = auth.uid()))
  returning w.* into v_webhook;
  if not found then
    raise exception 'webhook not found' using errcode = 'P0002';
  end if;
  if not v_webhook.is_active then
    raise exception 'the webhook is disabled' using errcode = '23505';
  end if;

  return public.queue_webhook_system_delivery(v_webhook, 'webhook.verification',
    pg_catalog.jsonb_build_object('challenge', v_token));
end
$$;

-- why: PostgreSQL grants EXECUTE to public by default (Supabase also grants
-- it to anon and authenticated); take it back and give each function to
-- exactly the roles that may call it.
revoke execute on function
  public.queue_webhook_system_delivery(public.webhooks, text, jsonb),
  public.webhook_delivery_headers(),
  public.webhook_envelope(text, jsonb, timestamptz),
  public.assert_webhook_event_types(text[], text),
  public.create_webhook(text, text, text[], text, text, boolean, integer, integer, integer, jsonb, jsonb),
  public.subscribe_webhook_events(uuid, text[], jsonb),
  public.unsubscribe_webhook_events(uuid, text[]),
  public.trigger_webhook_event(text, jsonb, uuid),
  public.get_webhook_statistics(uuid, integer),
  public.retry_failed_delivery(uuid),
  public.get_pending_webhook_retries(integer),
  public.get_webhook_secret(uuid),
  public.rotate_webhook_secret(uuid, integer),
  public.send_test_webhook_event(uuid),
  public.request_webhook_verification(uuid),
  public.update_webhook_updated_at(),
  public.validate_webhook(),
  public.update_webhook_stats()
  from public, anon, authenticated;
grant execute on function
  public.webhook_delivery_headers(),
  public.webhook_envelope(text, jsonb, timestamptz),
  public.assert_webhook_event_types(text[], text),
  public.create_webhook(text, text, text[], text, text, boolean, integer, integer, integer, jsonb, jsonb),
  public.subscribe_webhook_events(uuid, text[], jsonb),
  public.unsubscribe_webhook_events(uuid, text[]),
  public.get_webhook_statistics(uuid, integer),
  public.retry_failed_delivery(uuid),
  public.get_webhook_secret(uuid),
  public.rotate_webhook_secret(uuid, integer),
  public.send_test_webhook_event(uuid),
  public.request_webhook_verification(uuid)
  to authenticated, service_role;
grant execute on function
  public.trigger_webhook_event(text, jsonb, uuid),
  public.get_pending_webhook_retries(integer),
  public.update_webhook_updated_at(),
  public.validate_webhook(),
  public.update_webhook_stats()
  to service_role;
