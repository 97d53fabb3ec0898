/**
 * Cheap argument checks done before any SQL, each naming the offending field.
 * The database enforces the same rules again; this only makes the messages good.
 */
import { badInput } from './errors.js';

/** Largest accepted event payload, in bytes of its JSON text (as the database enforces). */
export const MAX_PAYLOAD_BYTES = 256 * 1024;
const EVENT_TYPE = /^[a-z0-9_]+(\.[a-z0-9_]+)*$/i;

/** Throws BAD_USER_INPUT unless `url` is an absolute http(s) URL. */
export function checkUrl(url: string, field = 'url'): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw badInput(field, `${field} must be an absolute http:// or https:// URL`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw badInput(field, `${field} must use http or https, not ${parsed.protocol.replace(/:$/, '')}`);
  }
  if (!parsed.hostname) throw badInput(field, `${field} must name a host`);
  if (parsed.username || parsed.password) throw badInput(field, `${field} must not contain credentials`);
  if (url.length > 2048) throw badInput(field, `${field} must be at most 2048 characters`);
}

/** Throws BAD_USER_INPUT unless `value` is an integer in `[min, max]` (null/undefined pass). */
export function checkRange(value: number | null | undefined, field: string, min: number, max: number): void {
  if (value === null || value === undefined) return;
  if (!Number.isInteger(value) || value < min || value > max) throw badInput(field, `${field} must be between ${min} and ${max}, got ${value}`);
}

/** Throws BAD_USER_INPUT unless `name` is 1-255 characters after trimming. */
export function checkName(name: string | null | undefined, field = 'name'): void {
  if (name === null || name === undefined) return;
  if (name.trim().length === 0) throw badInput(field, `${field} must not be empty`);
  if (name.length > 255) throw badInput(field, `${field} must be at most 255 characters`);
}

/** Throws BAD_USER_INPUT unless `value` is a JSON object (not an array or scalar). */
export function checkObject(value: unknown, field: string): void {
  if (value === null || value === undefined) return;
  if (typeof value !== 'object' || Array.isArray(value)) throw badInput(field, `${field} must be a JSON object`);
}

/** Throws BAD_USER_INPUT for a malformed event type name (existence is checked by the database). */
export function checkEventTypes(types: readonly string[] | null | undefined, field = 'eventTypes'): void {
  for (const t of types ?? []) {
    if (!EVENT_TYPE.test(t) || t.length > 255) throw badInput(field, `unknown event type "${t.slice(0, 100)}"`);
  }
}

/** Throws BAD_USER_INPUT when the payload's JSON exceeds {@link MAX_PAYLOAD_BYTES}. */
export function checkPayloadSize(payload: unknown, field = 'payload'): void {
  const bytes = Buffer.byteLength(JSON.stringify(payload ?? null), 'utf8');
  if (bytes > MAX_PAYLOAD_BYTES) throw badInput(field, `${field} is ${bytes} bytes; the limit is ${MAX_PAYLOAD_BYTES} bytes (256 KiB)`);
}

/** Throws BAD_USER_INPUT unless `first` is 1-100. */
export function checkPageSize(first: number | null | undefined): number {
  checkRange(first, 'first', 1, 100);
  return first ?? 20;
}
