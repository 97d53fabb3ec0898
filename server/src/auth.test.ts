import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthError, bearerToken, claimsFrom, createAuthenticator, loadOrCreateDevSecret, mintToken } from './auth.js';

const SECRET = 'unit-secret-unit-secret-unit-secret-unit';

describe('HS256 authenticator', () => {
  const auth = createAuthenticator({ keys: { secret: SECRET } });

  it('accepts tokens it minted, for users and the service role', async () => {
    const user = randomUUID();
    expect(await auth.verify(await mintToken({ secret: SECRET, subject: { user } }))).toMatchObject({ role: 'authenticated', sub: user });
    expect(await auth.verify(await mintToken({ secret: SECRET, subject: 'service_role' }))).toMatchObject({ role: 'service_role' });
  });

  it('checks audience and issuer when configured', async () => {
    const strict = createAuthenticator({ keys: { secret: SECRET }, audience: 'authenticated', issuer: 'https://x.supabase.co/auth/v1' });
    const user = randomUUID();
    const good = await mintToken({ secret: SECRET, subject: { user }, audience: 'authenticated', issuer: 'https://x.supabase.co/auth/v1' });
    expect((await strict.verify(good)).sub).toBe(user);
    const noAud = await mintToken({ secret: SECRET, subject: { user } });
    await expect(strict.verify(noAud)).rejects.toThrow(AuthError);
  });

  it('refuses other algorithms even with the right secret', async () => {
    const hs512 = await new SignJWT({ role: 'service_role' }).setProtectedHeader({ alg: 'HS512' }).sign(new TextEncoder().encode(SECRET));
    await expect(auth.verify(hs512)).rejects.toThrow('invalid');
  });
});

describe('JWKS authenticator', () => {
  let server: Server;
  let url: string;
  let privateKey: CryptoKey;
  beforeAll(async () => {
    const pair = await generateKeyPair('RS256');
    privateKey = pair.privateKey as CryptoKey;
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
    server = createServer((_, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] })));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it('verifies tokens signed by a key of the JWKS and refuses others', async () => {
    const auth = createAuthenticator({ keys: { jwksUrl: url } });
    const user = randomUUID();
    const token = await new SignJWT({ role: 'authenticated' }).setSubject(user).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).setExpirationTime('5m').sign(privateKey);
    expect((await auth.verify(token)).sub).toBe(user);
    const other = (await generateKeyPair('RS256')).privateKey;
    const forged = await new SignJWT({ role: 'service_role' }).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).setExpirationTime('5m').sign(other);
    await expect(auth.verify(forged)).rejects.toThrow(AuthError);
  });
});

describe('claims and headers', () => {
  it('requires a known role and a UUID sub for users', () => {
    expect(() => claimsFrom({ role: 'anon' })).toThrow(/role/);
    expect(() => claimsFrom({ role: 'authenticated', sub: 'bob' })).toThrow(/sub/);
    expect(claimsFrom({ role: 'authenticated', sub: 'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11' }).sub).toBe('a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11');
  });

  it('reads bearer tokens case-insensitively and nothing else', () => {
    expect(bearerToken('Bearer abc.def.ghi')).toBe('abc.def.ghi');
    expect(bearerToken('bearer abc')).toBe('abc');
    expect(bearerToken('Basic abc')).toBeUndefined();
    expect(bearerToken('Bearer a b')).toBeUndefined();
    expect(bearerToken(undefined)).toBeUndefined();
  });
});

describe('loadOrCreateDevSecret', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hookline-secret-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('creates one secret with mode 0600, even when asked concurrently, and reuses it', async () => {
    const file = join(dir, 'nested', 'jwt-secret');
    const secrets = await Promise.all([loadOrCreateDevSecret(file), loadOrCreateDevSecret(file), loadOrCreateDevSecret(file)]);
    expect(new Set(secrets).size).toBe(1);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await readFile(file, 'utf8')).trim()).toBe(secrets[0]);
    expect(await loadOrCreateDevSecret(file)).toBe(secrets[0]);
  });
});
