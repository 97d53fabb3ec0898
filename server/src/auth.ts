/**
 * Bearer-token authentication: HS256 with a shared secret (the Supabase JWT
 * secret works) or keys from a JWKS URL, and minting dev tokens for `hookline token`.
 */
import { randomBytes } from 'node:crypto';
import { chmod, link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { SignJWT, createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';

/** The claims a request runs with; `request.jwt.claims` gets the same. */
export interface Claims extends JWTPayload {
  role: 'authenticated' | 'service_role';
  /** The user (required for `authenticated`). */
  sub?: string;
}

/** Why a token was refused; the message is safe to show (it never echoes the token). */
export class AuthError extends Error {
  override name = 'AuthError';
}

/** Verifies bearer tokens. */
export interface Authenticator {
  verify(token: string): Promise<Claims>;
}

/** Where verification keys come from. */
export type KeySource = { secret: string } | { jwksUrl: string };

/** Options of {@link createAuthenticator}. */
export interface AuthenticatorOptions {
  keys: KeySource;
  /** Required `aud`, if set (Supabase user tokens carry `authenticated`). */
  audience?: string;
  /** Required `iss`, if set. */
  issuer?: string;
  /** Allowed clock skew in seconds; default 30. */
  clockToleranceSeconds?: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Creates the verifier for the configured key source. */
export function createAuthenticator(options: AuthenticatorOptions): Authenticator {
  const key: Uint8Array | JWTVerifyGetKey =
    'secret' in options.keys ? new TextEncoder().encode(options.keys.secret) : createRemoteJWKSet(new URL(options.keys.jwksUrl));
  const algorithms = 'secret' in options.keys ? ['HS256'] : undefined;
  return {
    async verify(token) {
      let payload: JWTPayload;
      try {
        const result = await jwtVerify(token, key as Uint8Array, {
          algorithms,
          audience: options.audience,
          issuer: options.issuer,
          clockTolerance: options.clockToleranceSeconds ?? 30,
        });
        payload = result.payload;
      } catch (err) {
        if (err instanceof joseErrors.JWTExpired) throw new AuthError('the bearer token has expired');
        if (err instanceof joseErrors.JWTClaimValidationFailed) throw new AuthError(`the bearer token's "${err.claim}" claim is not accepted`);
        throw new AuthError('the bearer token is invalid');
      }
      return claimsFrom(payload);
    },
  };
}

/** Checks the role and subject of a verified payload. */
export function claimsFrom(payload: JWTPayload): Claims {
  const role = payload.role;
  if (role === 'service_role') return { ...payload, role };
  if (role === 'authenticated') {
    if (typeof payload.sub !== 'string' || !UUID.test(payload.sub)) throw new AuthError('the bearer token has no valid "sub" (a user UUID)');
    return { ...payload, role, sub: payload.sub.toLowerCase() };
  }
  throw new AuthError('the bearer token\'s "role" must be "authenticated" or "service_role"');
}

/** Reads the bearer token from an `Authorization` header value. */
export function bearerToken(header: string | null | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1];
}

/**
 * The dev secret kept at `path` (mode 0600), created once with 32 random bytes.
 * Used when neither HOOKLINE_JWT_SECRET nor HOOKLINE_JWKS_URL is set.
 */
export async function loadOrCreateDevSecret(path: string): Promise<string> {
  try {
    const existing = (await readFile(path, 'utf8')).trim();
    if (existing) return existing;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const secret = randomBytes(32).toString('base64url');
  // Write aside, then link into place: link fails if the file exists, and nobody ever sees it half-written.
  const temp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(temp, secret + '\n', { mode: 0o600 });
  try {
    await chmod(temp, 0o600);
    await link(temp, path);
    return secret;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return (await readFile(path, 'utf8')).trim();
    throw err;
  } finally {
    await unlink(temp).catch(() => {});
  }
}

/** Options of {@link mintToken}. */
export interface MintOptions {
  secret: string;
  /** A user's UUID, or `'service_role'`. */
  subject: { user: string } | 'service_role';
  /** `jose` duration (`1h`, `30d`) or seconds; default `1h`. */
  expiresIn?: string | number;
  audience?: string;
  issuer?: string;
}

/** Mints an HS256 token the server accepts. */
export async function mintToken(options: MintOptions): Promise<string> {
  const claims =
    options.subject === 'service_role'
      ? { role: 'service_role' }
      : { role: 'authenticated', sub: options.subject.user.toLowerCase() };
  if (options.subject !== 'service_role' && !UUID.test(options.subject.user)) throw new Error('--user must be a UUID');
  let jwt = new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).setIssuedAt();
  if (options.subject !== 'service_role') jwt = jwt.setSubject(options.subject.user.toLowerCase());
  const exp = options.expiresIn ?? '1h';
  jwt = jwt.setExpirationTime(typeof exp === 'number' ? Math.floor(Date.now() / 1000) + exp : exp);
  if (options.audience) jwt = jwt.setAudience(options.audience);
  if (options.issuer) jwt = jwt.setIssuer(options.issuer);
  return jwt.sign(new TextEncoder().encode(options.secret));
}
