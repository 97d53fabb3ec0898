export type { Database, JwtClaims, JwtRole, Queryable, QueryResult, Transaction } from './types.js';
export { openPostgres } from './postgres.js';
export { openPglite } from './pglite.js';
export { migrate, migrationFiles, type MigrationFile } from './migrate.js';
