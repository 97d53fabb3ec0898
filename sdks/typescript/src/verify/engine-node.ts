import { createHmac, createSecretKey, type KeyObject, timingSafeEqual } from "node:crypto";
import type { CryptoEngine, HashAlgorithm } from "./engine.js";

function mac(key: unknown, algorithm: HashAlgorithm, prefix: string, body: string | Uint8Array): string {
  // Two updates rather than `prefix + body`: no concatenated copy of the body to flatten.
  return createHmac(algorithm, key as KeyObject).update(prefix).update(body).digest("base64");
}

/** HMAC through `node:crypto`, for Node and Bun. */
export const engine: CryptoEngine = {
  name: "node",
  prepareKey: (secret) => createSecretKey(secret),
  sign: mac,
  verify(key, algorithm, prefix, body, candidates) {
    // Compare the canonical base64 text: one digest encoding instead of decoding
    // every candidate, and a non-canonical encoding of the right MAC is refused.
    const expected = Buffer.from(mac(key, algorithm, prefix, body));
    let matched = false;
    for (const candidate of candidates) {
      if (candidate.length !== expected.length) continue;
      const given = Buffer.from(candidate);
      if (given.length === expected.length && timingSafeEqual(given, expected)) matched = true;
    }
    return matched;
  },
};
