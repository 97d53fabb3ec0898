/**
 * Bad input gets BAD_USER_INPUT or a GraphQL validation code with a useful
 * message, and changes nothing in the database. Both engines.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codes, startTestServer, type GqlResponse, type TestServer } from './harness.js';
import { op } from './operations.js';

const TABLES = ['webhooks', 'webhook_event_subscriptions', 'webhook_deliveries', 'idempotency_keys'];

describe.each(['pglite', 'postgres'] as const)('bad input (%s)', (engine) => {
  let t: TestServer;
  let webhookId: string;
  let snapshot: string;

  const dump = async () => {
    const parts: unknown[] = [];
    for (const table of TABLES) parts.push((await t.db.query(`select * from public.${table} order by 1, 2`)).rows);
    return JSON.stringify(parts);
  };

  beforeAll(async () => {
    t = await startTestServer(engine);
    const created = await t.gql(t.userA.token, op('CreateWebhook'), { input: { name: 'base', url: 'https://example.com/base', eventTypes: ['credit.added'] } });
    webhookId = created.body.data!.createWebhook.webhook.id;
    snapshot = await dump();
  });
  afterAll(async () => {
    await t?.close();
  });

  const create = (input: Record<string, unknown>) =>
    t.gql(t.userA.token, op('CreateWebhook'), { input: { name: 'n', url: 'https://example.com/n', ...input } });

  const cases: Array<[string, () => Promise<GqlResponse>, string, string | undefined, RegExp]> = [
    ['a non-http(s) URL', () => create({ url: 'ftp://example.com/x' }), 'BAD_USER_INPUT', 'url', /http or https/],
    ['a javascript: URL', () => create({ url: 'javascript:alert(1)' }), 'BAD_USER_INPUT', 'url', /http/],
    ['a relative URL', () => create({ url: '/hooks' }), 'BAD_USER_INPUT', 'url', /absolute/],
    ['an unknown event type', () => create({ eventTypes: ['video.exploded'] }), 'BAD_USER_INPUT', undefined, /video\.exploded/],
    ['max retries 11', () => create({ maxRetries: 11 }), 'BAD_USER_INPUT', 'maxRetries', /between 0 and 10/],
    ['max retries -1', () => create({ maxRetries: -1 }), 'BAD_USER_INPUT', 'maxRetries', /between 0 and 10/],
    ['timeout 0', () => create({ timeoutSeconds: 0 }), 'BAD_USER_INPUT', 'timeoutSeconds', /between 1 and 60/],
    ['timeout 61', () => create({ timeoutSeconds: 61 }), 'BAD_USER_INPUT', 'timeoutSeconds', /between 1 and 60/],
    ['retry delay 0', () => create({ retryDelaySeconds: 0 }), 'BAD_USER_INPUT', 'retryDelaySeconds', /between 1 and 3600/],
    ['retry delay 3601', () => create({ retryDelaySeconds: 3601 }), 'BAD_USER_INPUT', 'retryDelaySeconds', /between 1 and 3600/],
    ['an empty name', () => create({ name: '   ' }), 'BAD_USER_INPUT', 'name', /empty/],
    ['metadata that is not an object', () => create({ metadata: [1, 2] }), 'BAD_USER_INPUT', 'metadata', /object/],
    ['filters that are not an object', () => create({ filters: 'x', eventTypes: ['credit.added'] }), 'BAD_USER_INPUT', 'filters', /object/],
    ['a wrong type (string for Int)', () => create({ maxRetries: 'three' }), 'BAD_USER_INPUT', undefined, /Int/],
    ['an unknown enum value', () => create({ signatureAlgorithm: 'MD5' }), 'BAD_USER_INPUT', undefined, /SignatureAlgorithm/],
    ['a missing required field', () => t.gql(t.userA.token, op('CreateWebhook'), { input: { name: 'n' } }), 'BAD_USER_INPUT', undefined, /url/],
    ['a malformed UUID', () => t.gql(t.userA.token, op('GetWebhook'), { id: 'not-a-uuid' }), 'BAD_USER_INPUT', undefined, /UUID/],
    ['first 0', () => t.gql(t.userA.token, op('ListWebhooks'), { first: 0 }), 'BAD_USER_INPUT', 'first', /between 1 and 100/],
    ['first 101', () => t.gql(t.userA.token, op('ListDeliveries'), { first: 101 }), 'BAD_USER_INPUT', 'first', /between 1 and 100/],
    ['an update with a bad URL', () => t.gql(t.userA.token, op('UpdateWebhook'), { id: webhookId, input: { url: 'file:///etc/passwd', name: 'changed' } }), 'BAD_USER_INPUT', 'url', /http/],
    ['an update setting a required field to null', () => t.gql(t.userA.token, op('UpdateWebhook'), { id: webhookId, input: { name: null } }), 'BAD_USER_INPUT', 'name', /null/],
    ['subscribing to an unknown event type', () => t.gql(t.userA.token, op('SubscribeWebhookEvents'), { webhookId, eventTypes: ['credit.added', 'nope.nope'] }), 'BAD_USER_INPUT', undefined, /nope\.nope/],
    ['a grace period past 7 days', () => t.gql(t.userA.token, op('RotateWebhookSecret'), { id: webhookId, gracePeriodSeconds: 604801 }), 'BAD_USER_INPUT', 'gracePeriodSeconds', /604800/],
    ['triggering an unknown event type', () => t.gql(t.service.token, op('TriggerWebhookEvent'), { eventType: 'video.exploded', payload: {} }), 'BAD_USER_INPUT', undefined, /video\.exploded/],
    ['an oversized payload', () => t.gql(t.service.token, op('TriggerWebhookEvent'), { eventType: 'credit.added', payload: { blob: 'x'.repeat(300 * 1024) } }), 'BAD_USER_INPUT', 'payload', /256 KiB/],
    ['malformed GraphQL', () => t.gql(t.userA.token, 'mutation { createWebhook(input: {name: "x" url: ', {}), 'GRAPHQL_PARSE_FAILED', undefined, /Syntax Error/],
    ['an unknown field', () => t.gql(t.userA.token, '{ webhooks { edges { node { secret } } } }'), 'GRAPHQL_VALIDATION_FAILED', undefined, /secret/],
    ['a literal of the wrong type', () => t.gql(t.userA.token, 'mutation { createWebhook(input: {name: 1, url: "https://e.com"}) { secret } }'), 'GRAPHQL_VALIDATION_FAILED', undefined, /String/],
  ];

  it.each(cases)('refuses %s', async (_name, run, code, field, message) => {
    const r = await run();
    expect(r.status).toBe(400);
    expect(codes(r)).toEqual([code]);
    const error = r.body.errors![0]!;
    expect(error.message).toMatch(message);
    if (field) expect(error.extensions!.field).toBe(field);
    expect(r.text).not.toMatch(/at .*\.ts:\d+|SQLSTATE|public\./);
  });

  it('changed nothing in the database', async () => {
    expect(await dump()).toBe(snapshot);
  });

  it('answers 413 for a body over the limit without reading it all', async () => {
    const big = JSON.stringify({ query: '{ eventTypes { eventType } }', variables: { pad: 'x'.repeat(2 * 1024 * 1024) } });
    const r = await t.raw({ method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${t.userA.token}` }, body: big });
    expect(r.status).toBe(413);
    expect((await r.json()).errors[0].extensions.code).toBe('BAD_USER_INPUT');
  });

  it('answers 400 for a body that is not JSON', async () => {
    const r = await t.raw({ method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${t.userA.token}` }, body: '{"query": ' });
    expect(r.status).toBe(400);
  });
});
