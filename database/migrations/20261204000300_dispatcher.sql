-- Hookline dispatcher: claiming due deliveries and recording attempt outcomes.
--
-- What: claim_webhook_deliveries (lease a batch of due deliveries with
-- `for update skip locked`) and complete_webhook_deliveries (record a batch of
-- attempt outcomes and decide success / retrying / failed). Both are for the
-- service role only; the dispatcher in server/src/dispatcher calls them.
-- Why this shape:
-- * The lease (locked_by / locked_until) is what makes delivery at-least-once
--   across any number of worker processes: a worker that dies holds its rows only
--   until the lease ends, then any worker takes them over. A claim also moves
--   next_retry_at to the lease's end, so leased rows leave the due range of the
--   queue index and a takeover happens in due order without extra scanning.
-- * The lease is never shorter than the webhook's timeout plus a margin, so a
--   slow but live attempt is not taken over while it runs.
-- * complete_webhook_deliveries applies an outcome only while the same worker
--   still holds the lease for the same attempt (a stale result after a takeover
--   changes nothing but the attempt history), and works set-based, so a batch
--   of results costs a few statements, not a few per delivery.
-- * Re-runnable: `create or replace`, grants repeated.

-- why: one round trip hands a worker everything it needs to sign and send each
-- attempt; `p_delivery_id` claims one given due delivery at once (endpoint verification).
create or replace function public.claim_webhook_deliveries(
  p_worker_id text,
  p_limit integer,
  p_lease_seconds integer,
  p_delivery_id uuid default null
)
returns table (
  delivery_id uuid,
  event_id uuid,
  event_type text,
  payload text,
  url text,
  attempt_number integer,
  max_attempts integer,
  webhook_id uuid,
  secret text,
  previous_secret text,
  signature_algorithm text,
  timeout_seconds integer,
  challenge text
)
language plpgsql
security definer
set search_path = ''
as $$
#variable_conflict use_column
declare
  v_ids uuid[];
begin
  if p_worker_id is null or p_worker_id = '' then
    raise exception 'worker id is required' using errcode = '22023', column = 'worker_id';
  end if;

  if p_delivery_id is null then
    select array_agg(q.id) into v_ids
    from (
      select d.id
      from public.webhook_deliveries d
      join public.webhooks w on w.id = d.webhook_id
      where d.status in ('pending', 'retrying')
        and d.next_retry_at <= pg_catalog.now()
        and (d.locked_until is null or d.locked_until <= pg_catalog.now())
        and w.is_active
      order by d.next_retry_at, d.id
      limit greatest(1, least(coalesce(p_limit, 1), 1000))
      for update of d skip locked
    ) q;
  else
    select array_agg(q.id) into v_ids
    from (
      select d.id
      from public.webhook_deliveries d
      join public.webhooks w on w.id = d.webhook_id
      where d.id = p_delivery_id
        and d.status in ('pending', 'retrying')
        and d.next_retry_at <= pg_catalog.now()
        and (d.locked_until is null or d.locked_until <= pg_catalog.now())
        and w.is_active
      for update of d skip locked
    ) q;
  end if;

  if v_ids is null then
    return;
  end if;

  return query
  with claimed as (
    update public.webhook_deliveries d
    set locked_by = p_worker_id,
        locked_until = pg_catalog.now() + pg_catalog.make_interval(secs => greatest(coalesce(p_lease_seconds, 60), w.timeout_seconds + 5)),
        next_retry_at = pg_catalog.now() + pg_catalog.make_interval(secs => greatest(coalesce(p_lease_seconds, 60), w.timeout_seconds + 5)),
        request_url = w.url
    from public.webhooks w
    where d.id = any (v_ids) and w.id = d.webhook_id
    returning d.id, d.event_id, d.event_type, d.request_payload, d.attempt_number, d.max_attempts, d.webhook_id,
      w.url, w.secret, w.previous_secret, w.previous_secret_expires_at, w.signature_algorithm, w.timeout_seconds
  )
  select c.id,
         c.event_id,
         c.event_type,
         c.request_payload::text,
         c.url,
         c.attempt_number + 1,
         c.max_attempts,
         c.webhook_id,
         c.secret,
         case when c.previous_secret_expires_at > pg_catalog.now() then c.previous_secret end,
         c.signature_algorithm,
         c.timeout_seconds,
         case when c.event_type = 'webhook.verification' then c.request_payload #>> '{data,challenge}' end
  from claimed c;
end
$$;

-- why: a batch of outcomes in a few set-based statements. Each result is
-- {delivery_id, attempt_number, release?, request_headers, request_signature,
-- response_status, response_headers, response_body, response_body_truncated,
-- response_time_ms, error_code, error_message, retry_after_seconds}; the
-- dispatcher sets error_code for every failure (HTTP ones too), so success is
-- a 2xx without an error code. `release` hands back an unsent claim unchanged.
-- Retry schedule: retry_delay_seconds * 2^(n-1) with +-20% jitter, at least a
-- receiver's Retry-After (capped at one hour); blocked addresses, failed
-- verification challenges and 410 Gone are final; 410 also disables the webhook.
-- Returns how many results were applied (held leases).
create or replace function public.complete_webhook_deliveries(p_worker_id text, p_results jsonb)
returns integer
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_applied integer := 0;
  v_released integer := 0;
  v_gone uuid[];
  v_verified uuid[];
begin
  if p_results is null or jsonb_typeof(p_results) <> 'array' then
    raise exception 'results must be a JSON array' using errcode = '22023', column = 'results';
  end if;

  if p_results @> '[{"release": true}]' then
    update public.webhook_deliveries d
    set locked_by = null,
        locked_until = null,
        next_retry_at = pg_catalog.now()
    from jsonb_to_recordset(p_results) as r(delivery_id uuid, attempt_number integer, release boolean)
    where r.release
      and d.id = r.delivery_id
      and d.locked_by = p_worker_id
      and d.attempt_number = r.attempt_number - 1
      and d.status in ('pending', 'retrying');
    get diagnostics v_released = row_count;
  end if;

  with r as (
    select *
    from jsonb_to_recordset(p_results) as x(
      delivery_id uuid,
      attempt_number integer,
      release boolean,
      request_headers jsonb,
      request_signature text,
      response_status integer,
      response_headers jsonb,
      response_body text,
      response_body_truncated boolean,
      response_time_ms integer,
      error_code text,
      error_message text,
      retry_after_seconds integer
    )
    where not coalesce(x.release, false)
  ),
  -- One lookup of each delivery serves both the attempt history and the decision.
  decided as (
    select r.*,
           d.user_id,
           d.event_type,
           case
             when r.error_code is null and r.response_status between 200 and 299 then 'success'
             when r.response_status = 410 or r.error_code in ('blocked_address', 'challenge_mismatch') then 'failed'
             when w.retry_enabled and r.attempt_number < d.max_attempts then 'retrying'
             else 'failed'
           end as new_status,
           w.retry_delay_seconds
    from r
    join public.webhook_deliveries d on d.id = r.delivery_id
    join public.webhooks w on w.id = d.webhook_id
  ),
  history as (
    insert into public.webhook_delivery_attempts (
      delivery_id, user_id, attempt_number, response_status, response_headers, response_body,
      response_time_ms, error_code, error_message, worker_id
    )
    select x.delivery_id, x.user_id, x.attempt_number, x.response_status, x.response_headers, x.response_body,
           x.response_time_ms, x.error_code, x.error_message, p_worker_id
    from decided x
  ),
  applied as (
    update public.webhook_deliveries d
    set status = x.new_status,
        attempt_number = x.attempt_number,
        request_headers = coalesce(x.request_headers, d.request_headers),
        request_signature = x.request_signature,
        response_status = x.response_status,
        response_headers = x.response_headers,
        response_body = x.response_body,
        response_body_truncated = coalesce(x.response_body_truncated, false),
        response_time_ms = x.response_time_ms,
        error_code = x.error_code,
        error_message = x.error_message,
        locked_by = null,
        locked_until = null,
        next_retry_at = case
          when x.new_status = 'retrying' then pg_catalog.now() + pg_catalog.make_interval(secs => greatest(
            x.retry_delay_seconds * pg_catalog.power(2, x.attempt_number - 1) * (0.8 + pg_catalog.random() * 0.4),
            least(greatest(coalesce(x.retry_after_seconds, 0), 0), 3600)
          ))
        end,
        completed_at = case when x.new_status in ('success', 'failed') then pg_catalog.now() end
    from decided x
    where d.id = x.delivery_id
      and d.locked_by = p_worker_id
      and d.attempt_number = x.attempt_number - 1
      and d.status in ('pending', 'retrying')
    returning d.webhook_id, d.status, d.event_type, x.response_status
  )
  select count(*)::integer,
         array_agg(distinct a.webhook_id) filter (where a.response_status = 410),
         array_agg(distinct a.webhook_id) filter (where a.status = 'success' and a.event_type = 'webhook.verification')
  into v_applied, v_gone, v_verified
  from applied a;

  if v_gone is not null then
    update public.webhooks w
    set is_active = false,
        disabled_reason = 'the endpoint answered 410 Gone'
    where w.id = any (v_gone) and w.is_active;
  end if;

  if v_verified is not null then
    update public.webhooks w
    set is_verified = true,
        verified_at = pg_catalog.now()
    where w.id = any (v_verified);
  end if;

  return v_applied + v_released;
end
$$;

-- why: only the service role (the dispatcher's connection) may claim or
-- complete deliveries; the functions read secrets and bypass RLS.
revoke all on function public.claim_webhook_deliveries(text, integer, integer, uuid) from public, anon, authenticated;
revoke all on function public.complete_webhook_deliveries(text, jsonb) from public, anon, authenticated;
grant execute on function public.claim_webhook_deliveries(text, integer, integer, uuid) to service_role;
grant execute on function public.complete_webhook_deliveries(text, jsonb) to service_role;
