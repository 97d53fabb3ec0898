/**
 * Authentication, roles, request ids and health endpoints, over HTTP, on both engines.
 */
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mintToken } from '../src/auth.js';
import { JWT_SECRET, codes, startTestServer, type TestServer } from './harness.js';
import { op } from './operations.js';

const key = (s: string) => new TextEncoder().encode(s);

describe.each(['pglite', 'postgres'] as const)('authentication and roles (%s)', (engine) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer(engine);
  });
  afterAll(async () => {
    await t?.close();
  });

  const expect401 = async (authorization: string | undefined) => {
    const r = await t.gql(undefined, op('ListWebhooks'), {}, authorization ? { authorization } : {});
    expect(r.status).toBe(401);
    expect(codes(r)).toEqual(['UNAUTHENTICATED']);
    expect(r.headers.get('www-authenticate')).toBe('Bearer');
    return r;
  };

  it('answers 401 UNAUTHENTICATED without a token', async () => {
    const r = await expect401(undefined);
    expect(r.body.errors![0]!.message).toMatch(/missing bearer token/);
    await expect401('Basic dXNlcjpwYXNz');
  });

  it('answers 401 for an expired token', async () => {
    const expired = await new SignJWT({ role: 'authenticated', sub: t.userA.id })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuedAt(Math.floor(Date.now() / 1000) - 7200)
      .setExpirationTime(Math.floor(Date.now() / 1000) - 3600)
      .sign(key(JWT_SECRET));
    const r = await expect401(`Bearer ${expired}`);
    expect(r.body.errors![0]!.message).toMatch(/expired/);
    expect(r.text).not.toContain(expired);
  });

  it('answers 401 for a token signed with another secret, a malformed token, alg none, and a bad role or sub', async () => {
    const other = await mintToken({ secret: 'another-secret-another-secret-another!!', subject: { user: t.userA.id } });
    await expect401(`Bearer ${other}`);
    await expect401('Bearer not.a.jwt');
    const [header, payload] = t.userA.token.split('.');
    const none = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${payload}.`;
    await expect401(`Bearer ${none}`);
    void header;
    const anon = await new SignJWT({ role: 'anon' }).setProtectedHeader({ alg: 'HS256' }).setExpirationTime('1h').sign(key(JWT_SECRET));
    await expect401(`Bearer ${anon}`);
    const noSub = await new SignJWT({ role: 'authenticated' }).setProtectedHeader({ alg: 'HS256' }).setExpirationTime('1h').sign(key(JWT_SECRET));
    await expect401(`Bearer ${noSub}`);
  });

  it('answers FORBIDDEN when a user calls a service-role operation, and changes nothing', async () => {
    await t.gql(t.userA.token, op('CreateWebhook'), { input: { name: 'x', url: 'https://example.com/x', eventTypes: ['credit.added'] } });
    const trigger = await t.gql(t.userA.token, op('TriggerWebhookEvent'), { eventType: 'credit.added', payload: { n: 1 } });
    expect(trigger.status).toBe(403);
    expect(codes(trigger)).toEqual(['FORBIDDEN']);
    expect(await t.count('webhook_deliveries')).toBe(0);
    const pending = await t.gql(t.userA.token, op('ListPendingWebhookRetries'), {});
    expect(pending.status).toBe(403);
    expect(codes(pending)).toEqual(['FORBIDDEN']);
    const asService = await t.gql(t.service.token, op('TriggerWebhookEvent'), { eventType: 'credit.added', payload: { n: 1 } });
    expect(asService.body.data!.triggerWebhookEvent.deliveryCount).toBe(1);
  });

  it('sets x-request-id on every response, echoing a sane incoming one', async () => {
    const generated = await t.gql(t.userA.token, op('ListEventTypes'));
    expect(generated.headers.get('x-request-id')).toMatch(/^req_[0-9a-f]{32}$/);
    const echoed = await t.gql(t.userA.token, op('ListEventTypes'), {}, { 'x-request-id': 'client-abc.123' });
    expect(echoed.headers.get('x-request-id')).toBe('client-abc.123');
    const insane = await t.gql(t.userA.token, op('ListEventTypes'), {}, { 'x-request-id': 'a b<script>' });
    expect(insane.headers.get('x-request-id')).toMatch(/^req_/);
    const unauth = await t.gql(undefined, op('ListEventTypes'));
    expect(unauth.headers.get('x-request-id')).toMatch(/^req_/);
    const health = await t.raw({ path: '/healthz' });
    expect(health.headers.get('x-request-id')).toMatch(/^req_/);
    expect(t.logs.some((l) => l.includes('"requestId":"client-abc.123"'))).toBe(true);
  });

  it('serves /healthz and /readyz, and 404 elsewhere', async () => {
    const health = await t.raw({ path: '/healthz' });
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    const ready = await t.raw({ path: '/readyz' });
    expect(ready.status).toBe(200);
    const missing = await t.raw({ path: '/nope' });
    expect(missing.status).toBe(404);
  });

  it('serves GraphiQL to a browser without a token', async () => {
    const r = await t.raw({ path: '/graphql', headers: { accept: 'text/html' } });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/text\/html/);
    expect(await r.text()).toMatch(/graphiql/i);
  });

  it('accepts GET queries with a token', async () => {
    const q = encodeURIComponent('{ eventTypes { eventType } }');
    const r = await t.raw({ path: `/graphql?query=${q}`, headers: { authorization: `Bearer ${t.userA.token}`, accept: 'application/json' } });
    expect(r.status).toBe(200);
    expect((await r.json()).data.eventTypes.length).toBeGreaterThan(0);
  });
});

describe('readiness', () => {
  it('answers 503 on /readyz when the database does not answer', async () => {
    const t = await startTestServer('pglite');
    try {
      await t.db.close();
      const r = await t.raw({ path: '/readyz' });
      expect(r.status).toBe(503);
      expect((await t.raw({ path: '/healthz' })).status).toBe(200);
    } finally {
      await t.server.close();
    }
  });
});
