import { AuthenticationError } from "./errors.js";
import { redactSecrets } from "./logger.js";

/** A token as a {@link TokenProvider} returns it. */
export interface ProvidedToken {
  /** The bearer token (a JWT). */
  token: string;
  /** When it expires: a Date or epoch milliseconds. Omit for a token that never expires. */
  expiresAt?: Date | number | null;
}

/** Returns a fresh token. Called once at first use, shortly before expiry, and after a 401. */
export type TokenProvider = () => Promise<ProvidedToken> | ProvidedToken;

interface CachedToken {
  token: string;
  expiresAtMs: number | null;
}

/**
 * Caches the bearer token and refreshes it single-flight: concurrent callers
 * that need a refresh share one provider call.
 */
export class TokenManager {
  // ES private fields: util.inspect / console.log of a client never shows a token.
  #cached: CachedToken | null = null;
  #inflight: Promise<CachedToken> | null = null;
  readonly #source: string | TokenProvider;
  private calls = 0;

  /**
   * @param source - a static token or a provider
   * @param refreshMarginMs - refresh this long before `expiresAt`
   * @param now - clock, for tests
   */
  constructor(
    source: string | TokenProvider,
    private readonly refreshMarginMs = 30_000,
    private readonly now: () => number = Date.now,
  ) {
    this.#source = source;
    if (typeof source === "string") this.#cached = { token: source, expiresAtMs: null };
  }

  /** How many times the provider has been called. */
  get providerCalls(): number {
    return this.calls;
  }

  /** True when a provider can mint a new token (a static token cannot be refreshed). */
  get refreshable(): boolean {
    return typeof this.#source === "function";
  }

  /** The token to send now, refreshing first when it is missing or about to expire. */
  async get(): Promise<string> {
    const c = this.#cached;
    if (c && (c.expiresAtMs === null || c.expiresAtMs - this.refreshMarginMs > this.now())) return c.token;
    return (await this.refresh()).token;
  }

  /**
   * After the server rejected `rejected`: refresh only if it is still the cached
   * token (another caller may already have replaced it), then resolve.
   */
  async invalidate(rejected: string): Promise<void> {
    if (!this.refreshable) return;
    if (this.#inflight) {
      await this.#inflight;
      return;
    }
    if (this.#cached?.token === rejected) {
      this.#cached = null;
      await this.refresh();
    }
  }

  private refresh(): Promise<CachedToken> {
    if (this.#inflight) return this.#inflight;
    const provider = this.#source as TokenProvider;
    this.calls += 1;
    this.#inflight = (async () => {
      try {
        let provided: ProvidedToken;
        try {
          provided = await provider();
        } catch (error) {
          // Raised as an AuthenticationError so every client failure is a HooklineError; the cause keeps the original.
          const why = error instanceof Error ? error.message : String(error);
          throw new AuthenticationError(`Hookline tokenProvider failed: ${redactSecrets(why)}`, { cause: error });
        }
        if (!provided || typeof provided.token !== "string" || provided.token === "") {
          throw new AuthenticationError("Hookline tokenProvider must return { token: string, expiresAt? }");
        }
        const exp = provided.expiresAt;
        const next: CachedToken = {
          token: provided.token,
          expiresAtMs: exp === undefined || exp === null ? null : exp instanceof Date ? exp.getTime() : exp,
        };
        this.#cached = next;
        return next;
      } finally {
        this.#inflight = null;
      }
    })();
    return this.#inflight;
  }
}
