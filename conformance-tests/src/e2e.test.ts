/**
 * The end-to-end step driver, exercised without the real server: `call` steps
 * go to the mock server through the reference testee, so saving, templating,
 * `eventually` and failure reports can be checked (and can fail).
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { E2eCase } from './cases.js';
import { runE2eCase, type E2eEnvironment } from './e2e.js';
import { MockServer } from './mock-server.js';
import { CONFORMANCE_DIR } from './paths.js';
import { Testee } from './testee.js';

const ID = '6f1c2a4e-8b3d-4c5e-9f7a-1b2c3d4e5f60';
let mock: MockServer;
let testee: Testee;
const env = (): E2eEnvironment => ({
  graphqlUrl: mock.url('e2e'),
  mint: async (claims) => `token-${claims.role}`,
  stop: async () => undefined,
});

beforeAll(async () => {
  mock = await MockServer.start();
  testee = new Testee({
    name: 'reference',
    command: [process.execPath, '--import', 'tsx', join(CONFORMANCE_DIR, 'test', 'reference-testee.ts')],
    cwd: CONFORMANCE_DIR,
  });
});
afterAll(async () => {
  await testee.stop();
  await mock.close();
});

const secretOk = { status: 200, json: { data: { webhookSecret: { webhookId: ID, secret: 'whsec_abc', previousSecretExpiresAt: null } } } };
const deleteOk = { status: 200, json: { data: { deleteWebhook: { deletedWebhookId: ID } } } };

function e2eCase(steps: E2eCase['steps']): E2eCase {
  return { feature: 'e2e', name: 'e2e: driver', file: 'test', steps };
}

describe('runE2eCase', () => {
  it('saves results, substitutes them, repeats eventually-steps and sends the chosen token', async () => {
    mock.register('e2e', [
      { match: { body: { operationName: 'GetWebhookSecret' } }, response: secretOk },
      { match: { body: { operationName: 'DeleteWebhook' } }, times: 2, response: { status: 503, text: 'not yet' } },
      { match: { body: { operationName: 'DeleteWebhook', variables: { id: ID } } }, response: deleteOk },
    ]);
    const errs = await runE2eCase(
      e2eCase([
        { op: 'call', operation: 'GetWebhookSecret', variables: { id: ID }, save: { webhookId: 'data.webhookId' } },
        {
          op: 'call',
          as: 'service',
          operation: 'DeleteWebhook',
          variables: { id: '{{webhookId}}' },
          expect: { ok: true, result: { data: { deletedWebhookId: '{{webhookId}}' } } },
          eventually: { timeoutMs: 5000, intervalMs: 10 },
        },
      ]),
      testee,
      env(),
    );
    expect(errs).toEqual([]);
    const requests = mock.requests('e2e');
    expect(requests).toHaveLength(4);
    expect(requests[0]!.headers.authorization).toBe('Bearer token-authenticated');
    expect(requests[3]!.headers.authorization).toBe('Bearer token-service_role');
  });

  it('reports the first failing step with its mismatches', async () => {
    mock.register('e2e', [{ response: secretOk }]);
    const errs = await runE2eCase(
      e2eCase([
        { op: 'call', operation: 'GetWebhookSecret', variables: { id: ID } },
        { op: 'call', operation: 'GetWebhookSecret', variables: { id: ID }, comment: 'wrong', expect: { ok: true, result: { data: { secret: 'whsec_other' } } } },
        { op: 'call', operation: 'GetWebhookSecret', variables: { id: ID } },
      ]),
      testee,
      env(),
    );
    expect(errs[0]).toBe('step 2 (call GetWebhookSecret: wrong):');
    expect(errs[1]).toMatch(/\$\.result\.data\.secret: expected "whsec_other", got "whsec_abc"/);
    expect(mock.requests('e2e')).toHaveLength(2);
  });

  it('fails a step that errs when the case did not expect it to', async () => {
    mock.register('e2e', [{ response: { status: 404, json: { errors: [{ message: 'gone', extensions: { code: 'NOT_FOUND' } }] } } }]);
    const errs = await runE2eCase(e2eCase([{ op: 'call', operation: 'GetWebhookSecret', variables: { id: ID } }]), testee, env());
    expect(errs.join('\n')).toMatch(/expected ok=true, got ok=false.*NotFoundError/);
  });

  it('fails when a saved path does not exist', async () => {
    mock.register('e2e', [{ response: secretOk }]);
    const errs = await runE2eCase(
      e2eCase([{ op: 'call', operation: 'GetWebhookSecret', variables: { id: ID }, save: { x: 'data.nope' } }]),
      testee,
      env(),
    );
    expect(errs[0]).toMatch(/cannot save x: no data\.nope/);
  });
});
