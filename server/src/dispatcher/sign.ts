import { createHmac } from 'node:crypto';

/** The HMAC hash a webhook signs with; `sha256` is Standard Webhooks `v1`. */
export type SignatureAlgorithm = 'sha256' | 'sha512';

const SECRET_PREFIX = 'whsec_';
const keyCache = new Map<string, Buffer>();

/**
 * The HMAC key of a `whsec_` secret: the base64-decoded bytes after the prefix,
 * as the Standard Webhooks libraries read it. Decoded keys are cached because the
 * same few secrets sign thousands of attempts.
 */
export function secretKey(secret: string): Buffer {
  let key = keyCache.get(secret);
  if (key === undefined) {
    const encoded = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret;
    key = Buffer.from(encoded, 'base64');
    if (key.length === 0) throw new Error('webhook secret is empty or not base64');
    if (keyCache.size > 10_000) keyCache.clear();
    keyCache.set(secret, key);
  }
  return key;
}

/** One signature, `v1,<base64>` or `v1-sha512,<base64>`, over `${id}.${timestamp}.${body}`. */
export function signOne(
  algorithm: SignatureAlgorithm,
  secret: string,
  id: string,
  timestamp: number,
  body: string | Uint8Array,
): string {
  const mac = createHmac(algorithm, secretKey(secret))
    .update(`${id}.${timestamp}.`)
    .update(body)
    .digest('base64');
  return algorithm === 'sha512' ? `v1-sha512,${mac}` : `v1,${mac}`;
}

/**
 * The `webhook-signature` header value: one signature with the current secret, and
 * during a rotation's grace period a second one with the previous secret, so a
 * receiver holding either secret verifies.
 */
export function signatureHeader(
  algorithm: SignatureAlgorithm,
  secrets: readonly string[],
  id: string,
  timestamp: number,
  body: string,
): string {
  return secrets.map((secret) => signOne(algorithm, secret, id, timestamp, body)).join(' ');
}
