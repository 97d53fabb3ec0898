import type { CryptoEngine, HashAlgorithm } from "./engine.js";

const encoder = new TextEncoder();

function bytesOf(prefix: string, body: string | Uint8Array): Uint8Array {
  if (typeof body === "string") return encoder.encode(prefix + body);
  const head = encoder.encode(prefix);
  const out = new Uint8Array(head.length + body.length);
  out.set(head, 0);
  out.set(body, head.length);
  return out;
}

function toBase64(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]!);
  return btoa(s);
}

/** Constant-time equality of two strings of the same length (base64 text). */
function equalConstantTime(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

async function mac(key: unknown, prefix: string, body: string | Uint8Array): Promise<Uint8Array> {
  const data = bytesOf(prefix, body);
  return new Uint8Array(await crypto.subtle.sign("HMAC", await (key as Promise<CryptoKey>), data as BufferSource));
}

/** HMAC through Web Crypto, for Deno, Cloudflare Workers, Vercel Edge and browsers. */
export const engine: CryptoEngine = {
  name: "web",
  prepareKey: (secret: Uint8Array, algorithm: HashAlgorithm) =>
    crypto.subtle.importKey(
      "raw",
      secret as BufferSource,
      { name: "HMAC", hash: algorithm === "sha256" ? "SHA-256" : "SHA-512" },
      false,
      ["sign"],
    ),
  sign: async (key, _algorithm, prefix, body) => toBase64(await mac(key, prefix, body)),
  async verify(key, _algorithm, prefix, body, candidates) {
    // Canonical base64 text compared in constant time, as the node:crypto engine does.
    const expected = toBase64(await mac(key, prefix, body));
    let matched = false;
    for (const candidate of candidates) if (equalConstantTime(candidate, expected)) matched = true;
    return matched;
  },
};
