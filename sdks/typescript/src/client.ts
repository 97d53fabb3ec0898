import { type Logger, resolveLogger } from "./logger.js";
import { Deliveries } from "./resources/deliveries.js";
import { Events } from "./resources/events.js";
import { Webhooks } from "./resources/webhooks.js";
import { TokenManager, type TokenProvider } from "./token.js";
import { Transport } from "./transport.js";

/** Options of {@link Hookline}. Give either `token` or `tokenProvider`. */
export interface HooklineOptions {
  /** URL of the GraphQL endpoint, e.g. `https://hooks.example.com/graphql`. */
  baseUrl: string;
  /** A static bearer token (JWT). */
  token?: string;
  /** Returns `{ token, expiresAt }`; called lazily, shortly before expiry and once after a 401. */
  tokenProvider?: TokenProvider;
  /** Refresh a provided token this long before it expires. Default 30 000 ms. */
  tokenRefreshMarginMs?: number;
  /** Retries after the first attempt. Default 2. */
  maxRetries?: number;
  /** Backoff base: retry n waits about `initialRetryDelayMs * 2^(n-1)` (±25%). Default 500. */
  initialRetryDelayMs?: number;
  /** Backoff cap. Default 8000. */
  maxRetryDelayMs?: number;
  /** A `Retry-After` longer than this raises at once instead of waiting. Default 60 000. */
  maxRetryAfterMs?: number;
  /** Bound on one attempt. Default 30 000. */
  timeoutMs?: number;
  /** Bound on a whole call, across retries and waits. Default none. */
  deadlineMs?: number;
  /** Send an `Idempotency-Key` with every mutation so that mutations may be retried. Default true. */
  idempotentMutations?: boolean;
  /** Headers added to every request. */
  headers?: Record<string, string>;
  /** A `fetch` implementation; defaults to the global one. */
  fetch?: typeof fetch;
  /**
   * Receives structured, redacted log entries. Without it, the `HOOKLINE_LOG`
   * environment variable (`debug`, `info`, `warn`) turns on JSON logs to stderr;
   * `false` turns logging off regardless.
   */
  logger?: Logger | false;
}

/**
 * The Hookline API client.
 *
 * @example
 * ```ts
 * const hookline = new Hookline({ baseUrl: "http://localhost:4000/graphql", token });
 * const { webhook, secret } = await hookline.webhooks.create({ name: "orders", url, eventTypes: ["credit.added"] });
 * ```
 */
export class Hookline {
  /** Webhook endpoints: CRUD, secrets, verification, statistics, subscriptions. */
  readonly webhooks: Webhooks;
  /** Event types, triggering and test events. */
  readonly events: Events;
  /** Delivery history, manual retries, the retry queue. */
  readonly deliveries: Deliveries;
  private readonly tokens: TokenManager;

  /** @param options - endpoint, credentials, retry and timeout settings */
  constructor(options: HooklineOptions) {
    if (!options || typeof options.baseUrl !== "string" || options.baseUrl === "") {
      throw new TypeError("Hookline: `baseUrl` is required");
    }
    const source = options.tokenProvider ?? options.token;
    if (source === undefined || source === "") {
      throw new TypeError("Hookline: give `token` or `tokenProvider`");
    }
    this.tokens = new TokenManager(source, options.tokenRefreshMarginMs ?? 30_000);
    const transport = new Transport({
      url: options.baseUrl,
      tokens: this.tokens,
      maxRetries: options.maxRetries ?? 2,
      initialRetryDelayMs: options.initialRetryDelayMs ?? 500,
      maxRetryDelayMs: options.maxRetryDelayMs ?? 8_000,
      maxRetryAfterMs: options.maxRetryAfterMs ?? 60_000,
      timeoutMs: options.timeoutMs ?? 30_000,
      deadlineMs: options.deadlineMs,
      idempotentMutations: options.idempotentMutations ?? true,
      headers: options.headers ?? {},
      fetch: options.fetch,
      logger: resolveLogger(options.logger),
      random: Math.random,
    });
    this.webhooks = new Webhooks(transport);
    this.events = new Events(transport);
    this.deliveries = new Deliveries(transport);
  }

  /** How many times the token provider has been called (0 with a static token). */
  get tokenProviderCalls(): number {
    return this.tokens.providerCalls;
  }
}
