import type { TransportResult } from './transport.js';

/** One attempt's outcome as `complete_webhook_deliveries` takes it. */
export interface AttemptOutcome {
  delivery_id: string;
  attempt_number: number;
  release?: true;
  request_headers?: Record<string, string>;
  request_signature?: string;
  response_status?: number | null;
  response_headers?: Record<string, string> | null;
  response_body?: string | null;
  response_body_truncated?: boolean;
  response_time_ms?: number;
  error_code?: string | null;
  error_message?: string | null;
  retry_after_seconds?: number | null;
}

const MAX_STORED_BYTES = 64 * 1024;

/**
 * PostgreSQL text cannot hold NUL and the column holds at most 64 KiB; invalid
 * UTF-8 decodes to U+FFFD, which can grow the text past the byte limit, so cut
 * again by bytes here.
 */
export function storableText(text: string): { text: string; cut: boolean } {
  let clean = text.includes('\u0000') ? text.replaceAll('\u0000', '\uFFFD') : text;
  if (clean.length * 3 <= MAX_STORED_BYTES || Buffer.byteLength(clean) <= MAX_STORED_BYTES) return { text: clean, cut: false };
  const bytes = Buffer.from(clean, 'utf8');
  let end = MAX_STORED_BYTES;
  while (end > 0 && (bytes[end]! & 0xc0) === 0x80) end--;
  clean = bytes.subarray(0, end).toString('utf8');
  return { text: clean, cut: true };
}

/** Seconds a `Retry-After` header asks for (delta-seconds or HTTP date), or null. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | null {
  if (value === undefined) return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Math.min(Number(trimmed), 86_400);
  // HTTP dates name a month ("Fri, 04 Dec 2026 12:10:00 GMT"); Date.parse would read "-5" as a year.
  if (!/[a-z]{3}/i.test(trimmed)) return null;
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return null;
  return Math.min(Math.max(0, Math.ceil((at - now) / 1000)), 86_400);
}

/** Whether a verification response echoes the challenge: `{"challenge": "..."}` or the bare token. */
export function echoesChallenge(body: string | null, challenge: string): boolean {
  if (body === null) return false;
  const trimmed = body.trim();
  if (trimmed === challenge) return true;
  try {
    const parsed = JSON.parse(trimmed) as unknown;
    return typeof parsed === 'object' && parsed !== null && (parsed as { challenge?: unknown }).challenge === challenge;
  } catch {
    return false;
  }
}

/**
 * Turns a transport result into an outcome: error codes for every failure (so
 * the database only has to check for their absence), with HTTP failures named
 * `redirect`, `gone` and `http_error`.
 */
export function toOutcome(
  base: { delivery_id: string; attempt_number: number; request_headers: Record<string, string>; request_signature: string },
  result: TransportResult,
  challenge: string | null,
): AttemptOutcome {
  const body = result.body === null ? null : storableText(result.body);
  const outcome: AttemptOutcome = {
    ...base,
    response_status: result.status,
    response_headers: result.headers,
    response_body: body?.text ?? null,
    response_body_truncated: result.truncated || (body?.cut ?? false),
    response_time_ms: result.timeMs,
    error_code: result.errorCode,
    error_message: result.errorMessage,
    retry_after_seconds: null,
  };
  const status = result.status;
  if (status === null) return outcome;
  if (status >= 200 && status < 300) {
    if (challenge !== null && !echoesChallenge(result.body, challenge)) {
      outcome.error_code = 'challenge_mismatch';
      outcome.error_message = 'the endpoint answered 2xx but did not echo the verification challenge';
    }
  } else if (status >= 300 && status < 400) {
    outcome.error_code = 'redirect';
    const location = result.headers?.['location'];
    outcome.error_message = `HTTP ${status}: redirects are not followed${location ? ` (location: ${location.slice(0, 500)})` : ''}`;
  } else if (status === 410) {
    outcome.error_code = 'gone';
    outcome.error_message = 'HTTP 410 Gone: the webhook has been disabled';
  } else {
    outcome.error_code = 'http_error';
    outcome.error_message = `HTTP ${status}`;
    outcome.retry_after_seconds = parseRetryAfter(result.headers?.['retry-after']);
  }
  return outcome;
}
