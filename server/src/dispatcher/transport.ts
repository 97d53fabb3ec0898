import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { lookup as dnsLookup } from 'node:dns/promises';
import type { AddressPolicy } from './address-policy.js';
import type { LookupAll } from './types.js';

/** At most this much of a response body is stored (SPEC section 4). */
export const MAX_RESPONSE_BODY_BYTES = 64 * 1024;

/** Network failures, as stored in `error_code`. */
export type NetworkErrorCode =
  | 'blocked_address'
  | 'dns_error'
  | 'connection_refused'
  | 'connection_reset'
  | 'tls_error'
  | 'timeout'
  | 'aborted'
  | 'network_error';

/** What one POST produced: a response, or a network error code and message. */
export interface TransportResult {
  status: number | null;
  headers: Record<string, string> | null;
  body: string | null;
  truncated: boolean;
  timeMs: number;
  errorCode: NetworkErrorCode | null;
  errorMessage: string | null;
}

/** One POST to make. */
export interface TransportRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
}

class TransportError extends Error {
  constructor(
    readonly code: NetworkErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** Maps a Node socket/TLS error onto our stable error codes. */
export function classifyNetworkError(err: unknown): { code: NetworkErrorCode; message: string } {
  if (err instanceof TransportError) return { code: err.code, message: err.message };
  const e = err as NodeJS.ErrnoException;
  const code = typeof e?.code === 'string' ? e.code : '';
  const message = typeof e?.message === 'string' ? e.message : String(err);
  if (code === 'ECONNREFUSED') return { code: 'connection_refused', message: 'connection refused' };
  if (code === 'ECONNRESET' || code === 'EPIPE' || message === 'socket hang up') {
    return { code: 'connection_reset', message: 'connection reset by the receiver' };
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'ENODATA' || code === 'ESERVFAIL') {
    return { code: 'dns_error', message: `DNS lookup failed (${code})` };
  }
  if (code === 'ETIMEDOUT') return { code: 'timeout', message: 'connection timed out' };
  if (
    code.startsWith('ERR_TLS') ||
    code.startsWith('ERR_SSL') ||
    code.startsWith('CERT_') ||
    code.startsWith('UNABLE_TO_') ||
    code.includes('SELF_SIGNED') ||
    code === 'DEPTH_ZERO_SELF_SIGNED_CERT' ||
    code === 'HOSTNAME_MISMATCH' ||
    /ssl|tls|certificate/i.test(message)
  ) {
    return { code: 'tls_error', message: `TLS handshake failed: ${message}` };
  }
  return { code: 'network_error', message: code ? `${code}: ${message}` : message };
}

const defaultLookup: LookupAll = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

/**
 * Sends webhook POSTs with node:http(s) keep-alive agents. Every target is
 * resolved once, checked against the SSRF policy, and the connection goes to the
 * checked address through a fixed `lookup` (Host and SNI keep the name), so a
 * second DNS answer cannot redirect it.
 */
export interface Transport {
  post(req: TransportRequest): Promise<TransportResult>;
  /** Cuts every request in flight; they resolve with error code `aborted`. */
  abortAll(): void;
  close(): void;
}

/** How long a checked DNS answer is reused; connecting to it stays safe, it was checked. */
const DNS_CACHE_MS = 30_000;

/** A checked address to connect to. */
interface Target {
  address: string;
  family: 4 | 6;
}

/** Creates a transport with its own keep-alive agents. */
export function createTransport(opts: {
  policy: AddressPolicy;
  maxSockets: number;
  lookup?: LookupAll;
}): Transport {
  const agentOpts = { keepAlive: true, maxSockets: opts.maxSockets, maxFreeSockets: opts.maxSockets };
  const httpAgent = new http.Agent(agentOpts);
  const httpsAgent = new https.Agent(agentOpts);
  const lookupAll = opts.lookup ?? defaultLookup;

  const active = new Set<http.ClientRequest>();
  const resolved = new Map<string, Target & { until: number }>();
  const parsedUrls = new Map<string, URL | null>();

  function parse(raw: string): URL | null {
    let url = parsedUrls.get(raw);
    if (url === undefined) {
      try {
        url = new URL(raw);
      } catch {
        url = null;
      }
      if (parsedUrls.size > 10_000) parsedUrls.clear();
      parsedUrls.set(raw, url);
    }
    return url;
  }

  /** The first allowed address of `candidates`, or a `blocked_address` error naming the refused ones. */
  function pick(name: string, candidates: Array<{ address: string; family: number }>): Target {
    const refused: string[] = [];
    for (const c of candidates) {
      const reason = opts.policy.check(c.address);
      if (reason === null) return { address: c.address, family: c.family === 6 ? 6 : 4 };
      refused.push(`${c.address} (${reason})`);
    }
    throw new TransportError(
      'blocked_address',
      `refused to connect to ${name}: ${refused.join(', ')} is not a public address; ` +
        'allow it with HOOKLINE_ALLOW_PRIVATE_NETWORKS',
    );
  }

  /** The target without waiting: an IP literal, or a name answered in the last 30 s; else null. */
  function known(host: string): Target | null {
    const cached = resolved.get(host);
    if (cached && cached.until > Date.now()) return cached;
    const family = isIP(host);
    if (family === 0) return null;
    const target = pick(host, [{ address: host, family }]);
    // A literal's verdict never changes; only allowed ones are remembered, refusals are rare.
    remember(host, target, Infinity);
    return target;
  }

  function remember(host: string, target: Target, until: number): void {
    if (resolved.size > 10_000) resolved.clear();
    resolved.set(host, { ...target, until });
  }

  async function lookupChecked(host: string, timeoutMs: number): Promise<Target> {
    let timer: NodeJS.Timeout | undefined;
    let candidates: Array<{ address: string; family: number }>;
    try {
      // The attempt's timeout covers the DNS lookup too.
      candidates = await Promise.race([
        lookupAll(host),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new TransportError('timeout', `DNS lookup of ${host} took longer than ${timeoutMs} ms`)), timeoutMs);
        }),
      ]);
    } catch (err) {
      if (err instanceof TransportError) throw err;
      throw new TransportError('dns_error', `DNS lookup of ${host} failed: ${classifyNetworkError(err).message}`);
    } finally {
      clearTimeout(timer);
    }
    if (candidates.length === 0) throw new TransportError('dns_error', `DNS lookup of ${host} returned no address`);
    const target = pick(host, candidates);
    remember(host, target, Date.now() + DNS_CACHE_MS);
    return target;
  }

  async function post(req: TransportRequest): Promise<TransportResult> {
    const started = performance.now();
    const elapsed = (): number => Math.round(performance.now() - started);
    const failure = (err: unknown): TransportResult => {
      const { code, message } = classifyNetworkError(err);
      return { status: null, headers: null, body: null, truncated: false, timeMs: elapsed(), errorCode: code, errorMessage: message };
    };
    const url = parse(req.url);
    if (url === null) return failure(new TransportError('network_error', 'the webhook URL is not valid'));
    const secure = url.protocol === 'https:';
    if (!secure && url.protocol !== 'http:') {
      return failure(new TransportError('network_error', `unsupported URL scheme ${url.protocol}`));
    }
    const host = url.hostname.replace(/^\[|\]$/g, '');
    let target: Target;
    try {
      target = known(host) ?? (await lookupChecked(host, req.timeoutMs));
    } catch (err) {
      return failure(err);
    }
    const remainingMs = Math.max(1, req.timeoutMs - (performance.now() - started));
    const fixedLookup: LookupFunction = (_host, options, callback) => {
      if (options.all) {
        (callback as unknown as (e: null, a: Array<{ address: string; family: number }>) => void)(null, [
          { address: target.address, family: target.family },
        ]);
      } else {
        callback(null, target.address, target.family);
      }
    };
    return new Promise<TransportResult>((resolvePromise) => {
      let settled = false;
      const finish = (result: TransportResult): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        active.delete(request);
        resolvePromise(result);
      };
      const request = (secure ? https : http).request({
        protocol: url.protocol,
        hostname: host,
        port: url.port === '' ? undefined : Number(url.port),
        path: `${url.pathname}${url.search}`,
        method: 'POST',
        headers: req.headers,
        agent: secure ? httpsAgent : httpAgent,
        lookup: fixedLookup,
      });
      const timer = setTimeout(() => {
        request.destroy(new TransportError('timeout', `no complete response within ${req.timeoutMs} ms`));
      }, remainingMs);
      active.add(request);
      request.on('error', (err) => finish(failure(err)));
      request.on('response', (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        let truncated = false;
        const done = (): void => {
          const headers: Record<string, string> = {};
          for (const [name, value] of Object.entries(res.headers)) {
            if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
          }
          finish({
            status: res.statusCode ?? 0,
            headers,
            body: Buffer.concat(chunks).toString('utf8'),
            truncated,
            timeMs: elapsed(),
            errorCode: null,
            errorMessage: null,
          });
        };
        res.on('data', (chunk: Buffer) => {
          if (truncated) return;
          const room = MAX_RESPONSE_BODY_BYTES - size;
          if (chunk.length > room) {
            chunks.push(chunk.subarray(0, room));
            size = MAX_RESPONSE_BODY_BYTES;
            truncated = true;
            // The rest is not ours to keep; drop the connection rather than read on.
            done();
            res.destroy();
            return;
          }
          chunks.push(chunk);
          size += chunk.length;
        });
        res.on('end', done);
        res.on('error', (err) => finish(failure(err)));
        res.on('aborted', () => finish(failure(new TransportError('connection_reset', 'response cut off by the receiver'))));
      });
      request.end(req.body);
    });
  }

  return {
    post,
    abortAll() {
      for (const request of active) request.destroy(new TransportError('aborted', 'aborted: the worker is shutting down'));
    },
    close() {
      httpAgent.destroy();
      httpsAgent.destroy();
    },
  };
}
