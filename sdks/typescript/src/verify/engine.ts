/** HMAC hash of a signature: `sha256` is Standard Webhooks `v1`, `sha512` our `v1-sha512`. */
export type HashAlgorithm = "sha256" | "sha512";

/**
 * The one runtime-specific part of the verifier: HMAC and constant-time
 * comparison. `node:crypto` on Node (about 15x cheaper per call than Web Crypto
 * there), Web Crypto everywhere else. Results may be synchronous.
 */
export interface CryptoEngine {
  /** Which implementation this is. */
  readonly name: "node" | "web";
  /** Turns secret bytes into whatever the engine signs with fastest; called once per secret and algorithm. */
  prepareKey(secret: Uint8Array, algorithm: HashAlgorithm): unknown;
  /** Base64 HMAC of `prefix` followed by `body`. */
  sign(key: unknown, algorithm: HashAlgorithm, prefix: string, body: string | Uint8Array): string | Promise<string>;
  /** True when any base64 `candidates` equals the HMAC of `prefix` + `body`, compared in constant time. */
  verify(
    key: unknown,
    algorithm: HashAlgorithm,
    prefix: string,
    body: string | Uint8Array,
    candidates: readonly string[],
  ): boolean | Promise<boolean>;
}
