import type { JwtClaims, JwtRole } from './types.js';

const roles: ReadonlySet<string> = new Set<JwtRole>(['anon', 'authenticated', 'service_role']);

/**
 * The statement that turns a fresh transaction into a PostgREST request:
 * `role` and `request.jwt.claims`, both transaction-local.
 */
export const claimsSql =
  "select set_config('role', $1, true), set_config('request.jwt.claims', $2, true)";

/** Checks the role against the three API roles and returns the statement's parameters. */
export function claimsParams(claims: JwtClaims): [string, string] {
  if (!claims || typeof claims.role !== 'string' || !roles.has(claims.role)) {
    throw new TypeError(`claims.role must be one of anon, authenticated, service_role`);
  }
  return [claims.role, JSON.stringify(claims)];
}
