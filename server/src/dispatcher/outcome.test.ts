import { describe, expect, it } from 'vitest';
import { echoesChallenge, parseRetryAfter, storableText, toOutcome } from './outcome.js';
import type { TransportResult } from './transport.js';

const response = (status: number, extra: Partial<TransportResult> = {}): TransportResult => ({
  status,
  headers: {},
  body: '',
  truncated: false,
  timeMs: 3,
  errorCode: null,
  errorMessage: null,
  ...extra,
});
const base = { delivery_id: 'd1', attempt_number: 1, request_headers: {}, request_signature: 'v1,x' };

describe('attempt outcomes', () => {
  it('stores text PostgreSQL accepts: no NUL, at most 64 KiB, cut on a character boundary', () => {
    expect(storableText('a\u0000b')).toEqual({ text: 'a\uFFFDb', cut: false });
    const euro = '€'.repeat(30_000); // 3 bytes each: 90,000 bytes
    const stored = storableText(euro);
    expect(stored.cut).toBe(true);
    expect(Buffer.byteLength(stored.text)).toBeLessThanOrEqual(65_536);
    expect(stored.text).toBe('€'.repeat(stored.text.length));
    expect(storableText('short')).toEqual({ text: 'short', cut: false });
  });

  it('reads Retry-After as seconds or an HTTP date, ignoring garbage', () => {
    const now = Date.parse('2026-12-04T12:00:00Z');
    expect(parseRetryAfter('120', now)).toBe(120);
    expect(parseRetryAfter(' 7 ', now)).toBe(7);
    expect(parseRetryAfter('Fri, 04 Dec 2026 12:10:00 GMT', now)).toBe(600);
    expect(parseRetryAfter('Fri, 04 Dec 2026 11:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeNull();
    expect(parseRetryAfter('-5', now)).toBeNull();
    expect(parseRetryAfter(undefined, now)).toBeNull();
  });

  it('accepts the challenge echoed as JSON or as the bare token, nothing else', () => {
    expect(echoesChallenge('{"challenge":"abc"}', 'abc')).toBe(true);
    expect(echoesChallenge(' abc\n', 'abc')).toBe(true);
    expect(echoesChallenge('{"challenge":"abd"}', 'abc')).toBe(false);
    expect(echoesChallenge('["abc"]', 'abc')).toBe(false);
    expect(echoesChallenge(null, 'abc')).toBe(false);
  });

  it('names every failure so the database only checks for an error code', () => {
    expect(toOutcome(base, response(204), null).error_code).toBeNull();
    expect(toOutcome(base, response(200, { body: 'nope' }), 'tok').error_code).toBe('challenge_mismatch');
    expect(toOutcome(base, response(301, { headers: { location: 'https://x.example/' } }), null)).toMatchObject({
      error_code: 'redirect',
      error_message: expect.stringContaining('https://x.example/'),
    });
    expect(toOutcome(base, response(410), null).error_code).toBe('gone');
    expect(toOutcome(base, response(503, { headers: { 'retry-after': '30' } }), null)).toMatchObject({
      error_code: 'http_error',
      retry_after_seconds: 30,
    });
    const timeout = response(0, { status: null, headers: null, body: null, errorCode: 'timeout', errorMessage: 'slow' });
    expect(toOutcome(base, timeout, null)).toMatchObject({ error_code: 'timeout', response_status: null });
  });
});
