/**
 * The `hookline` CLI as a user runs it (from source through tsx): token minting,
 * `serve` on the embedded database and on PostgreSQL, `migrate`, `worker`,
 * graceful shutdown on SIGTERM.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openPostgres } from '@hookline/database';
import { startPostgresCluster } from '@hookline/database/testing';
import { jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { op } from './operations.js';

const serverDir = fileURLToPath(new URL('..', import.meta.url));
const CLI = ['--import', 'tsx', join(serverDir, 'src/cli.ts')];

function cli(args: string[], env: Record<string, string>) {
  const r = spawnSync(process.execPath, [...CLI, ...args], { cwd: serverDir, env: { ...process.env, HOOKLINE_LOG_LEVEL: 'warn', ...env }, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

interface Running {
  child: ChildProcess;
  url: string;
  lines: string[];
  exited: Promise<number | null>;
}

async function serve(command: 'serve' | 'worker', env: Record<string, string>): Promise<Running> {
  const child = spawn(process.execPath, [...CLI, command], {
    cwd: serverDir,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', HOOKLINE_LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no start within 90 s:\n${lines.join('')}`)), 90_000);
    let buffer = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        lines.push(line);
        const parsed = JSON.parse(line);
        if (command === 'serve' && parsed.url) {
          clearTimeout(timer);
          resolve(parsed.url);
        }
        if (command === 'worker' && parsed.msg === 'dispatcher started') {
          clearTimeout(timer);
          resolve('');
        }
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => lines.push(chunk.toString()));
    void exited.then((code) => reject(new Error(`exited with ${code}:\n${lines.join('\n')}`)));
  });
  return { child, url, lines, exited };
}

async function stop(running: Running): Promise<number | null> {
  running.child.kill('SIGTERM');
  return running.exited;
}

async function gql(url: string, token: string, query: string, variables: Record<string, unknown> = {}) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, body: (await response.json()) as any };
}

describe('hookline token', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'hookline-cli-'));
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('mints user and service-role tokens with the configured secret', async () => {
    const secret = 'cli-test-secret-cli-test-secret-cli-test';
    const user = randomUUID();
    const r = cli(['token', '--user', user, '--expires-in', '5m'], { HOOKLINE_JWT_SECRET: secret });
    expect(r.code, r.stderr).toBe(0);
    const { payload } = await jwtVerify(r.stdout.trim(), new TextEncoder().encode(secret));
    expect(payload).toMatchObject({ sub: user, role: 'authenticated' });
    expect(payload.exp! - Math.floor(Date.now() / 1000)).toBeGreaterThan(240);
    expect(payload.exp! - Math.floor(Date.now() / 1000)).toBeLessThanOrEqual(300);
    const s = cli(['token', '--service-role'], { HOOKLINE_JWT_SECRET: secret });
    expect((await jwtVerify(s.stdout.trim(), new TextEncoder().encode(secret))).payload).toMatchObject({ role: 'service_role' });
  });

  it('without a configured secret, creates one dev secret (mode 0600) and keeps using it', async () => {
    const env = { HOOKLINE_DATA_DIR: dataDir, HOOKLINE_JWT_SECRET: '', HOOKLINE_JWKS_URL: '' };
    const first = cli(['token', '--service-role'], env);
    expect(first.code, first.stderr).toBe(0);
    const file = join(dataDir, 'jwt-secret');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const secret = (await readFile(file, 'utf8')).trim();
    expect(secret.length).toBeGreaterThanOrEqual(43);
    const second = cli(['token', '--user', randomUUID()], env);
    await jwtVerify(first.stdout.trim(), new TextEncoder().encode(secret));
    await jwtVerify(second.stdout.trim(), new TextEncoder().encode(secret));
    expect((await readFile(file, 'utf8')).trim()).toBe(secret);
  });

  it('refuses bad arguments', () => {
    expect(cli(['token'], {}).code).toBe(2);
    expect(cli(['token', '--user', 'not-a-uuid'], { HOOKLINE_JWT_SECRET: 'x'.repeat(32) }).code).toBe(1);
    expect(cli(['nonsense'], {}).code).toBe(2);
  });
});

describe('hookline serve on the embedded database', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'hookline-serve-'));
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('serves the API on PGlite under HOOKLINE_DATA_DIR, persists across restarts and stops on SIGTERM', async () => {
    const env = { HOOKLINE_DATA_DIR: dataDir, HOOKLINE_JWT_SECRET: '', HOOKLINE_JWKS_URL: '', DATABASE_URL: '' };
    const user = randomUUID();
    // serve first: it must create the data directory itself on a fresh machine
    let running = await serve('serve', env);
    const token = cli(['token', '--user', user], env).stdout.trim();
    try {
      expect(running.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/graphql$/);
      expect((await fetch(running.url.replace('/graphql', '/readyz'))).status).toBe(200);
      const created = await gql(running.url, token, op('CreateWebhook'), { input: { name: 'persisted', url: 'https://example.com/p' } });
      expect(created.body.errors).toBeUndefined();
      expect(running.lines.join('\n')).not.toContain(created.body.data.createWebhook.secret);
    } finally {
      expect(await stop(running)).toBe(0);
    }
    expect(running.lines.some((l) => l.includes('shutting down'))).toBe(true);
    running = await serve('serve', env);
    try {
      const listed = await gql(running.url, token, op('ListWebhooks'));
      expect(listed.body.data.webhooks.edges.map((e: any) => e.node.name)).toEqual(['persisted']);
    } finally {
      expect(await stop(running)).toBe(0);
    }
  });
});

describe('hookline on PostgreSQL', () => {
  let cluster: Awaited<ReturnType<typeof startPostgresCluster>> | undefined;
  let databaseUrl: string;
  beforeAll(async () => {
    let admin = process.env.HOOKLINE_TEST_DATABASE_URL;
    if (!admin) {
      cluster = await startPostgresCluster();
      admin = cluster.url;
    }
    const name = `hookline_cli_${process.pid}_${Date.now().toString(36)}`;
    const db = await openPostgres(admin, { max: 1 });
    await db.query(`create database ${name}`);
    await db.close();
    databaseUrl = admin.replace(/\/[^/]*$/, `/${name}`);
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  it('migrate applies the migrations once; serve and worker run on DATABASE_URL', async () => {
    const env = { DATABASE_URL: databaseUrl, HOOKLINE_JWT_SECRET: 'pg-cli-secret-pg-cli-secret-pg-cli-secret', HOOKLINE_LOG_LEVEL: 'info' };
    const first = cli(['migrate'], env);
    expect(first.code, first.stderr).toBe(0);
    const applied = JSON.parse(first.stdout.split('\n').find((l) => l.includes('database ready'))!).applied;
    expect(applied.length).toBeGreaterThan(0);
    const second = cli(['migrate'], env);
    expect(JSON.parse(second.stdout.split('\n').find((l) => l.includes('database ready'))!).applied).toEqual([]);

    const service = cli(['token', '--service-role'], env).stdout.trim();
    const running = await serve('serve', env);
    try {
      const types = await gql(running.url, service, op('ListEventTypes'));
      expect(types.body.data.eventTypes.length).toBeGreaterThanOrEqual(7);
    } finally {
      expect(await stop(running)).toBe(0);
    }
    const worker = await serve('worker', env);
    expect(await stop(worker)).toBe(0);
  });
});
