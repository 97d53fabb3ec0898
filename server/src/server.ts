/**
 * The Hookline API server: graphql-yoga behind a small node:http front that
 * does what must happen before GraphQL runs (request id, body limit, bearer
 * auth, rate limit, Idempotency-Key) and commits the request's transaction
 * after it ran.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Database } from '@hookline/database';
import { GraphQLError, Kind, OperationTypeNode, parse, type DocumentNode } from 'graphql';
import { createSchema, createYoga, type YogaServerInstance } from 'graphql-yoga';
import { AuthError, bearerToken, type Authenticator, type Claims } from './auth.js';
import type { RequestContext } from './context.js';
import { ERROR_STATUS, internalError, type ErrorCode } from './errors.js';
import { typeDefs } from './generated/type-defs.js';
import {
  claimIdempotencyKey,
  isValidIdempotencyKey,
  releaseIdempotencyKey,
  requestHash,
  storeIdempotentResponse,
} from './idempotency.js';
import { createLogger, type Logger } from './logger.js';
import { createRateLimiter, type RateLimiter } from './rate-limit.js';
import { createRequestTransaction } from './request-transaction.js';
import { resolvers } from './resolvers/index.js';

/** Options of {@link createHooklineServer}. */
export interface HooklineServerOptions {
  /** The database (migrated). The server does not close it. */
  db: Database;
  /** Verifies bearer tokens. */
  auth: Authenticator;
  /** Defaults to a JSON logger on stdout at HOOKLINE_LOG_LEVEL. */
  logger?: Logger;
  /** A limiter, or its settings; default 50/s with a burst of 100 per caller. */
  rateLimit?: RateLimiter | { perSecond: number; burst: number };
  /** Largest accepted request body; default 1 MiB. */
  maxBodyBytes?: number;
  /** Serve GraphiQL on GET /graphql from a browser; default true. */
  graphiql?: boolean;
  /** Makes one delivery attempt now (the dispatcher's `deliverNow`), for verifyWebhookEndpoint. */
  deliverNow?: (deliveryId: string) => Promise<void>;
}

/** The request handler and the yoga instance behind it. */
export interface HooklineServer {
  /** A node:http request listener. */
  handle(req: IncomingMessage, res: ServerResponse): void;
  yoga: YogaServerInstance<RequestContext, object>;
}

type Json = Record<string, unknown>;
const REQUEST_ID = /^[A-Za-z0-9._:\-]{1,128}$/;
const GRAPHQL_PATH = '/graphql';
const GRAPHIQL_DEFAULT_QUERY = `# Welcome to Hookline. Every request needs a bearer token:
#   npx hookline token --user $(node -p 'crypto.randomUUID()')
# Put it in the Headers tab below as {"Authorization": "Bearer <token>"}.

query ListWebhooks {
  webhooks(first: 10) {
    edges { node { id name url isActive subscriptions { eventType } } }
    pageInfo { hasNextPage endCursor }
  }
}
`;

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly headers: Record<string, string> = {},
    readonly extras: Json = {},
  ) {
    super(message);
  }
}

function errorBody(code: ErrorCode, message: string, extras: Json = {}): Json {
  return { errors: [{ message, extensions: { code, ...extras } }] };
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) throw new HttpError(413, 'BAD_USER_INPUT', `request body exceeds ${limit} bytes`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new HttpError(413, 'BAD_USER_INPUT', `request body exceeds ${limit} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

interface GraphQLParams {
  query?: unknown;
  operationName?: unknown;
  variables?: unknown;
}

function paramsOf(req: IncomingMessage, url: URL, body: Buffer): GraphQLParams | undefined {
  if (req.method === 'GET') {
    const variables = url.searchParams.get('variables');
    let parsed: unknown = undefined;
    try {
      parsed = variables ? JSON.parse(variables) : undefined;
    } catch {
      return undefined;
    }
    return { query: url.searchParams.get('query') ?? undefined, operationName: url.searchParams.get('operationName') ?? undefined, variables: parsed };
  }
  try {
    const value: unknown = JSON.parse(body.toString('utf8'));
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as GraphQLParams) : undefined;
  } catch {
    return undefined;
  }
}

function isMutation(params: GraphQLParams | undefined): boolean {
  if (!params || typeof params.query !== 'string') return false;
  let doc: DocumentNode;
  try {
    doc = parse(params.query);
  } catch {
    return false;
  }
  const ops = doc.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
  const op = typeof params.operationName === 'string' ? ops.find((o) => o.name?.value === params.operationName) : ops.length === 1 ? ops[0] : undefined;
  return op?.operation === OperationTypeNode.MUTATION;
}

function isGraphQLError(value: unknown): boolean {
  return value instanceof Error && value.name === 'GraphQLError';
}

function errorCodes(body: unknown): string[] {
  const errors = (body as { errors?: Array<{ extensions?: { code?: unknown } }> } | null)?.errors;
  return Array.isArray(errors) ? errors.map((e) => String(e.extensions?.code ?? 'UNKNOWN')) : [];
}

/** Creates the request handler; `startServer` wraps it in a listening node:http server. */
export function createHooklineServer(options: HooklineServerOptions): HooklineServer {
  const { db, auth } = options;
  const logger = options.logger ?? createLogger();
  const limiter: RateLimiter =
    options.rateLimit && 'take' in options.rateLimit ? options.rateLimit : createRateLimiter(options.rateLimit ?? { perSecond: 50, burst: 100 });
  const maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;
  const graphiql = options.graphiql ?? true;

  const yoga = createYoga<RequestContext, object>({
    schema: createSchema<RequestContext>({ typeDefs, resolvers }),
    graphqlEndpoint: GRAPHQL_PATH,
    graphiql: graphiql ? { title: 'Hookline', defaultQuery: GRAPHIQL_DEFAULT_QUERY, headers: '{"Authorization": "Bearer <token>"}' } : false,
    landingPage: false,
    logging: false,
    maskedErrors: {
      maskError(error) {
        // graphql may be loaded twice (ESM and CJS copies), so no instanceof.
        const original = isGraphQLError(error) ? (error as GraphQLError).originalError : error;
        if (isGraphQLError(error) && (!original || isGraphQLError(original))) {
          const e = error as GraphQLError;
          if (e.extensions?.code || e.path) return e;
          // Variable coercion (wrong type, unknown enum value, missing field) comes without a code.
          return new GraphQLError(e.message, { nodes: e.nodes, extensions: { ...e.extensions, code: 'BAD_USER_INPUT', http: { status: 400 } } });
        }
        logger.error({ err: original ?? error }, 'unexpected resolver error');
        const masked = internalError();
        return isGraphQLError(error)
          ? new GraphQLError(masked.message, { nodes: (error as GraphQLError).nodes, path: (error as GraphQLError).path, extensions: masked.extensions })
          : masked;
      },
    },
  });

  async function graphql(req: IncomingMessage, res: ServerResponse, url: URL, requestId: string, log: Logger) {
    const method = req.method ?? 'GET';
    const accept = String(req.headers.accept ?? '');
    if (method === 'OPTIONS' || (method === 'GET' && graphiql && accept.includes('text/html') && !url.searchParams.has('query'))) {
      const response = await yoga.fetch(url.toString(), { method, headers: req.headers as Record<string, string> });
      res.writeHead(response.status, Object.fromEntries(response.headers));
      res.end(Buffer.from(await response.arrayBuffer()));
      return;
    }
    if (method !== 'GET' && method !== 'POST') throw new HttpError(405, 'BAD_USER_INPUT', 'use GET or POST', { allow: 'GET, POST' });

    let claims: Claims | undefined;
    let authError: string | undefined;
    const token = bearerToken(req.headers.authorization);
    if (!token) authError = 'missing bearer token (Authorization: Bearer <JWT>)';
    else {
      try {
        claims = await auth.verify(token);
      } catch (err) {
        authError = err instanceof AuthError ? err.message : 'the bearer token is invalid';
      }
    }
    const caller = claims ? (claims.role === 'service_role' ? 'service_role' : `user:${claims.sub}`) : `ip:${req.socket.remoteAddress ?? '?'}`;
    const decision = limiter.take(caller);
    if (!decision.allowed) {
      throw new HttpError(429, 'RATE_LIMITED', `rate limit exceeded; retry in ${decision.retryAfterSeconds} s`, { 'retry-after': String(decision.retryAfterSeconds) }, { retryAfter: decision.retryAfterSeconds });
    }
    if (!claims) throw new HttpError(401, 'UNAUTHENTICATED', authError ?? 'unauthenticated', { 'www-authenticate': 'Bearer' });
    log = log.child({ role: claims.role, ...(claims.sub ? { userId: claims.sub } : {}) });
    // Read only once the caller is known and within its limit.
    const body = method === 'POST' ? await readBody(req, maxBodyBytes) : Buffer.alloc(0);

    const params = paramsOf(req, url, body);
    const rawKey = req.headers['idempotency-key'];
    const key = typeof rawKey === 'string' && method === 'POST' && isMutation(params) ? rawKey : undefined;
    if (key !== undefined) {
      if (!isValidIdempotencyKey(key)) throw new HttpError(400, 'BAD_USER_INPUT', 'Idempotency-Key must be 1-255 printable ASCII characters', {}, { field: 'Idempotency-Key' });
      const claim = await claimIdempotencyKey(db, claims, key, requestHash(params ?? {}));
      if (claim.kind === 'replay') {
        log.info({ status: claim.response.status, idempotencyKey: key }, 'replayed idempotent response');
        send(res, claim.response.status, claim.response.body, { 'idempotent-replayed': 'true' });
        return { status: claim.response.status, codes: errorCodes(claim.response.body) };
      }
      if (claim.kind === 'conflict') {
        throw new HttpError(
          409,
          'CONFLICT',
          claim.reason === 'other_body'
            ? 'this Idempotency-Key was already used with a different request'
            : 'a request with this Idempotency-Key is still in progress; retry later',
        );
      }
    }

    const tx = createRequestTransaction(db, claims, log);
    const context: RequestContext = {
      claims,
      requestId,
      logger: log,
      sql: (fn) => tx.run(fn),
      commit: () => tx.commit(),
      deliverNow: options.deliverNow,
    };
    let status: number;
    let text: string;
    let headers: Record<string, string>;
    try {
      const response = await yoga.fetch(
        url.toString(),
        { method, headers: req.headers as Record<string, string>, body: method === 'POST' ? body.toString('utf8') : undefined },
        context,
      );
      status = response.status;
      text = await response.text();
      headers = Object.fromEntries(response.headers);
    } catch (err) {
      await tx.rollback().catch(() => {});
      if (key !== undefined) await releaseIdempotencyKey(db, claims, key).catch(() => {});
      throw err;
    }

    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    const codes = errorCodes(parsed);
    // A document that never ran answers 400 whatever the Accept header (yoga keeps 200 for application/json).
    const data = (parsed as { data?: unknown } | undefined)?.data;
    if (status === 200 && codes.length > 0 && (data === undefined || data === null)) {
      status = Math.max(...codes.map((c) => ERROR_STATUS[c as ErrorCode] ?? 400));
    }
    const failed = status >= 500 || codes.includes('INTERNAL_SERVER_ERROR');
    try {
      if (key !== undefined && !failed && parsed !== undefined) {
        await tx.run((q) => storeIdempotentResponse(q, claims, key, { status, body: parsed }));
      }
      if (key !== undefined && failed) await tx.rollback();
      else await tx.commit();
    } catch (err) {
      log.error({ err }, 'commit failed');
      await tx.rollback().catch(() => {});
      if (key !== undefined) await releaseIdempotencyKey(db, claims, key).catch(() => {});
      throw new HttpError(500, 'INTERNAL_SERVER_ERROR', internalError().message);
    }
    if (key !== undefined && failed) await releaseIdempotencyKey(db, claims, key).catch(() => {});
    delete headers['content-length'];
    res.writeHead(status, { ...headers, 'content-length': String(Buffer.byteLength(text)) });
    res.end(text);
    return { status, codes, operationName: typeof params?.operationName === 'string' ? params.operationName : undefined };
  }

  function handle(req: IncomingMessage, res: ServerResponse): void {
    const started = performance.now();
    const incoming = req.headers['x-request-id'];
    const requestId = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : `req_${randomUUID().replace(/-/g, '')}`;
    res.setHeader('x-request-id', requestId);
    const log = logger.child({ requestId });
    const url = new URL(req.url ?? '/', 'http://localhost');

    const finish = (status: number, extra: Json = {}) =>
      log.info({ method: req.method, path: url.pathname, status, durationMs: Math.round((performance.now() - started) * 10) / 10, ...extra }, 'request');

    const run = async () => {
      if (url.pathname === '/healthz') return send(res, 200, { status: 'ok' });
      if (url.pathname === '/readyz') {
        try {
          await Promise.race([db.query('select 1'), new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), 2000).unref())]);
          return send(res, 200, { status: 'ready' });
        } catch (err) {
          log.warn({ err }, 'database not ready');
          return send(res, 503, { status: 'unavailable' });
        }
      }
      if (url.pathname !== GRAPHQL_PATH) return send(res, 404, errorBody('NOT_FOUND', `no route ${url.pathname}; the API is at ${GRAPHQL_PATH}`));
      try {
        const outcome = await graphql(req, res, url, requestId, log);
        if (outcome) finish(outcome.status, { codes: outcome.codes.length ? outcome.codes : undefined, operationName: 'operationName' in outcome ? outcome.operationName : undefined });
        else finish(res.statusCode);
      } catch (err) {
        if (err instanceof HttpError) {
          if (!res.headersSent) send(res, err.status, errorBody(err.code, err.message, err.extras), err.headers);
          finish(err.status, { codes: [err.code] });
          if (err.status === 413) req.resume();
          return;
        }
        log.error({ err }, 'request failed');
        if (!res.headersSent) send(res, 500, errorBody('INTERNAL_SERVER_ERROR', internalError().message));
        finish(500, { codes: ['INTERNAL_SERVER_ERROR'] });
      }
    };
    void run().catch((err) => {
      log.error({ err }, 'request handler crashed');
      if (!res.headersSent) send(res, 500, errorBody('INTERNAL_SERVER_ERROR', internalError().message));
    });
  }

  return { handle, yoga };
}

/** Options of {@link startServer}. */
export interface StartServerOptions extends HooklineServerOptions {
  /** Default 0 (a free port). */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
}

/** A listening server. */
export interface RunningServer {
  /** `http://host:port` */
  url: string;
  /** `http://host:port/graphql` */
  graphqlUrl: string;
  port: number;
  server: Server;
  /** Stops accepting connections and waits for requests in flight. Does not close the database. */
  close(): Promise<void>;
}

/** Creates the server and listens. */
export async function startServer(options: StartServerOptions): Promise<RunningServer> {
  const { handle } = createHooklineServer(options);
  const server = createServer(handle);
  server.keepAliveTimeout = 5000;
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const shownHost = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host;
  const url = `http://${shownHost}:${port}`;
  return {
    url,
    graphqlUrl: `${url}${GRAPHQL_PATH}`,
    port,
    server,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeIdleConnections();
      }),
  };
}
