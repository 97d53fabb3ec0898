/**
 * Starts the real API server on 127.0.0.1:0 over a fresh migrated database of
 * one engine, and talks to it over HTTP like any client would.
 */
import { randomUUID } from 'node:crypto';
import type { Database } from '@hookline/database';
import { openTestDatabase, type TestEngine } from '@hookline/database/testing';
import { createAuthenticator, mintToken } from '../src/auth.js';
import { createLogger } from '../src/logger.js';
import { startServer, type RunningServer, type StartServerOptions } from '../src/server.js';

export const JWT_SECRET = 'test-secret-with-at-least-32-bytes-of-entropy!!';

/** One GraphQL response, with its HTTP status and headers. */
export interface GqlResponse<T = Record<string, any>> {
  status: number;
  headers: Headers;
  body: { data?: T | null; errors?: Array<{ message: string; path?: string[]; extensions?: Record<string, any> }> };
  text: string;
}

export interface TestServer {
  engine: TestEngine;
  db: Database;
  server: RunningServer;
  /** Every log line the server wrote. */
  logs: string[];
  userA: { id: string; token: string };
  userB: { id: string; token: string };
  service: { token: string };
  gql<T = Record<string, any>>(
    token: string | undefined,
    query: string,
    variables?: Record<string, unknown>,
    headers?: Record<string, string>,
  ): Promise<GqlResponse<T>>;
  raw(init: RequestInit & { path?: string }): Promise<Response>;
  /** Counts rows of a table bypassing RLS. */
  count(table: string): Promise<number>;
  close(): Promise<void>;
}

export async function startTestServer(engine: TestEngine, options: Partial<StartServerOptions> = {}): Promise<TestServer> {
  const db = await openTestDatabase(engine);
  const logs: string[] = [];
  const logger = createLogger({ level: 'debug', write: (line) => void logs.push(line) });
  const server = await startServer({
    db,
    auth: createAuthenticator({ keys: { secret: JWT_SECRET } }),
    logger,
    rateLimit: { perSecond: 0, burst: 1 },
    ...options,
  });
  const user = async () => {
    const id = randomUUID();
    return { id, token: await mintToken({ secret: JWT_SECRET, subject: { user: id } }) };
  };
  const [userA, userB, serviceToken] = await Promise.all([user(), user(), mintToken({ secret: JWT_SECRET, subject: 'service_role' })]);

  return {
    engine,
    db,
    server,
    logs,
    userA,
    userB,
    service: { token: serviceToken },
    async gql(token, query, variables, headers = {}) {
      const response = await fetch(server.graphqlUrl, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/graphql-response+json, application/json',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...headers,
        },
        body: JSON.stringify({ query, variables }),
      });
      const text = await response.text();
      return { status: response.status, headers: response.headers, body: JSON.parse(text), text };
    },
    raw({ path = '/graphql', ...init }) {
      return fetch(server.url + path, init);
    },
    async count(table) {
      const { rows } = await db.query<{ n: number }>(`select count(*)::int as n from public.${table}`);
      return rows[0]!.n;
    },
    async close() {
      await server.close();
      await db.close();
    },
  };
}

/** The `extensions.code` of every error. */
export const codes = (r: GqlResponse) => (r.body.errors ?? []).map((e) => e.extensions?.code);
