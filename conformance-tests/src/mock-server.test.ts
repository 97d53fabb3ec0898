import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MockServer } from './mock-server.js';

let mock: MockServer;
beforeAll(async () => {
  mock = await MockServer.start();
});
afterAll(async () => {
  await mock.close();
});

const post = (url: string, headers: Record<string, string> = {}, body = '{"query":"{ x }"}') =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

describe('MockServer', () => {
  it('answers rules in order, honouring times, and records every request', async () => {
    mock.register('order', [
      { times: 1, response: { status: 503, text: 'down' } },
      { response: { status: 200, json: { data: { ok: true } }, headers: { 'x-request-id': 'req_1' } } },
    ]);
    const a = await post(mock.url('order'));
    const b = await post(mock.url('order'));
    const c = await post(mock.url('order'));
    expect([a.status, b.status, c.status]).toEqual([503, 200, 200]);
    expect(await a.text()).toBe('down');
    expect(b.headers.get('x-request-id')).toBe('req_1');
    expect(await b.json()).toEqual({ data: { ok: true } });
    const recorded = mock.requests('order');
    expect(recorded.map((r) => r.rule)).toEqual([0, 1, 1]);
    expect(recorded[0]!.method).toBe('POST');
    expect(recorded[0]!.json).toEqual({ query: '{ x }' });
    expect(recorded[1]!.arrivedAt).toBeGreaterThanOrEqual(recorded[0]!.arrivedAt);
  });

  it('matches on headers in any case', async () => {
    mock.register('auth', [
      { match: { headers: { Authorization: 'Bearer t1' } }, response: { status: 401 } },
      { match: { headers: { authorization: 'Bearer t2' } }, response: { status: 200, json: { data: {} } } },
    ]);
    expect((await post(mock.url('auth'), { authorization: 'Bearer t1' })).status).toBe(401);
    expect((await post(mock.url('auth'), { authorization: 'Bearer t2' })).status).toBe(200);
    const none = await post(mock.url('auth'), { authorization: 'Bearer t3' });
    expect(none.status).toBe(418);
    expect(mock.requests('auth').map((r) => r.rule)).toEqual([0, 1, -1]);
  });

  it('keeps cases apart and reports requests to unknown cases as strays', async () => {
    mock.register('a', [{ response: { status: 200, json: { data: { which: 'a' } } } }]);
    mock.register('b', [{ response: { status: 200, json: { data: { which: 'b' } } } }]);
    expect(await (await post(mock.url('b'))).json()).toEqual({ data: { which: 'b' } });
    expect(mock.requests('a')).toHaveLength(0);
    expect((await post(mock.url('nope'))).status).toBe(404);
    expect(mock.strays.length).toBeGreaterThan(0);
  });

  it('resets the connection when told to', async () => {
    mock.register('reset', [{ response: { reset: true } }]);
    await expect(post(mock.url('reset'))).rejects.toThrow();
    expect(mock.requests('reset')).toHaveLength(1);
  });

  it('delays an answer', async () => {
    mock.register('slow', [{ response: { delayMs: 150, status: 200, json: { data: {} } } }]);
    const t0 = performance.now();
    const res = await post(mock.url('slow'));
    expect(res.status).toBe(200);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(140);
  });

  it('writes an HTTP date relative to the moment of answering', async () => {
    mock.register('date', [{ response: { status: 429, headers: { 'Retry-After': { httpDateFromNow: 120 } } } }]);
    const res = await post(mock.url('date'));
    const when = Date.parse(res.headers.get('retry-after')!);
    expect(when - Date.now()).toBeGreaterThan(100_000);
  });
});
