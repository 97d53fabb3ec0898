import type { CryptoEngine, HashAlgorithm } from "./engine.js";
import { WebhookVerificationError } from "./errors.js";

/** Request headers in any common shape: a fetch `Headers`, or a record in any letter case (Node, Express, Fastify). */
export type WebhookHeaders =
  | { get(name: string): string | null }
  | Record<string, string | readonly string[] | undefined>;

/** A raw request body exactly as received. */
export type RawBody = string | Uint8Array | ArrayBuffer;

/** Options of {@link Webhook}. */
export interface WebhookOptions {
  /** Accepted clock skew in both directions, in seconds. Default 300. */
  toleranceSeconds?: number;
  /** The clock: returns a Date or epoch milliseconds. Default `Date.now`. */
  now?: () => Date | number;
  /** Hash used by `sign` (verification accepts both). Default `sha256`. */
  algorithm?: HashAlgorithm;
}

/** The three Standard Webhooks headers, for sending a signed request. */
export interface SignedHeaders {
  /** Message id, stable across retries. */
  "webhook-id": string;
  /** Unix seconds. */
  "webhook-timestamp": string;
  /** `v1,<base64>` (or `v1-sha512,<base64>`). */
  "webhook-signature": string;
}

const DEFAULT_TOLERANCE_SECONDS = 300;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const TIMESTAMP = /^[0-9]+$/;
const decoder = new TextDecoder();

function decodeSecret(secret: unknown): Uint8Array {
  if (typeof secret !== "string") {
    throw new WebhookVerificationError("invalid_secret", "Webhook secret must be a string (`whsec_...`)");
  }
  const b64 = secret.startsWith("whsec_") ? secret.slice(6) : secret;
  if (!BASE64.test(b64) || b64.replace(/=+$/, "").length % 4 === 1) {
    throw new WebhookVerificationError(
      "invalid_secret",
      "Webhook secret must be `whsec_` followed by base64 (or plain base64); check that it was copied whole",
    );
  }
  const bin = atob(b64.replace(/=+$/, ""));
  if (bin.length === 0) throw new WebhookVerificationError("invalid_secret", "Webhook secret is empty");
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return bytes;
}

function headerValue(headers: WebhookHeaders, name: string): string | undefined {
  if (typeof headers !== "object" || headers === null) return undefined;
  if (typeof (headers as { get?: unknown }).get === "function") {
    const v = (headers as { get(name: string): unknown }).get(name);
    return typeof v === "string" ? v : undefined;
  }
  const record = headers as Record<string, unknown>;
  let v = Object.prototype.hasOwnProperty.call(record, name) ? record[name] : undefined;
  if (v === undefined) {
    for (const key of Object.keys(record)) {
      if (key.toLowerCase() === name) {
        v = record[key];
        break;
      }
    }
  }
  if (Array.isArray(v)) return v.every((x) => typeof x === "string") ? v.join(" ") : undefined;
  return typeof v === "string" ? v : undefined;
}

function parsePayload<T>(raw: string | Uint8Array): T {
  try {
    return JSON.parse(typeof raw === "string" ? raw : decoder.decode(raw)) as T;
  } catch {
    throw new WebhookVerificationError("invalid_payload", "The webhook signature is valid but the body is not JSON");
  }
}

function rawBodyOf(body: unknown): string | Uint8Array {
  if (typeof body === "string" || body instanceof Uint8Array) return body;
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  const got = body === null ? "null" : Array.isArray(body) ? "an array" : typeof body === "object" ? "a parsed object" : typeof body;
  throw new WebhookVerificationError(
    "invalid_body",
    `Webhook verification needs the raw request body (string, Buffer or Uint8Array) exactly as received, but got ${got}. ` +
      "Re-serialising parsed JSON changes the bytes and breaks the signature: read the body before any JSON parser " +
      "runs (express.raw(), request.text(), or the @hookline/sdk middleware).",
  );
}

function noMatch(): WebhookVerificationError {
  return new WebhookVerificationError(
    "no_matching_signature",
    "No webhook signature matches the secret(s); check the secret and that the body is passed unmodified",
  );
}

/**
 * Verifies (and signs) Standard Webhooks requests: `webhook-id`,
 * `webhook-timestamp` and `webhook-signature` over `${id}.${timestamp}.${body}`.
 * Accepts `v1` (HMAC-SHA256) and `v1-sha512` signatures, several per header
 * (secret rotation), with one or more secrets.
 *
 * @example
 * ```ts
 * const wh = new Webhook(process.env.HOOKLINE_WEBHOOK_SECRET!);
 * const event = await wh.verify(rawBody, request.headers);
 * ```
 */
export class WebhookBase {
  // An ES private field: util.inspect / console.log of a Webhook never shows the key material.
  readonly #keys: Array<{ sha256?: unknown; sha512?: unknown; bytes: Uint8Array }>;
  private readonly toleranceSeconds: number;
  private readonly now: () => Date | number;
  private readonly algorithm: HashAlgorithm;

  /**
   * @param secret - one secret or several (any may match); `whsec_...` or plain base64
   * @param options - tolerance, clock, signing algorithm
   * @throws WebhookVerificationError with reason `invalid_secret`
   */
  constructor(
    secret: string | readonly string[],
    options: WebhookOptions = {},
    private readonly engine: CryptoEngine,
  ) {
    const list = Array.isArray(secret) ? secret : [secret];
    if (list.length === 0) throw new WebhookVerificationError("invalid_secret", "At least one webhook secret is required");
    this.#keys = list.map((s) => ({ bytes: decodeSecret(s) }));
    this.toleranceSeconds = options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
    this.now = options.now ?? Date.now;
    this.algorithm = options.algorithm ?? "sha256";
    if (this.algorithm !== "sha256" && this.algorithm !== "sha512") {
      throw new TypeError("Webhook algorithm must be 'sha256' or 'sha512'");
    }
  }

  private key(index: number, algorithm: HashAlgorithm): unknown {
    const k = this.#keys[index]!;
    return (k[algorithm] ??= this.engine.prepareKey(k.bytes, algorithm));
  }

  /**
   * Checks the headers and signature of a request and returns its parsed JSON payload.
   *
   * @param body - the raw body exactly as received (never a parsed object)
   * @param headers - the request headers, any letter case
   * @throws WebhookVerificationError - with a `reason`
   */
  verify<T = unknown>(body: RawBody, headers: WebhookHeaders): Promise<T> {
    try {
      const raw = this.check(body, headers);
      return raw instanceof Promise ? raw.then(parsePayload<T>) : Promise.resolve(parsePayload<T>(raw));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /**
   * Checks the headers and signature without parsing the body (for non-JSON
   * bodies, or to parse it yourself). Resolves with the raw body.
   *
   * @throws WebhookVerificationError - with a `reason`
   */
  verifySignature(body: RawBody, headers: WebhookHeaders): Promise<string | Uint8Array> {
    // Not `async`: on the node:crypto engine everything below is synchronous,
    // and skipping the async machinery is a measurable share of a ~5 µs verify.
    try {
      const result = this.check(body, headers);
      return result instanceof Promise ? result : Promise.resolve(result);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** Verifies synchronously when the engine is synchronous; else returns a promise. */
  private check(body: RawBody, headers: WebhookHeaders): string | Uint8Array | Promise<string | Uint8Array> {
    const raw = rawBodyOf(body);
    const id = headerValue(headers, "webhook-id");
    const timestamp = headerValue(headers, "webhook-timestamp");
    const signature = headerValue(headers, "webhook-signature");
    if (!id || !timestamp || !signature) {
      const missing = [!id && "webhook-id", !timestamp && "webhook-timestamp", !signature && "webhook-signature"]
        .filter(Boolean)
        .join(", ");
      throw new WebhookVerificationError("missing_header", `Missing or empty webhook header: ${missing}`);
    }
    if (!TIMESTAMP.test(timestamp)) {
      throw new WebhookVerificationError("invalid_timestamp", "webhook-timestamp is not a unix time in seconds");
    }
    const ts = Number(timestamp);
    const clock = this.now();
    const now = Math.floor((typeof clock === "number" ? clock : clock.getTime()) / 1000);
    if (now - ts > this.toleranceSeconds) {
      throw new WebhookVerificationError("timestamp_too_old", "webhook-timestamp is too old (possible replay)");
    }
    if (ts - now > this.toleranceSeconds) {
      throw new WebhookVerificationError("timestamp_too_new", "webhook-timestamp is too far in the future");
    }

    const sha256: string[] = [];
    const sha512: string[] = [];
    for (const entry of signature.split(" ")) {
      const comma = entry.indexOf(",");
      if (comma <= 0) continue;
      const version = entry.slice(0, comma);
      if (version === "v1") sha256.push(entry.slice(comma + 1));
      else if (version === "v1-sha512") sha512.push(entry.slice(comma + 1));
    }
    const prefix = `${id}.${timestamp}.`;
    const pending: Array<Promise<boolean>> = [];
    for (const [algorithm, given] of [["sha256", sha256], ["sha512", sha512]] as const) {
      if (given.length === 0) continue;
      for (let i = 0; i < this.#keys.length; i++) {
        const ok = this.engine.verify(this.key(i, algorithm), algorithm, prefix, raw, given);
        if (ok === true) return raw;
        if (ok !== false) pending.push(ok);
      }
    }
    if (pending.length === 0) throw noMatch();
    return Promise.all(pending).then((results) => {
      if (results.includes(true)) return raw;
      throw noMatch();
    });
  }

  /**
   * Signs a message with the first secret: `v1,<base64>` (or `v1-sha512,...`).
   *
   * @param msgId - the `webhook-id`
   * @param timestamp - unix seconds or a Date
   * @param body - the exact body that will be sent
   */
  async sign(msgId: string, timestamp: number | Date, body: string | Uint8Array): Promise<string> {
    const seconds = typeof timestamp === "number" ? Math.floor(timestamp) : Math.floor(timestamp.getTime() / 1000);
    const mac = await this.engine.sign(this.key(0, this.algorithm), this.algorithm, `${msgId}.${seconds}.`, rawBodyOf(body));
    return `${this.algorithm === "sha256" ? "v1" : "v1-sha512"},${mac}`;
  }

  /** The three headers to send with `body`, signed with the first secret. */
  async signHeaders(msgId: string, timestamp: number | Date, body: string | Uint8Array): Promise<SignedHeaders> {
    const seconds = typeof timestamp === "number" ? Math.floor(timestamp) : Math.floor(timestamp.getTime() / 1000);
    return {
      "webhook-id": msgId,
      "webhook-timestamp": String(seconds),
      "webhook-signature": await this.sign(msgId, seconds, body),
    };
  }
}
