import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  as, createWebhook, expectSqlError, service, testEngines, trigger, useDatabase, user,
  type WebhookRow,
} from './helpers.js';

describe.each(testEngines)('statistics on %s', (engine) => {
  const db = useDatabase(engine);

  async function counters(id: string): Promise<WebhookRow> {
    const [row] = await as<WebhookRow>(db(), service, 'select * from webhooks where id = $1', [id]);
    return row!;
  }
  const setStatus = (ids: string[], status: string, extra = '') =>
    as(db(), service, `update webhook_deliveries set status = $2 ${extra} where id = any($1)`, [ids, status]);

  describe('update_webhook_stats trigger', () => {
    it(`keeps the counters and last_*_at right through every state change (${engine})`, async () => {
      const alice = user();
      const hook = await createWebhook(db(), alice, { eventTypes: ['video.generated'] });
      const other = await createWebhook(db(), alice, { eventTypes: ['video.failed'] });
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) ids.push(...(await trigger(db(), 'video.generated', { i }, alice.sub)).delivery_ids);
      const [d1, d2, d3] = ids as [string, string, string];
      const [newest] = await as<{ created_at: Date }>(db(), service, 'select max(created_at) as created_at from webhook_deliveries where webhook_id = $1', [hook.id]);
      let c = await counters(hook.id);
      expect(c).toMatchObject({ total_deliveries: 3, successful_deliveries: 0, failed_deliveries: 0, last_success_at: null, last_failure_at: null });
      expect(c.last_delivery_at).toEqual(newest!.created_at);

      // A lease and a retry schedule change nothing.
      await as(db(), service, `update webhook_deliveries set locked_by = 'w', locked_until = now() + interval '1 minute' where id = any($1)`, [ids]);
      await setStatus([d1], 'retrying', `, attempt_number = 1, next_retry_at = now() + interval '1 minute'`);
      expect(await counters(hook.id)).toMatchObject({ total_deliveries: 3, successful_deliveries: 0, failed_deliveries: 0 });

      const successAt = new Date('2026-01-02T03:04:05.000Z');
      await setStatus([d1], 'success', `, completed_at = '${successAt.toISOString()}'`);
      c = await counters(hook.id);
      expect(c).toMatchObject({ successful_deliveries: 1, failed_deliveries: 0, last_success_at: successAt, last_failure_at: null });

      await setStatus([d2, d3], 'failed', `, completed_at = now(), attempt_number = 4`);
      c = await counters(hook.id);
      expect(c).toMatchObject({ total_deliveries: 3, successful_deliveries: 1, failed_deliveries: 2 });
      expect(c.last_failure_at).toBeInstanceOf(Date);
      const failureAt = c.last_failure_at!;

      // A manual retry takes one out of failed; its later success puts it into successful.
      await as(db(), alice, 'select public.retry_failed_delivery($1)', [d2]);
      expect(await counters(hook.id)).toMatchObject({ successful_deliveries: 1, failed_deliveries: 1, last_failure_at: failureAt });
      await setStatus([d2], 'success', ', completed_at = now()');
      c = await counters(hook.id);
      expect(c).toMatchObject({ total_deliveries: 3, successful_deliveries: 2, failed_deliveries: 1 });
      expect(c.last_success_at!.getTime()).toBeGreaterThan(successAt.getTime());
      // A statement that fails nothing new leaves last_failure_at alone.
      expect(c.last_failure_at).toEqual(failureAt);

      // The other webhook was never touched.
      expect(await counters(other.id)).toMatchObject({ total_deliveries: 0, successful_deliveries: 0, failed_deliveries: 0, last_delivery_at: null });
    });

    it(`counts per webhook when one statement changes deliveries of several (${engine})`, async () => {
      const alice = user();
      const a = await createWebhook(db(), alice, { eventTypes: ['credit.added'] });
      const b = await createWebhook(db(), alice, { eventTypes: ['credit.added'] });
      const first = await trigger(db(), 'credit.added', {}, alice.sub);
      const second = await trigger(db(), 'credit.added', {}, alice.sub);
      expect((await counters(a.id)).total_deliveries).toBe(2);
      expect((await counters(b.id)).total_deliveries).toBe(2);
      await as(db(), service, `
        update webhook_deliveries
        set status = case when webhook_id = $2 then 'success' else 'failed' end, completed_at = now()
        where id = any($1)`, [[...first.delivery_ids, ...second.delivery_ids], a.id]);
      expect(await counters(a.id)).toMatchObject({ successful_deliveries: 2, failed_deliveries: 0 });
      expect(await counters(b.id)).toMatchObject({ successful_deliveries: 0, failed_deliveries: 2 });
    });

    it(`counts deliveries inserted already finished (${engine})`, async () => {
      const alice = user();
      const hook = await createWebhook(db(), alice);
      await as(db(), service, `
        insert into webhook_deliveries (webhook_id, user_id, event_id, event_type, status, request_url, request_payload, completed_at)
        select $1, $2, gen_random_uuid(), 'credit.added', s, 'https://x.example', '{}', now()
        from unnest(array['success', 'success', 'failed', 'pending']) as s`, [hook.id, alice.sub]);
      const c = await counters(hook.id);
      expect(c).toMatchObject({ total_deliveries: 4, successful_deliveries: 2, failed_deliveries: 1 });
      expect(c.last_success_at).toBeInstanceOf(Date);
      expect(c.last_failure_at).toBeInstanceOf(Date);
    });
  });

  describe('get_webhook_statistics', () => {
    interface Stats {
      webhook_id: string; period_days: number; total_deliveries: number; successful_deliveries: number;
      failed_deliveries: number; pending_deliveries: number; success_rate: number; average_response_time_ms: number | null;
      by_day: { date: string; total: number; successful: number; failed: number }[];
      by_event_type: { event_type: string; total: number; successful: number; failed: number }[];
    }
    const stats = async (claims: ReturnType<typeof user>, id: string, days?: number): Promise<Stats> => {
      const sql = days === undefined ? 'select public.get_webhook_statistics($1) as s' : 'select public.get_webhook_statistics($1, $2) as s';
      const [row] = await as<{ s: Stats }>(db(), claims, sql, days === undefined ? [id] : [id, days]);
      return row!.s;
    };

    it(`returns counts, success rate, average response time, by day and by event type (${engine})`, async () => {
      const alice = user();
      const hook = await createWebhook(db(), alice);
      const now = Date.now();
      // Today (UTC) even just after midnight: the period is made of whole UTC days.
      const recent = new Date(Math.max(now - 60_000, Math.floor(now / 86_400_000) * 86_400_000));
      const earlier = new Date(now - 3 * 86_400_000);
      const old = new Date(now - 40 * 86_400_000);
      const rows: [Date, string, string, number | null][] = [
        [recent, 'video.generated', 'success', 100],
        [recent, 'video.generated', 'success', 300],
        [recent, 'video.failed', 'failed', 500],
        [recent, 'video.generated', 'pending', null],
        [recent, 'video.generated', 'retrying', 250],
        [earlier, 'credit.added', 'success', 200],
        [old, 'credit.added', 'failed', 10_000],
      ];
      for (const [at, type, status, ms] of rows) {
        await as(db(), service, `
          insert into webhook_deliveries (webhook_id, user_id, event_id, event_type, status, response_time_ms,
            request_url, request_payload, created_at)
          values ($1, $2, gen_random_uuid(), $3, $4, $5, 'https://x.example', '{}', $6)`,
          [hook.id, alice.sub, type, status, ms, at.toISOString()]);
      }
      // Another webhook's deliveries never count.
      const noise = await createWebhook(db(), alice, { eventTypes: ['video.generated'] });
      await trigger(db(), 'video.generated', {}, alice.sub);

      const s = await stats(alice, hook.id);
      expect(s).toEqual({
        webhook_id: hook.id,
        period_days: 30,
        total_deliveries: 6,
        successful_deliveries: 3,
        failed_deliveries: 1,
        pending_deliveries: 2,
        success_rate: 0.75,
        average_response_time_ms: 270, // (100 + 300 + 500 + 250 + 200) / 5
        by_day: [
          { date: earlier.toISOString().slice(0, 10), total: 1, successful: 1, failed: 0 },
          { date: recent.toISOString().slice(0, 10), total: 5, successful: 2, failed: 1 },
        ],
        by_event_type: [
          { event_type: 'video.generated', total: 4, successful: 2, failed: 0 },
          { event_type: 'credit.added', total: 1, successful: 1, failed: 0 },
          { event_type: 'video.failed', total: 1, successful: 0, failed: 1 },
        ],
      });

      const wide = await stats(alice, hook.id, 60);
      expect(wide).toMatchObject({ period_days: 60, total_deliveries: 7, failed_deliveries: 2, success_rate: 0.6 });
      expect(wide.by_day).toHaveLength(3);
      expect(wide.by_day[0]).toEqual({ date: old.toISOString().slice(0, 10), total: 1, successful: 0, failed: 1 });

      const narrow = await stats(alice, hook.id, 1);
      expect(narrow).toMatchObject({ total_deliveries: 5, successful_deliveries: 2, failed_deliveries: 1 });
      expect((await stats(alice, noise.id)).total_deliveries).toBe(1);
    });

    it(`agrees with the deliveries themselves after inserts, state changes and deletions (${engine})`, async () => {
      const alice = user();
      const hook = await createWebhook(db(), alice, { eventTypes: ['video.generated', 'credit.added'] });
      const now = Date.now();
      await as(db(), service, `
        insert into webhook_deliveries (webhook_id, user_id, event_id, event_type, status, response_time_ms,
          request_url, request_payload, created_at)
        select $1, $2, gen_random_uuid(), (array['video.generated', 'credit.added', 'video.failed'])[1 + i % 3],
               (array['pending', 'retrying', 'success', 'failed'])[1 + i % 4],
               case when i % 5 = 0 then null else i * 7 end, 'https://x.example', '{}',
               $3::timestamptz - (i % 9) * interval '1 day'
        from generate_series(1, 200) as i`, [hook.id, alice.sub, new Date(Math.floor(now / 86_400_000) * 86_400_000 + 1000).toISOString()]);
      for (let i = 0; i < 4; i++) await trigger(db(), i % 2 ? 'video.generated' : 'credit.added', { i }, alice.sub);
      // A dispatcher-like batch: some finish, some fail, some get response times; one changes nothing counted.
      await as(db(), service, `update webhook_deliveries set status = 'success', response_time_ms = 42 where webhook_id = $1 and status = 'pending' and response_time_ms is null`, [hook.id]);
      await as(db(), service, `update webhook_deliveries set status = 'failed' where webhook_id = $1 and status = 'retrying' and response_time_ms % 2 = 0`, [hook.id]);
      await as(db(), service, `update webhook_deliveries set locked_by = 'w' where webhook_id = $1`, [hook.id]);
      await as(db(), alice, `delete from webhook_deliveries where webhook_id = $1 and event_type = 'video.failed' and status = 'success'`, [hook.id]);

      for (const days of [1, 3, 30]) {
        const s = await stats(alice, hook.id, days);
        const [raw] = await as<Record<string, number | null>>(db(), service, `
          select count(*)::int as total,
                 (count(*) filter (where status = 'success'))::int as successful,
                 (count(*) filter (where status = 'failed'))::int as failed,
                 (count(*) filter (where status in ('pending', 'retrying')))::int as pending,
                 round(avg(response_time_ms), 2)::float8 as avg_ms
          from webhook_deliveries
          where webhook_id = $1 and (created_at at time zone 'UTC')::date > (now() at time zone 'UTC')::date - $2::int`,
          [hook.id, days]);
        expect(raw!.total).toBeGreaterThan(0);
        expect(s, `days ${days}`).toMatchObject({
          total_deliveries: raw!.total, successful_deliveries: raw!.successful, failed_deliveries: raw!.failed,
          pending_deliveries: raw!.pending, average_response_time_ms: raw!.avg_ms,
        });
        expect(s.by_day.reduce((sum, d) => sum + d.total, 0)).toBe(raw!.total);
        expect(s.by_event_type.reduce((sum, d) => sum + d.failed, 0)).toBe(raw!.failed);
        expect(s.by_day.length).toBeLessThanOrEqual(days);
      }
    });

    it(`returns zeros for a webhook without deliveries (${engine})`, async () => {
      const alice = user();
      const hook = await createWebhook(db(), alice);
      expect(await stats(alice, hook.id, 7)).toEqual({
        webhook_id: hook.id, period_days: 7, total_deliveries: 0, successful_deliveries: 0, failed_deliveries: 0,
        pending_deliveries: 0, success_rate: 0, average_response_time_ms: null, by_day: [], by_event_type: [],
      });
    });

    it(`refuses someone else's webhook and days outside 1..365 (${engine})`, async () => {
      const alice = user();
      const bob = user();
      const hook = await createWebhook(db(), alice);
      await expectSqlError(stats(bob, hook.id), 'P0002');
      await expectSqlError(stats(alice, randomUUID()), 'P0002');
      await expectSqlError(stats(alice, hook.id, 0), '22023', 'days');
      await expectSqlError(stats(alice, hook.id, 366), '22023', 'days');
      expect((await stats(alice, hook.id, 365)).period_days).toBe(365);
    });
  });
});
