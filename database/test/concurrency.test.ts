import { describe, expect, it } from 'vitest';
import { as, service, testEngines, useDatabase, user, type WebhookRow } from './helpers.js';

describe.each(testEngines)('concurrent writers on %s', (engine) => {
  const db = useDatabase(engine);

  it(`fan-outs and dispatcher-like batches on the same webhooks neither deadlock nor lose counts (${engine})`, async () => {
    const owner = user();
    await as(db(), owner, `
      with hooks as (
        insert into webhooks (name, url) select 'c' || i, 'https://c.example/' || i from generate_series(1, 20) as i
        returning id
      )
      insert into webhook_event_subscriptions (webhook_id, event_type) select id, 'credit.consumed' from hooks`);
    const producer = async (n: number) => {
      for (let i = 0; i < n; i++) {
        await as(db(), service, `select public.trigger_webhook_event('credit.consumed', '{}', $1)`, [owner.sub]);
      }
    };
    // Finishes whatever is pending, in a different row order each time.
    const worker = async (n: number, status: 'success' | 'failed') => {
      for (let i = 0; i < n; i++) {
        await as(db(), service, `
          update webhook_deliveries set status = $2, completed_at = now()
          where id in (
            select id from webhook_deliveries
            where user_id = $1 and status = 'pending'
            order by random() limit 15
            for update skip locked
          )`, [owner.sub, status]);
      }
    };
    await Promise.all([producer(15), producer(15), producer(15), worker(20, 'success'), worker(20, 'failed')]);

    const hooks = await as<WebhookRow>(db(), owner, 'select * from webhooks order by id');
    const actual = await as<{ webhook_id: string; total: number; successful: number; failed: number }>(db(), owner, `
      select webhook_id, count(*)::int as total,
             (count(*) filter (where status = 'success'))::int as successful,
             (count(*) filter (where status = 'failed'))::int as failed
      from webhook_deliveries group by webhook_id order by webhook_id`);
    expect(actual).toHaveLength(20);
    expect(actual.reduce((sum, r) => sum + r.total, 0)).toBe(45 * 20);
    expect(actual.reduce((sum, r) => sum + r.successful + r.failed, 0)).toBeGreaterThan(0);
    expect(hooks.map((h) => ({
      webhook_id: h.id, total: h.total_deliveries, successful: h.successful_deliveries, failed: h.failed_deliveries,
    }))).toEqual(actual);
  });
});
