/**
 * A reference testee for the runner's self-test: a tiny, SDK-free
 * implementation of the protocol's sign, verify and call ops (PROTOCOL.md), so
 * the cases can be checked for consistency before any SDK passes them.
 *
 * With REFERENCE_TESTEE_MODE=wrong it answers deliberately wrongly (bad
 * signatures, accepts everything, never retries) so the self-test can assert
 * that the runner reports failures.
 */
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';

const WRONG = process.env.REFERENCE_TESTEE_MODE === 'wrong';
const errorsJson = JSON.parse(readFileSync(new URL('../../schema/errors.json', import.meta.url), 'utf8')) as {
  codes: Record<string, { class: string; retryable: boolean }>;
  statusFallback: Record<string, string>;
  retryableStatuses: number[];
};

type Req = Record<string, any>;
class VerificationError extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}
class ApiError extends Error {
  constructor(
    readonly cls: string,
    message: string,
    readonly extra: { code?: string | null; status?: number | null; requestId?: string | null; retryAfterMs?: number | null; graphqlErrors?: unknown[]; partialData?: unknown } = {},
  ) {
    super(message);
  }
  toObject(): Record<string, unknown> {
    return {
      class: this.cls,
      code: this.extra.code ?? null,
      status: this.extra.status ?? null,
      requestId: this.extra.requestId ?? null,
      retryAfterMs: this.extra.retryAfterMs ?? null,
      graphqlErrors: this.extra.graphqlErrors ?? [],
      partialData: this.extra.partialData ?? null,
      reason: null,
      message: this.message,
    };
  }
}

function key(secret: string): Buffer {
  const b64 = secret.startsWith('whsec_') ? secret.slice(6) : secret;
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(b64)) throw new VerificationError('invalid_secret');
  return Buffer.from(b64, 'base64');
}

function bodyOf(req: Req): Buffer {
  return req.bodyBase64 !== undefined ? Buffer.from(req.bodyBase64, 'base64') : Buffer.from(req.body, 'utf8');
}

function mac(alg: string, k: Buffer, id: string, ts: string, body: Buffer): Buffer {
  return createHmac(alg, k).update(Buffer.concat([Buffer.from(`${id}.${ts}.`), body])).digest();
}

function sign(req: Req): unknown {
  if (WRONG) return { signature: 'v1,AAAA' };
  const m = mac(req.algorithm, key(req.secret), req.msgId, String(req.timestamp), bodyOf(req));
  return { signature: `${req.algorithm === 'sha512' ? 'v1-sha512' : 'v1'},${m.toString('base64')}` };
}

function verify(req: Req): unknown {
  if (WRONG) return { verified: true };
  const keys = (req.secrets as string[]).map(key);
  const h: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers as Record<string, string>)) h[k.toLowerCase()] = v;
  const id = h['webhook-id'];
  const ts = h['webhook-timestamp'];
  const sig = h['webhook-signature'];
  if (!id || !ts || !sig) throw new VerificationError('missing_header');
  if (!/^\d+$/.test(ts)) throw new VerificationError('invalid_timestamp');
  const tolerance = req.toleranceSeconds ?? 300;
  if (req.now - Number(ts) > tolerance) throw new VerificationError('timestamp_too_old');
  if (Number(ts) - req.now > tolerance) throw new VerificationError('timestamp_too_new');
  const body = bodyOf(req);
  for (const entry of sig.split(' ')) {
    const comma = entry.indexOf(',');
    if (comma < 0) continue;
    const version = entry.slice(0, comma);
    const alg = version === 'v1' ? 'sha256' : version === 'v1-sha512' ? 'sha512' : undefined;
    if (!alg) continue;
    const given = Buffer.from(entry.slice(comma + 1), 'base64');
    for (const k of keys) {
      const expected = mac(alg, k, id, ts, body);
      if (given.length === expected.length && timingSafeEqual(given, expected)) return { verified: true };
    }
  }
  throw new VerificationError('no_matching_signature');
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const MUTATION = /^(Create|Update|Delete|Rotate|Verify|Subscribe|Unsubscribe|Trigger|Send|Retry)/;

class TokenSource {
  calls = 0;
  private cached: { token: string; expiresAt: number } | undefined;
  private inflight: Promise<string> | undefined;
  constructor(private readonly opts: Req) {}
  private fetch(): Promise<string> {
    if (this.inflight) return this.inflight;
    const p = this.opts.tokenProvider;
    this.inflight = (async () => {
      const i = this.calls++;
      if (p.delayMs) await sleep(p.delayMs);
      const token = p.tokens[Math.min(i, p.tokens.length - 1)];
      this.cached = { token, expiresAt: Date.now() + (p.expiresInSeconds ?? 3600) * 1000 };
      return token as string;
    })().finally(() => {
      this.inflight = undefined;
    });
    return this.inflight;
  }
  async get(): Promise<string> {
    if (!this.opts.tokenProvider) return this.opts.token;
    if (this.cached && this.cached.expiresAt - 30000 > Date.now()) return this.cached.token;
    return this.fetch();
  }
  async refresh(rejected: string): Promise<string> {
    if (this.inflight) return this.inflight;
    if (this.cached?.token === rejected) return this.fetch();
    return this.cached!.token;
  }
}

function retryAfterMs(value: string | null): number | null {
  if (!value) return null;
  if (/^\d+$/.test(value.trim())) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - Date.now());
}

function classify(status: number, code: string | undefined): string {
  if (code && errorsJson.codes[code]) return errorsJson.codes[code]!.class;
  const f = errorsJson.statusFallback;
  return f[String(status)] ?? (status >= 500 ? f['5xx']! : status >= 400 ? f.other4xx! : 'ServerError');
}

async function callOnce(req: Req, tokens: TokenSource): Promise<unknown> {
  const o = { maxRetries: 2, initialRetryDelayMs: 500, maxRetryDelayMs: 8000, maxRetryAfterMs: 60000, timeoutMs: 30000, idempotentMutations: true, ...req.client };
  const deadlineAt = o.deadlineMs ? Date.now() + o.deadlineMs : Infinity;
  const mutation = MUTATION.test(req.operation);
  const idemKey = mutation && o.idempotentMutations ? (req.idempotencyKey ?? randomUUID()) : undefined;
  const maxRetries = WRONG ? 0 : o.maxRetries;
  let retries = 0;
  let refreshed = false;
  for (;;) {
    const token = await tokens.get();
    const remaining = deadlineAt - Date.now();
    if (remaining <= 0) throw new ApiError('TimeoutError', 'deadline exceeded');
    const byDeadline = remaining < o.timeoutMs;
    const headers: Record<string, string> = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
    if (idemKey) headers['idempotency-key'] = idemKey;
    let err: ApiError;
    let retryAfter: number | null = null;
    try {
      const res = await fetch(o.baseUrl, {
        method: 'POST',
        headers,
        body: JSON.stringify({ query: `# ${req.operation}`, operationName: req.operation, variables: req.variables ?? {} }),
        signal: AbortSignal.timeout(Math.min(o.timeoutMs, remaining)),
      });
      const text = await res.text();
      let body: any = null;
      try {
        body = JSON.parse(text);
      } catch {
        body = null;
      }
      const errors: any[] = Array.isArray(body?.errors) ? body.errors : [];
      if (res.ok && errors.length === 0 && body?.data) return Object.values(body.data)[0];
      const code: string | undefined = errors[0]?.extensions?.code;
      const cls = WRONG ? 'ServerError' : classify(res.status, code);
      retryAfter = retryAfterMs(res.headers.get('retry-after'));
      err = new ApiError(cls, errors[0]?.message ?? `HTTP ${res.status}`, {
        code: code ?? null,
        status: res.status,
        requestId: res.headers.get('x-request-id'),
        retryAfterMs: cls === 'RateLimitError' ? retryAfter : null,
        graphqlErrors: errors.map((e) => ({ message: e.message, extensions: e.extensions ?? {}, ...(e.path ? { path: e.path } : {}) })),
        partialData: errors.length && body?.data ? body.data : null,
      });
      if (cls === 'AuthenticationError' && o.tokenProvider && !refreshed) {
        refreshed = true;
        await tokens.refresh(token);
        continue;
      }
      const retryable = errorsJson.retryableStatuses.includes(res.status) || (code !== undefined && errorsJson.codes[code]?.retryable === true);
      if (!retryable) throw err;
    } catch (e) {
      if (e instanceof ApiError) throw e;
      const name = (e as Error).name;
      if (name === 'TimeoutError' || name === 'AbortError') {
        if (byDeadline) throw new ApiError('TimeoutError', 'deadline exceeded');
        err = new ApiError('TimeoutError', 'attempt timed out');
      } else {
        err = new ApiError('NetworkError', (e as Error).message);
      }
    }
    if (retries >= maxRetries || (mutation && !idemKey)) throw err;
    if (retryAfter !== null && retryAfter > o.maxRetryAfterMs) throw err;
    const backoff = Math.min(o.initialRetryDelayMs * 2 ** retries, o.maxRetryDelayMs) * (0.75 + Math.random() * 0.5);
    const wait = retryAfter ?? backoff;
    if (Date.now() + wait >= deadlineAt) throw new ApiError('TimeoutError', 'deadline exceeded before the next attempt');
    await sleep(wait);
    retries++;
  }
}

async function call(req: Req): Promise<{ result: unknown } | { error: Record<string, unknown> }> {
  const tokens = new TokenSource(req.client);
  const n = req.concurrency ?? 1;
  const one = async () => {
    try {
      return { ok: true, data: await callOnce(req, tokens) };
    } catch (e) {
      if (e instanceof ApiError) return { ok: false, error: e.toObject() };
      throw e;
    }
  };
  if (n > 1) {
    const results = await Promise.all(Array.from({ length: n }, one));
    return { result: { results, providerCalls: tokens.calls } };
  }
  const r = await one();
  if (r.ok) return { result: { data: r.data, providerCalls: tokens.calls } };
  return { error: { ...(r.error as object), providerCalls: tokens.calls } };
}

function answer(obj: unknown): void {
  process.stdout.write(`${JSON.stringify(obj)}\n`);
}

async function handle(req: Req): Promise<void> {
  const id = req.id;
  try {
    switch (req.op) {
      case 'ping':
        return answer({ id, ok: true, result: {} });
      case 'sign':
        return answer({ id, ok: true, result: sign(req) });
      case 'verify':
        return answer({ id, ok: true, result: verify(req) });
      case 'call': {
        const r = await call(req);
        return answer('result' in r ? { id, ok: true, result: r.result } : { id, ok: false, error: r.error });
      }
      case 'shutdown':
        answer({ id, ok: true, result: {} });
        process.exit(0);
      default:
        return answer({ id, ok: false, error: { class: 'TesteeError', message: `unsupported op ${req.op}` } });
    }
  } catch (e) {
    if (e instanceof VerificationError) {
      return answer({ id, ok: false, error: { class: 'WebhookVerificationError', reason: e.reason, code: null, status: null, message: e.message } });
    }
    answer({ id, ok: false, error: { class: 'TesteeError', message: String((e as Error).message) } });
  }
}

createInterface({ input: process.stdin }).on('line', (line) => {
  if (line.trim()) void handle(JSON.parse(line));
}).on('close', () => process.exit(0));
