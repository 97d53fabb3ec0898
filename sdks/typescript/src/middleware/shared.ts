import { Webhook, type WebhookOptions, WebhookVerificationError } from "../verify/index.js";

/** Options shared by every middleware: a secret (or several) or a ready {@link Webhook}. */
export interface WebhookMiddlewareOptions extends WebhookOptions {
  /** `whsec_...` secret, or several during a rotation. Ignored when `webhook` is given. */
  secret?: string | readonly string[];
  /** A configured verifier to use instead of `secret`. */
  webhook?: Webhook;
}

/** The verifier the options describe. */
export function webhookFrom(options: WebhookMiddlewareOptions): Webhook {
  if (options.webhook) return options.webhook;
  if (options.secret === undefined) throw new TypeError("Hookline middleware: give `secret` or `webhook`");
  return new Webhook(options.secret, options);
}

/** The JSON body of a 401 answer: the reason, never the secret or the signature. */
export function rejection(error: WebhookVerificationError): { error: string; reason: string } {
  return { error: "webhook_verification_failed", reason: error.reason };
}

/** True for verification failures caused by the request (401), false for a misconfigured app. */
export function isRequestFault(error: unknown): error is WebhookVerificationError {
  return error instanceof WebhookVerificationError && error.reason !== "invalid_body" && error.reason !== "invalid_secret";
}
