/**
 * Hookline error codes (schema/errors.json) as GraphQL errors that carry their
 * HTTP status, and the mapping from PostgreSQL SQLSTATEs to those codes.
 */
import { GraphQLError } from 'graphql';

/** Every `extensions.code` the API returns, with the HTTP status of schema/errors.json. */
export const ERROR_STATUS = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  BAD_USER_INPUT: 400,
  GRAPHQL_VALIDATION_FAILED: 400,
  GRAPHQL_PARSE_FAILED: 400,
  NOT_FOUND: 404,
  CONFLICT: 409,
  RATE_LIMITED: 429,
  INTERNAL_SERVER_ERROR: 500,
} as const;

/** One of the API's error codes. */
export type ErrorCode = keyof typeof ERROR_STATUS;

/** Extra `extensions` fields, e.g. `field` for BAD_USER_INPUT. */
export interface ErrorExtras {
  field?: string;
  retryAfter?: number;
  [key: string]: unknown;
}

/**
 * A GraphQL error with `extensions.code` and the matching HTTP status, which
 * graphql-yoga uses as the response status (the highest wins) and drops from the body.
 */
export function apiError(code: ErrorCode, message: string, extras: ErrorExtras = {}, headers?: Record<string, string>): GraphQLError {
  return new GraphQLError(message, {
    extensions: { code, ...extras, http: { status: ERROR_STATUS[code], ...(headers ? { headers } : {}) } },
  });
}

/** BAD_USER_INPUT naming the offending argument. */
export function badInput(field: string, message: string): GraphQLError {
  return apiError('BAD_USER_INPUT', message, { field });
}

/** NOT_FOUND; also what another user's objects look like. */
export function notFound(what: string): GraphQLError {
  return apiError('NOT_FOUND', `${what} not found`);
}

/** The shape of an error thrown by `pg` or PGlite. */
interface SqlErrorLike {
  code?: unknown;
  message?: unknown;
  column?: unknown;
  detail?: unknown;
  constraint?: unknown;
}

const SQLSTATE = /^[0-9A-Z]{5}$/;

/** True for errors raised by PostgreSQL (they carry a five-character SQLSTATE). */
export function isSqlError(err: unknown): err is SqlErrorLike & { code: string } {
  return typeof err === 'object' && err !== null && typeof (err as SqlErrorLike).code === 'string' && SQLSTATE.test((err as SqlErrorLike).code as string);
}

// Check constraints named <table>_<column>_check map back to the argument.
const CHECK_FIELDS: Array<[RegExp, string]> = [
  [/max_retries/, 'maxRetries'],
  [/retry_delay/, 'retryDelaySeconds'],
  [/timeout/, 'timeoutSeconds'],
  [/url/, 'url'],
  [/name/, 'name'],
  [/signature_algorithm/, 'signatureAlgorithm'],
  [/filters/, 'filters'],
  [/metadata/, 'metadata'],
];

const camel = (s: string) => s.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

/**
 * Maps a PostgreSQL error to a Hookline GraphQL error. The messages of errors
 * our SQL functions raise on purpose (22023, P0002, 42501, 23505) are meant for
 * the caller; anything else becomes INTERNAL_SERVER_ERROR without internals.
 */
export function fromSqlError(err: SqlErrorLike & { code: string }): GraphQLError {
  const message = typeof err.message === 'string' ? err.message : 'request failed';
  switch (err.code) {
    case '22023': {
      const column = typeof err.column === 'string' && err.column ? camel(err.column.replace(/^p_/, '')) : undefined;
      return apiError('BAD_USER_INPUT', message, column ? { field: column } : {});
    }
    case '23514': {
      const constraint = typeof err.constraint === 'string' ? err.constraint : '';
      const field = CHECK_FIELDS.find(([re]) => re.test(constraint))?.[1];
      return apiError('BAD_USER_INPUT', field ? `${field} is out of range or malformed` : 'a value is out of range', field ? { field } : {});
    }
    case '22P02':
      return apiError('BAD_USER_INPUT', 'a value has the wrong format');
    case 'P0002':
      return apiError('NOT_FOUND', message);
    case '42501':
      return apiError('FORBIDDEN', message.startsWith('permission denied') || message.startsWith('new row violates') ? 'not allowed for this caller' : message);
    case '23505':
      return apiError('CONFLICT', message.startsWith('duplicate key') ? 'the object already exists' : message);
    case '23503':
      return apiError('NOT_FOUND', 'a referenced object does not exist');
    default:
      return internalError();
  }
}

/** INTERNAL_SERVER_ERROR with nothing about the cause. */
export function internalError(): GraphQLError {
  return apiError('INTERNAL_SERVER_ERROR', 'Unexpected server error; see the server log with this request id.');
}

/** The Hookline code on a GraphQL error, if any. */
export function codeOf(err: { extensions?: Record<string, unknown> }): string | undefined {
  const code = err.extensions?.code;
  return typeof code === 'string' ? code : undefined;
}
