import { engine } from "#crypto-engine";
import type { CryptoEngine } from "./engine.js";
import { type WebhookOptions, WebhookBase } from "./webhook.js";

export type { HashAlgorithm } from "./engine.js";
export { isWebhookVerificationError, WebhookVerificationError, type WebhookVerificationReason } from "./errors.js";
export type { RawBody, SignedHeaders, WebhookHeaders, WebhookOptions } from "./webhook.js";

/**
 * Verifies and signs Standard Webhooks requests (`v1` HMAC-SHA256 and
 * `v1-sha512`), with one or several secrets. Uses `node:crypto` on Node and
 * Web Crypto on Deno, Bun, Workers and browsers.
 *
 * @example
 * ```ts
 * import { Webhook } from "@hookline/sdk/verify";
 * const wh = new Webhook(process.env.HOOKLINE_WEBHOOK_SECRET!);
 * const event = await wh.verify(rawBody, headers); // throws WebhookVerificationError
 * ```
 */
export class Webhook extends WebhookBase {
  /**
   * @param secret - `whsec_...` (or plain base64), or several during a rotation
   * @param options - tolerance (default 300 s), clock, signing algorithm
   * @throws WebhookVerificationError with reason `invalid_secret`
   */
  constructor(secret: string | readonly string[], options: WebhookOptions = {}) {
    super(secret, options, engine as CryptoEngine);
  }
}
