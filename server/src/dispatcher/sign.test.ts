import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { signatureHeader, signOne, type SignatureAlgorithm } from './sign.js';

// The shared signature vectors (official Standard Webhooks ones among them) live once, in conformance-tests/.
interface SignCase {
  name: string;
  request: {
    op: string;
    secret: string;
    algorithm: SignatureAlgorithm;
    msgId: string;
    timestamp: number;
    body?: string | { repeat: string; times: number };
    bodyBase64?: string;
  };
  expect: { ok: boolean; result?: { signature: string } };
}

const load = (name: string): SignCase[] =>
  (JSON.parse(readFileSync(new URL(`../../../conformance-tests/cases/signatures/${name}.json`, import.meta.url), 'utf8')) as { cases: SignCase[] }).cases;
const signCases = [...load('official'), ...load('sign')].filter((c) => c.request.op === 'sign' && c.expect.ok);

function bodyOf(req: SignCase['request']): string | Uint8Array {
  if (req.bodyBase64 !== undefined) return Buffer.from(req.bodyBase64, 'base64');
  if (typeof req.body === 'object') return req.body.repeat.repeat(req.body.times);
  return req.body ?? '';
}

describe('dispatcher signing', () => {
  it('has the shared vectors to check against', () => {
    expect(signCases.length).toBeGreaterThanOrEqual(8);
  });

  it.each(signCases.map((c) => [c.name, c] as const))('%s', (_, c) => {
    const r = c.request;
    expect(signOne(r.algorithm, r.secret, r.msgId, r.timestamp, bodyOf(r))).toBe(c.expect.result!.signature);
  });

  it('puts one signature per secret, current first, space-separated', () => {
    const current = 'whsec_' + Buffer.alloc(32, 1).toString('base64');
    const previous = 'whsec_' + Buffer.alloc(32, 2).toString('base64');
    const header = signatureHeader('sha256', [current, previous], 'msg_1', 1700000000, '{}');
    expect(header.split(' ')).toEqual([
      signOne('sha256', current, 'msg_1', 1700000000, '{}'),
      signOne('sha256', previous, 'msg_1', 1700000000, '{}'),
    ]);
    expect(header.split(' ')[0]).not.toBe(header.split(' ')[1]);
  });

  it('refuses a secret with no key bytes', () => {
    expect(() => signOne('sha256', 'whsec_', 'msg_1', 1, '{}')).toThrow(/empty/);
  });
});
