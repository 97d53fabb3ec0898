/**
 * Why a webhook failed verification. The first six are the conformance
 * protocol's reasons; `invalid_body` means the caller passed something other
 * than the raw body, `invalid_payload` a signed body that is not JSON.
 */
export type WebhookVerificationReason =
  | "missing_header"
  | "invalid_timestamp"
  | "timestamp_too_old"
  | "timestamp_too_new"
  | "no_matching_signature"
  | "invalid_secret"
  | "invalid_body"
  | "invalid_payload";

const BRAND: unique symbol = Symbol.for("hookline.webhook-verification-error");

/** A webhook could not be verified; `reason` says why. Messages never contain secrets. */
export class WebhookVerificationError extends Error {
  /** Machine-readable cause of the failure. */
  readonly reason: WebhookVerificationReason;

  /**
   * @param reason - why verification failed
   * @param message - human-readable explanation
   */
  constructor(reason: WebhookVerificationReason, message: string) {
    super(message);
    this.name = "WebhookVerificationError";
    this.reason = reason;
    Object.defineProperty(this, BRAND, { value: true, enumerable: false });
  }

  /** `instanceof` that also recognises errors from another copy of this package. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === "object" && value !== null && (value as { [BRAND]?: boolean })[BRAND] === true;
  }
}

/** True when `value` is a {@link WebhookVerificationError} from any copy of the SDK. */
export function isWebhookVerificationError(value: unknown): value is WebhookVerificationError {
  return value instanceof WebhookVerificationError;
}
