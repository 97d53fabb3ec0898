import { createHmac, createSecretKey, type KeyObject, timingSafeEqual } from "node:crypto";
import type { CryptoEngine, HashAlgorithm } from "./engine.js";

function mac(key: unknown, algorithm: HashAlgorithm, prefix: string, body: string | Uint8Array): Buffer {
  const h = createHmac(algorithm, key as KeyObject);
  // One update of a concatenated string is cheaper than two for bodies of a few KiB.
  if (typeof body === "string") h.update(prefix + body);
  else h.update(prefix).update(body);
  return h.digest();
}

/** HMAC through `node:crypto`, for Node, Bun and Deno's Node compatibility. */
export const engine: CryptoEngine = {
  name: "node",
  prepareKey: (secret) => createSecretKey(secret),
  sign: (key, algorithm, prefix, body) => mac(key, algorithm, prefix, body).toString("base64"),
  verify(key, algorithm, prefix, body, candidates) {
    const expected = mac(key, algorithm, prefix, body);
    let matched = false;
    for (const candidate of candidates) {
      const given = Buffer.from(candidate, "base64");
      if (given.length === expected.length && timingSafeEqual(given, expected)) matched = true;
    }
    return matched;
  },
};
