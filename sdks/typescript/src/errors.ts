import errorCatalog from "../../../schema/errors.json";

/** One entry of a GraphQL response's `errors` array. */
export interface GraphQLErrorEntry {
  /** Human-readable message from the server. */
  message: string;
  /** Where in the document the error occurred, if the server says. */
  locations?: ReadonlyArray<{ line: number; column: number }>;
  /** Path of the field that failed, if any. */
  path?: ReadonlyArray<string | number>;
  /** Machine-readable details; `code` is the Hookline error code. */
  extensions?: { code?: string; [key: string]: unknown };
}

/** The class names every Hookline SDK uses, in every language. */
export type HooklineErrorClassName =
  | "HooklineError"
  | "ValidationError"
  | "AuthenticationError"
  | "PermissionDeniedError"
  | "NotFoundError"
  | "RateLimitError"
  | "ServerError"
  | "NetworkError"
  | "TimeoutError";

/** Fields every {@link HooklineError} can be built with. */
export interface HooklineErrorOptions {
  /** `extensions.code` of the first GraphQL error, or null. */
  code?: string | null;
  /** HTTP status of the (last) response, or null when there was none. */
  status?: number | null;
  /** `x-request-id` of the (last) response, or null. */
  requestId?: string | null;
  /** Every GraphQL error the server returned. */
  graphqlErrors?: readonly GraphQLErrorEntry[];
  /** `data` that came back alongside the errors, or null. */
  partialData?: unknown;
  /** The underlying error (network failure, abort, previous attempt's error). */
  cause?: unknown;
}

// Symbol.for makes the brand shared by every copy of this module in a process
// (ESM and CJS builds, two installed versions), so the guards below work where
// `instanceof` against one copy's class would not.
const BRAND: unique symbol = Symbol.for("hookline.error.classes");

type Branded = { [BRAND]?: readonly HooklineErrorClassName[] };

function lineageOf(value: unknown): readonly HooklineErrorClassName[] | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const lineage = (value as Branded)[BRAND];
  return Array.isArray(lineage) ? lineage : undefined;
}

/** Base of every error the Hookline client raises. */
export class HooklineError extends Error {
  /** The SDK error class name, identical across languages. */
  static readonly className: HooklineErrorClassName = "HooklineError";
  /** `extensions.code` of the first GraphQL error, or null. */
  readonly code: string | null;
  /** HTTP status of the (last) response, or null. */
  readonly status: number | null;
  /** `x-request-id` of the (last) response, or null. Quote it when reporting a problem. */
  readonly requestId: string | null;
  /** Every GraphQL error of the response. */
  readonly graphqlErrors: readonly GraphQLErrorEntry[];
  /** `data` returned together with the errors, or null. */
  readonly partialData: unknown;

  /**
   * @param message - human-readable description (never contains secrets)
   * @param options - code, status, request id, GraphQL errors, partial data, cause
   */
  constructor(message: string, options: HooklineErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    const ctor = new.target as unknown as typeof HooklineError;
    this.name = ctor.className;
    this.code = options.code ?? null;
    this.status = options.status ?? null;
    this.requestId = options.requestId ?? null;
    this.graphqlErrors = options.graphqlErrors ?? [];
    this.partialData = options.partialData ?? null;
    const lineage: HooklineErrorClassName[] = [];
    for (let c: unknown = ctor; c && (c as typeof HooklineError).className; c = Object.getPrototypeOf(c)) {
      const name = (c as typeof HooklineError).className;
      if (lineage[lineage.length - 1] !== name) lineage.push(name);
      if (c === HooklineError) break;
    }
    Object.defineProperty(this, BRAND, { value: Object.freeze(lineage), enumerable: false });
  }

  /** `instanceof` that also recognises errors from another copy of this package. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return lineageOf(value)?.includes(this.className) ?? false;
  }
}

/** The request was invalid: bad input, a GraphQL validation/parse error, or a conflict. */
export class ValidationError extends HooklineError {
  static override readonly className: HooklineErrorClassName = "ValidationError";
}
/** The token is missing, expired or invalid (HTTP 401 / `UNAUTHENTICATED`). */
export class AuthenticationError extends HooklineError {
  static override readonly className: HooklineErrorClassName = "AuthenticationError";
}
/** The caller may not perform this operation (HTTP 403 / `FORBIDDEN`). */
export class PermissionDeniedError extends HooklineError {
  static override readonly className: HooklineErrorClassName = "PermissionDeniedError";
}
/** The object does not exist or belongs to someone else (`NOT_FOUND`). */
export class NotFoundError extends HooklineError {
  static override readonly className: HooklineErrorClassName = "NotFoundError";
}

/** Options of a {@link RateLimitError}. */
export interface RateLimitErrorOptions extends HooklineErrorOptions {
  /** The server's `Retry-After`, in milliseconds, or null. */
  retryAfterMs?: number | null;
}

/** Too many requests (HTTP 429 / `RATE_LIMITED`); `retryAfter` says how long to wait. */
export class RateLimitError extends HooklineError {
  static override readonly className: HooklineErrorClassName = "RateLimitError";
  /** The server's `Retry-After` in milliseconds, or null when it sent none. */
  readonly retryAfterMs: number | null;
  /** @param message - description; @param options - as {@link HooklineError}, plus `retryAfterMs` */
  constructor(message: string, options: RateLimitErrorOptions = {}) {
    super(message, options);
    this.retryAfterMs = options.retryAfterMs ?? null;
  }
  /** The server's `Retry-After` in seconds, or null. */
  get retryAfter(): number | null {
    return this.retryAfterMs === null ? null : this.retryAfterMs / 1000;
  }
}
/** The server failed (HTTP 5xx / `INTERNAL_SERVER_ERROR`). */
export class ServerError extends HooklineError {
  static override readonly className: HooklineErrorClassName = "ServerError";
}
/** No usable HTTP response: connection refused or reset, DNS failure, HTTP 408. */
export class NetworkError extends HooklineError {
  static override readonly className: HooklineErrorClassName = "NetworkError";
}
/** An attempt exceeded `timeoutMs`, or the call exceeded its overall deadline. */
export class TimeoutError extends NetworkError {
  static override readonly className: HooklineErrorClassName = "TimeoutError";
}

/**
 * True when `value` is an error raised by any copy of the Hookline SDK,
 * optionally of a given class (subclasses included: `"NetworkError"` matches a TimeoutError).
 */
export function isHooklineError(value: unknown, className?: HooklineErrorClassName): value is HooklineError {
  const lineage = lineageOf(value);
  if (!lineage) return false;
  return className === undefined || lineage.includes(className);
}

const CLASSES = {
  HooklineError,
  ValidationError,
  AuthenticationError,
  PermissionDeniedError,
  NotFoundError,
  RateLimitError,
  ServerError,
  NetworkError,
  TimeoutError,
} as const;

interface CodeEntry {
  httpStatus: number;
  class: string;
  retryable: boolean;
}
const codes = errorCatalog.codes as Record<string, CodeEntry>;
const statusFallback = errorCatalog.statusFallback as Record<string, string>;
const retryableStatuses = new Set<number>(errorCatalog.retryableStatuses);

/**
 * The error class for a response, from schema/errors.json: `extensions.code`
 * first, HTTP status second. Unknown codes on a 2xx answer are server faults.
 */
export function classify(code: string | null, status: number | null): typeof HooklineError {
  const byCode = code ? codes[code]?.class : undefined;
  if (byCode && byCode in CLASSES) return CLASSES[byCode as keyof typeof CLASSES];
  let name: string | undefined;
  if (status !== null) {
    name = statusFallback[String(status)];
    if (!name && status >= 500) name = statusFallback["5xx"];
    if (!name && status >= 400) name = statusFallback["other4xx"];
  }
  return name && name in CLASSES ? CLASSES[name as keyof typeof CLASSES] : ServerError;
}

/** Whether a response with this code and status may be retried (errors.json). */
export function isRetryable(code: string | null, status: number | null): boolean {
  if (code && codes[code]) return codes[code].retryable;
  return status !== null && retryableStatuses.has(status);
}
