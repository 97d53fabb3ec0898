/**
 * End-to-end environment and step driver: a throwaway PostgreSQL cluster
 * (@hookline/database/testing) and the real server (`node server/dist/cli.js
 * serve`, which applies the migrations) on a free loopback port, with HS256 tokens
 * minted here. Each case gets fresh user ids, so cases (and SDKs) sharing the
 * server never see each other's webhooks.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { SignJWT } from 'jose';
import type { E2eCase, E2eStep } from './cases.js';
import { REPO_ROOT } from './paths.js';
import { getPath, substitute } from './template.js';
import { checkExpect } from './expect.js';
import type { Testee, TesteeResponse } from './testee.js';

export interface E2eEnvironment {
  /** The server's GraphQL endpoint. */
  graphqlUrl: string;
  /** A signed HS256 token for `claims`. */
  mint(claims: { sub?: string; role: 'authenticated' | 'service_role' }): Promise<string>;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Starts PostgreSQL, migrates it, starts the server; throws with the server's output when it does not become ready. */
export async function startE2eEnvironment(log: (line: string) => void): Promise<E2eEnvironment> {
  const cli = join(REPO_ROOT, 'server', 'dist', 'cli.js');
  if (!existsSync(cli)) throw new Error(`${cli} does not exist: build the server first (npm run build -w @hookline/server)`);
  const testing = (await import('@hookline/database/testing' as string)) as {
    startPostgresCluster(): Promise<{ url: string; stop(): Promise<void> }>;
  };
  const cluster = await testing.startPostgresCluster();
  let server: ChildProcess | undefined;
  const output: string[] = [];
  const stop = async () => {
    if (server && server.exitCode === null && server.signalCode === null) {
      const exited = new Promise((r) => server!.once('exit', r));
      server.kill('SIGTERM');
      const t = setTimeout(() => server!.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(t);
    }
    await cluster.stop();
  };
  try {
    const port = await freePort();
    const jwtSecret = randomBytes(32).toString('base64url');
    server = spawn(process.execPath, [cli, 'serve'], {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        DATABASE_URL: cluster.url,
        PORT: String(port),
        HOST: '127.0.0.1',
        HOOKLINE_JWT_SECRET: jwtSecret,
        HOOKLINE_ALLOW_PRIVATE_NETWORKS: '127.0.0.0/8,::1/128',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (chunk: Buffer) => {
      output.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      if (output.length > 40) output.splice(0, output.length - 40);
    };
    server.stdout!.on('data', keep);
    server.stderr!.on('data', keep);
    const base = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + 30000;
    for (;;) {
      if (server.exitCode !== null) throw new Error(`server exited with ${server.exitCode}`);
      try {
        const res = await fetch(`${base}/readyz`);
        if (res.ok) break;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw new Error('server not ready within 30 s');
      await sleep(200);
    }
    log(`e2e: server ready at ${base} on PostgreSQL ${cluster.url.replace(/\/\/[^@]*@/, '//')}`);
    const key = new TextEncoder().encode(jwtSecret);
    return {
      graphqlUrl: `${base}/graphql`,
      mint: (claims) =>
        new SignJWT({ ...claims }).setProtectedHeader({ alg: 'HS256' }).setIssuedAt().setExpirationTime('2h').sign(key),
      stop,
    };
  } catch (err) {
    await stop().catch(() => undefined);
    const tail = output.length ? `\n--- server output tail ---\n${output.join('\n')}` : '';
    throw new Error(`${(err as Error).message}${tail}`);
  }
}

const META = new Set(['op', 'comment', 'as', 'expect', 'save', 'eventually', 'client', 'operation', 'variables', 'idempotencyKey']);

/** Runs one end-to-end case's steps in order; returns the mismatches of the first failing step. */
export async function runE2eCase(c: E2eCase, testee: Testee, env: E2eEnvironment): Promise<string[]> {
  const userId = randomUUID();
  const otherUserId = randomUUID();
  const tokens = {
    user: await env.mint({ sub: userId, role: 'authenticated' }),
    otherUser: await env.mint({ sub: otherUserId, role: 'authenticated' }),
    service: await env.mint({ role: 'service_role' }),
  };
  const vars: Record<string, unknown> = { userId, otherUserId, runId: randomBytes(4).toString('hex') };
  for (const [i, raw] of c.steps.entries()) {
    const step = substitute(raw, vars) as E2eStep;
    const label = `step ${i + 1} (${step.op}${step.operation ? ` ${String(step.operation)}` : ''}${step.comment ? `: ${step.comment}` : ''})`;
    let request: Record<string, unknown>;
    if (step.op === 'call') {
      request = {
        op: 'call',
        client: { baseUrl: env.graphqlUrl, token: tokens[step.as ?? 'user'], maxRetries: 0, timeoutMs: 15000, ...(step.client as object) },
        operation: step.operation,
        variables: step.variables ?? {},
      };
      if (step.idempotencyKey !== undefined) request.idempotencyKey = step.idempotencyKey;
    } else {
      request = Object.fromEntries(Object.entries(step).filter(([k]) => !META.has(k) || k === 'op'));
    }
    const expect = step.expect ?? { ok: true };
    const timeoutMs = (typeof step.timeoutMs === 'number' ? step.timeoutMs : 0) + 20000;
    const until = step.eventually ? Date.now() + step.eventually.timeoutMs : 0;
    let got: TesteeResponse;
    let errs: string[];
    for (;;) {
      got = await testee.request(request, timeoutMs);
      errs = checkExpect(expect, got);
      if (!errs.length || !step.eventually || Date.now() > until) break;
      await sleep(step.eventually.intervalMs ?? 250);
    }
    if (errs.length) {
      const prefix = step.eventually ? `${label}, still after ${step.eventually.timeoutMs} ms` : label;
      return [`${prefix}:`, ...errs];
    }
    for (const [name, path] of Object.entries(step.save ?? {})) {
      const value = got.ok ? getPath(got.result, path) : getPath(got.error, path);
      if (value === undefined) return [`${label}: cannot save ${name}: no ${path} in ${JSON.stringify(got).slice(0, 300)}`];
      vars[name] = value;
    }
  }
  return [];
}
