import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openTestDatabase } from './helpers.js';

const MIGRATION = new URL('../../../database/migrations/20261204000300_dispatcher.sql', import.meta.url);

describe.each(['pglite', 'postgres'] as const)('dispatcher SQL on %s', (engine) => {
  it('re-runs without harm and is callable by the service role only', async () => {
    const t = await openTestDatabase(engine);
    try {
      const sql = readFileSync(MIGRATION, 'utf8');
      await t.db.exec(sql);
      await t.db.exec(sql);
      const claim = (role: 'authenticated' | 'anon' | 'service_role') =>
        t.db.withClaims({ role, sub: role === 'authenticated' ? '00000000-0000-4000-8000-000000000001' : undefined }, (tx) =>
          tx.query('select * from public.claim_webhook_deliveries($1, 10, 60)', ['w']),
        );
      await expect(claim('authenticated')).rejects.toThrow(/permission denied/);
      await expect(claim('anon')).rejects.toThrow(/permission denied/);
      await expect(claim('service_role')).resolves.toMatchObject({ rows: [] });
      const complete = t.db.withClaims({ role: 'authenticated', sub: '00000000-0000-4000-8000-000000000001' }, (tx) =>
        tx.query("select public.complete_webhook_deliveries('w', '[]'::jsonb)"),
      );
      await expect(complete).rejects.toThrow(/permission denied/);
    } finally {
      await t.close();
    }
  });
});
