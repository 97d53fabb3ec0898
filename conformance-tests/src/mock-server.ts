/**
 * The scriptable mock GraphQL server client cases run against: a real
 * node:http server on 127.0.0.1 (port 0) that records every request and answers
 * from a per-case script of response rules.
 *
 * Each case gets its own path prefix (`/c/<caseId>/graphql`), so cases can run
 * concurrently against one server without seeing each other's requests.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { match, type Json } from './match.js';

/** A header value: literal text, or an HTTP date `seconds` from the moment of answering. */
export type HeaderValue = string | { httpDateFromNow: number };

/** What the mock answers with. */
export interface MockResponse {
  status?: number;
  headers?: Record<string, HeaderValue>;
  /** JSON body (sent with `content-type: application/json`). */
  json?: Json;
  /** Raw text body (sent with `content-type: text/plain` unless headers say otherwise). */
  text?: string;
  /** Wait this long before answering (or resetting). */
  delayMs?: number;
  /** Destroy the connection (TCP RST) instead of answering. */
  reset?: boolean;
}

/** One rule of a case's script. Rules are tried in order; the first applicable one answers. */
export interface MockRule {
  /** Only requests matching this apply: header values (names in any case) and a subset of the JSON body. */
  match?: { headers?: Record<string, Json>; body?: Json };
  /** How many requests this rule answers; unlimited when absent. */
  times?: number;
  response: MockResponse;
}

/** One request as the mock saw it. */
export interface RecordedRequest {
  method: string;
  path: string;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  body: string;
  /** The body parsed as JSON, or null. */
  json: unknown;
  /** Monotonic arrival time in milliseconds (performance.now()). */
  arrivedAt: number;
  /** Index of the rule that answered, or -1 when none applied. */
  rule: number;
}

interface CaseState {
  rules: MockRule[];
  used: number[];
  requests: RecordedRequest[];
}

const PREFIX = /^\/c\/([^/]+)\/graphql\/?$/;

/** A running mock server; `start()` it, `register` a script per case, read `requests`, `close()`. */
export class MockServer {
  private readonly cases = new Map<string, CaseState>();
  private readonly timers = new Set<NodeJS.Timeout>();
  /** Requests to a path no case registered. */
  readonly strays: RecordedRequest[] = [];

  private constructor(
    private readonly server: http.Server,
    readonly port: number,
  ) {}

  /** Starts a mock server on 127.0.0.1 and a free port. */
  static async start(): Promise<MockServer> {
    let self: MockServer | undefined;
    const server = http.createServer((req, res) => self!.handle(req, res));
    server.keepAliveTimeout = 2000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', resolve);
    });
    self = new MockServer(server, (server.address() as AddressInfo).port);
    return self;
  }

  /** The GraphQL endpoint URL of one case. */
  url(caseId: string): string {
    return `http://127.0.0.1:${this.port}/c/${encodeURIComponent(caseId)}/graphql`;
  }

  /** Installs a case's script (replacing any earlier one under that id). */
  register(caseId: string, rules: MockRule[]): void {
    this.cases.set(caseId, { rules, used: rules.map(() => 0), requests: [] });
  }

  /** Every request the case received, in arrival order. */
  requests(caseId: string): RecordedRequest[] {
    return this.cases.get(caseId)?.requests ?? [];
  }

  /** Forgets a case. */
  release(caseId: string): void {
    this.cases.delete(caseId);
  }

  /** Stops answering, drops pending delayed answers and open connections. */
  async close(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const arrivedAt = performance.now();
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('error', () => undefined);
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      let json: unknown = null;
      try {
        json = JSON.parse(body);
      } catch {
        json = null;
      }
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) {
        if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
      }
      const path = (req.url ?? '/').split('?')[0]!;
      const recorded: RecordedRequest = { method: req.method ?? '', path, headers, body, json, arrivedAt, rule: -1 };
      const m = PREFIX.exec(path);
      const state = m ? this.cases.get(decodeURIComponent(m[1]!)) : undefined;
      if (!state) {
        this.strays.push(recorded);
        this.send(res, { status: 404, json: { errors: [{ message: `mock: no case at ${path}` }] } });
        return;
      }
      state.requests.push(recorded);
      const index = state.rules.findIndex((rule, i) => {
        if (rule.times !== undefined && state.used[i]! >= rule.times) return false;
        return ruleMatches(rule, headers, json);
      });
      if (index < 0) {
        this.send(res, {
          status: 418,
          json: { errors: [{ message: 'mock: no rule of the script applies', extensions: { code: 'MOCK_NO_RULE' } }] },
        });
        return;
      }
      state.used[index]! += 1;
      recorded.rule = index;
      this.answer(req, res, state.rules[index]!.response);
    });
  }

  private answer(req: http.IncomingMessage, res: http.ServerResponse, response: MockResponse): void {
    const act = () => {
      if (response.reset) {
        const socket = req.socket as unknown as { resetAndDestroy?: () => void; destroy: () => void };
        if (typeof socket.resetAndDestroy === 'function') socket.resetAndDestroy();
        else socket.destroy();
        return;
      }
      this.send(res, response);
    };
    if (response.delayMs) {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        if (!res.destroyed && !req.socket.destroyed) act();
      }, response.delayMs);
      this.timers.add(timer);
    } else {
      act();
    }
  }

  private send(res: http.ServerResponse, response: MockResponse): void {
    const headers: Record<string, string> = {};
    let payload = '';
    if (response.json !== undefined) {
      headers['content-type'] = 'application/json; charset=utf-8';
      payload = JSON.stringify(response.json);
    } else if (response.text !== undefined) {
      headers['content-type'] = 'text/plain; charset=utf-8';
      payload = response.text;
    }
    for (const [name, value] of Object.entries(response.headers ?? {})) {
      headers[name.toLowerCase()] =
        typeof value === 'string' ? value : new Date(Date.now() + value.httpDateFromNow * 1000).toUTCString();
    }
    headers['content-length'] = String(Buffer.byteLength(payload));
    try {
      res.writeHead(response.status ?? 200, headers);
      res.end(payload);
    } catch {
      // The client went away (timed out); nothing to answer.
    }
  }
}

function ruleMatches(rule: MockRule, headers: Record<string, string>, json: unknown): boolean {
  if (!rule.match) return true;
  const wanted: Record<string, Json> = {};
  for (const [k, v] of Object.entries(rule.match.headers ?? {})) wanted[k.toLowerCase()] = v;
  if (match(wanted, headers).length > 0) return false;
  if (rule.match.body !== undefined && match(rule.match.body, json).length > 0) return false;
  return true;
}
