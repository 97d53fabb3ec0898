import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { analyzeDocument } from "graphql-request";
import ky, { type KyInstance } from "ky";
import {
  AuthenticationError,
  classify,
  type GraphQLErrorEntry,
  HooklineError,
  isRetryable,
  NetworkError,
  RateLimitError,
  TimeoutError,
} from "./errors.js";
import { type Logger, redactHeaders, redactSecrets } from "./logger.js";
import { backoffDelayMs, parseRetryAfter, sleep } from "./retry.js";
import type { TokenManager } from "./token.js";

/** Per-call options accepted by every resource method. */
export interface RequestOptions {
  /** Aborts the call (every attempt and every wait); the promise rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Idempotency key for a mutation; by default a UUID v4 is generated per call and reused across its attempts. */
  idempotencyKey?: string;
  /** Overrides the client's per-attempt timeout. */
  timeoutMs?: number;
  /** Overrides the client's overall deadline for this call, across retries and waits. */
  deadlineMs?: number;
  /** Overrides the client's retry budget for this call. */
  maxRetries?: number;
  /** Extra headers for this call. */
  headers?: Record<string, string>;
}

/** Settings of the transport, resolved from {@link HooklineOptions}. */
export interface TransportSettings {
  url: string;
  tokens: TokenManager;
  maxRetries: number;
  initialRetryDelayMs: number;
  maxRetryDelayMs: number;
  maxRetryAfterMs: number;
  timeoutMs: number;
  deadlineMs: number | undefined;
  idempotentMutations: boolean;
  headers: Record<string, string>;
  fetch: typeof fetch | undefined;
  logger: Logger | undefined;
  random: () => number;
}

interface AnalyzedDocument {
  query: string;
  operationName: string | undefined;
  isMutation: boolean;
}

const analyzed = new WeakMap<object, AnalyzedDocument>();

function analyze(document: TypedDocumentNode<unknown, never>): AnalyzedDocument {
  let a = analyzed.get(document);
  if (!a) {
    const r = analyzeDocument(document);
    a = { query: r.expression, operationName: r.operationName, isMutation: r.isMutation };
    analyzed.set(document, a);
  }
  return a;
}

interface GraphQLResponseBody {
  data?: Record<string, unknown> | null;
  errors?: GraphQLErrorEntry[];
}

// A deadline is not retried; marking the error lets the loop tell it from a per-attempt timeout.
const deadlineErrors = new WeakSet<HooklineError>();

/**
 * Sends GraphQL operations with retries, idempotency keys, token refresh,
 * per-attempt timeouts and an overall deadline.
 *
 * Transport is ky (with its own retry and timeout off, and `throwHttpErrors`
 * off so the GraphQL errors in a non-2xx body can be read); graphql-request
 * turns the typed documents into the query string and operation name. Retry
 * lives here rather than in ky because ky never retries POST and cannot tell a
 * retryable GraphQL error code from a final one.
 */
export class Transport {
  private readonly http: KyInstance;

  /** @param settings - resolved client settings */
  constructor(private readonly settings: TransportSettings) {
    this.http = ky.create({
      retry: 0,
      timeout: false,
      throwHttpErrors: false,
      ...(settings.fetch ? { fetch: settings.fetch } : {}),
    });
  }

  /** Runs `document` and returns its `data`, or throws a {@link HooklineError}. */
  async request<TData, TVariables>(
    document: TypedDocumentNode<TData, TVariables>,
    variables: TVariables,
    options: RequestOptions = {},
  ): Promise<TData> {
    const s = this.settings;
    const doc = analyze(document as TypedDocumentNode<unknown, never>);
    const idempotencyKey =
      doc.isMutation && s.idempotentMutations ? (options.idempotencyKey ?? crypto.randomUUID()) : undefined;
    const mayRetry = !doc.isMutation || idempotencyKey !== undefined;
    const maxRetries = options.maxRetries ?? s.maxRetries;
    const timeoutMs = options.timeoutMs ?? s.timeoutMs;
    const deadlineMs = options.deadlineMs ?? s.deadlineMs;
    const deadlineAt = deadlineMs === undefined ? undefined : Date.now() + deadlineMs;
    const body = JSON.stringify({ query: doc.query, variables: variables ?? {}, operationName: doc.operationName });

    let retries = 0;
    let replayedAfter401 = false;
    for (let attempt = 1; ; attempt++) {
      let token: string | undefined;
      try {
        token = await this.withDeadline(s.tokens.get(), deadlineAt, options.signal);
        return (await this.attempt<TData>(doc, body, token, idempotencyKey, attempt, timeoutMs, deadlineAt, options)) as TData;
      } catch (error) {
        if (!(error instanceof HooklineError)) throw error;
        if (error instanceof AuthenticationError && s.tokens.refreshable && !replayedAfter401 && token !== undefined) {
          replayedAfter401 = true;
          s.logger?.({ level: "info", msg: "refresh", operation: doc.operationName, reason: "401" });
          await this.withDeadline(s.tokens.invalidate(token), deadlineAt, options.signal);
          continue;
        }
        const retryable =
          error instanceof NetworkError ? !deadlineErrors.has(error) : isRetryable(error.code, error.status);
        if (!retryable || !mayRetry || retries >= maxRetries) throw error;
        const retryAfterMs = retryAfterOf(error);
        if (retryAfterMs !== null && retryAfterMs > s.maxRetryAfterMs) throw error;
        retries += 1;
        const delay = retryAfterMs ?? backoffDelayMs(retries, s.initialRetryDelayMs, s.maxRetryDelayMs, s.random);
        if (deadlineAt !== undefined && Date.now() + delay >= deadlineAt) {
          throw deadlineError(doc.operationName, error);
        }
        s.logger?.({ level: "info", msg: "retry", operation: doc.operationName, retry: retries, delayMs: Math.round(delay), error: error.name });
        await sleep(delay, options.signal);
      }
    }
  }

  /** Waits for `promise` (a token refresh) but no longer than the deadline or an abort. */
  private async withDeadline<T>(promise: Promise<T>, deadlineAt: number | undefined, signal?: AbortSignal): Promise<T> {
    signal?.throwIfAborted();
    if (deadlineAt === undefined && !signal) return promise;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let onAbort: (() => void) | undefined;
    const stop = new Promise<never>((_, reject) => {
      if (deadlineAt !== undefined) {
        timer = setTimeout(() => reject(deadlineError(undefined)), Math.max(0, deadlineAt - Date.now()));
      }
      if (signal) {
        onAbort = () => reject(signal.reason);
        signal.addEventListener("abort", onAbort, { once: true });
      }
    });
    try {
      return await Promise.race([promise, stop]);
    } finally {
      clearTimeout(timer);
      if (onAbort) signal?.removeEventListener("abort", onAbort);
    }
  }

  private async attempt<TData>(
    doc: AnalyzedDocument,
    body: string,
    token: string,
    idempotencyKey: string | undefined,
    attempt: number,
    timeoutMs: number,
    deadlineAt: number | undefined,
    options: RequestOptions,
  ): Promise<TData> {
    const s = this.settings;
    const headers: Record<string, string> = {
      "content-type": "application/json",
      accept: "application/graphql-response+json, application/json",
      ...s.headers,
      ...options.headers,
      authorization: `Bearer ${token}`,
    };
    if (idempotencyKey !== undefined) headers["idempotency-key"] = idempotencyKey;

    const controller = new AbortController();
    let cause: "timeout" | "deadline" | "signal" | undefined;
    const abort = (why: "timeout" | "deadline" | "signal") => {
      if (!cause) cause = why;
      controller.abort();
    };
    const remaining = deadlineAt === undefined ? Infinity : deadlineAt - Date.now();
    if (remaining <= 0) throw deadlineError(doc.operationName);
    const limit = Math.min(timeoutMs, remaining);
    const timer = setTimeout(() => abort(limit === timeoutMs ? "timeout" : "deadline"), limit);
    const onAbort = () => abort("signal");
    options.signal?.addEventListener("abort", onAbort, { once: true });
    if (options.signal?.aborted) abort("signal");

    const started = Date.now();
    s.logger?.({ level: "debug", msg: "request", operation: doc.operationName, attempt, url: s.url, headers: redactHeaders(headers) });
    let status: number | null = null;
    let requestId: string | null = null;
    try {
      let text: string;
      let retryAfter: string | null;
      try {
        const res = await this.http.post(s.url, { body, headers, signal: controller.signal });
        status = res.status;
        requestId = res.headers.get("x-request-id");
        retryAfter = res.headers.get("retry-after");
        text = await res.text();
      } catch (error) {
        if (cause === "signal") throw options.signal?.reason ?? error;
        if (cause === "timeout") {
          throw new TimeoutError(`${doc.operationName ?? "request"} timed out after ${timeoutMs} ms`, { status, requestId, cause: error });
        }
        if (cause === "deadline") throw deadlineError(doc.operationName, undefined, error);
        throw new NetworkError(`${doc.operationName ?? "request"} failed: ${redactSecrets(describe(error))}`, { status, requestId, cause: error });
      }
      s.logger?.({ level: "debug", msg: "response", operation: doc.operationName, attempt, status, requestId, durationMs: Date.now() - started });
      return interpret<TData>(doc, status, requestId, retryAfter, text);
    } finally {
      clearTimeout(timer);
      options.signal?.removeEventListener("abort", onAbort);
    }
  }
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const c = (error as { cause?: { code?: string; message?: string } }).cause;
    return c?.code ? `${error.message} (${c.code})` : error.message;
  }
  return String(error);
}

const retryAfters = new WeakMap<HooklineError, number>();

function retryAfterOf(error: HooklineError): number | null {
  if (error instanceof RateLimitError) return error.retryAfterMs;
  return retryAfters.get(error) ?? null;
}

function deadlineError(operation: string | undefined, last?: HooklineError, cause?: unknown): TimeoutError {
  const e = new TimeoutError(`${operation ?? "request"} exceeded its overall deadline`, {
    // The last response received, if any (PROTOCOL.md: requestId and status describe it).
    status: last?.status ?? null,
    requestId: last?.requestId ?? null,
    cause: last ?? cause,
  });
  deadlineErrors.add(e);
  return e;
}

function interpret<TData>(
  doc: AnalyzedDocument,
  status: number,
  requestId: string | null,
  retryAfterHeader: string | null,
  text: string,
): TData {
  let json: GraphQLResponseBody | undefined;
  try {
    const parsed: unknown = text === "" ? undefined : JSON.parse(text);
    if (parsed && typeof parsed === "object") json = parsed as GraphQLResponseBody;
  } catch {
    json = undefined;
  }
  const errors = Array.isArray(json?.errors) ? json.errors : [];
  const ok = status >= 200 && status < 300;
  const data = json?.data;
  if (ok && errors.length === 0 && data && typeof data === "object" && !Array.isArray(data)) return data as TData;

  const first = errors[0];
  const code = typeof first?.extensions?.code === "string" ? first.extensions.code : null;
  const Class = ok && !first ? classify(null, 500) : classify(code, ok && code === null ? 500 : status);
  const message = first?.message
    ? redactSecrets(first.message)
    : ok
      ? `${doc.operationName ?? "request"}: response without data`
      : `${doc.operationName ?? "request"}: HTTP ${status}`;
  const retryAfterMs = parseRetryAfter(retryAfterHeader);
  const options = {
    code,
    status,
    requestId,
    graphqlErrors: errors,
    partialData: data ?? null,
    ...(Class === RateLimitError ? { retryAfterMs } : {}),
  };
  const error = new Class(message, options);
  if (retryAfterMs !== null && !(error instanceof RateLimitError)) retryAfters.set(error, retryAfterMs);
  throw error;
}
