import { execFile, execFileSync } from 'node:child_process';
import { chownSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);

/** A throwaway PostgreSQL cluster, listening on 127.0.0.1 only. */
export interface PostgresCluster {
  /** Superuser URL of the `postgres` database. */
  url: string;
  port: number;
  /** Creates an empty database (or a copy of `template`) and returns its URL. */
  createDatabase(opts?: { name?: string; template?: string }): Promise<string>;
  /** Drops a database made by createDatabase, ending its connections. */
  dropDatabase(name: string): Promise<void>;
  /** Stops the server and removes its directory. */
  stop(): Promise<void>;
}

function binDir(): string {
  return process.env.HOOKLINE_PG_BIN ?? '/usr/lib/postgresql/15/bin';
}

// initdb and postgres refuse to run as root: run them as `postgres` then.
function asPostgres(command: string, args: string[]): [string, string[]] {
  const path = join(binDir(), command);
  if (process.getuid?.() === 0) return ['runuser', ['-u', 'postgres', '--', path, ...args]];
  return [path, args];
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts a PostgreSQL 15 cluster in a fresh temporary directory on a free
 * port of 127.0.0.1 (unix socket inside that directory, fsync off, trust
 * auth), as the `postgres` user when running as root. It is stopped and
 * removed by stop() and, failing that, when the process exits.
 */
export async function startPostgresCluster(): Promise<PostgresCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'hookline-pg-'));
  const data = join(dir, 'data');
  const log = join(dir, 'postgres.log');
  if (process.getuid?.() === 0) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(dir, uid, gid);
  }

  let running = false;
  const stopSync = () => {
    if (running) {
      running = false;
      const [cmd, args] = asPostgres('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      try {
        execFileSync(cmd, args, { stdio: 'ignore' });
      } catch {
        // already gone
      }
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const onSignal = (signal: NodeJS.Signals) => {
    stopSync();
    process.kill(process.pid, signal);
  };
  const cleanup = () => {
    process.off('exit', stopSync);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
  process.on('exit', stopSync);
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  try {
    const [initdb, initArgs] = asPostgres('initdb', [
      '-D', data, '-U', 'postgres', '--auth=trust', '--no-sync', '--encoding=UTF8', '--locale=C',
    ]);
    await run(initdb, initArgs);

    let port = 0;
    for (let attempt = 0; ; attempt++) {
      port = await freePort();
      const options = [
        `-p ${port}`, `-k ${dir}`, '-c listen_addresses=127.0.0.1',
        '-c fsync=off', '-c synchronous_commit=off', '-c full_page_writes=off',
        '-c max_connections=200', '-c timezone=UTC',
      ].join(' ');
      const [pgCtl, ctlArgs] = asPostgres('pg_ctl', ['-D', data, '-l', log, '-o', options, '-w', '-t', '60', 'start']);
      try {
        running = true;
        await run(pgCtl, ctlArgs);
        break;
      } catch (error) {
        running = false;
        // Someone took the port between our check and the server's bind: try another.
        if (attempt >= 3) throw error;
      }
    }

    const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
    const admin = async <T>(fn: (client: pg.Client) => Promise<T>): Promise<T> => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        return await fn(client);
      } finally {
        await client.end();
      }
    };
    let counter = 0;

    return {
      url,
      port,
      async createDatabase(opts = {}) {
        const name = opts.name ?? `hookline_${process.pid}_${Date.now().toString(36)}_${counter++}`;
        const template = opts.template ?? 'template0';
        await admin((client) =>
          client.query(`create database ${pg.escapeIdentifier(name)} template ${pg.escapeIdentifier(template)}`),
        );
        return `postgres://postgres@127.0.0.1:${port}/${name}`;
      },
      async dropDatabase(name) {
        await admin((client) => client.query(`drop database if exists ${pg.escapeIdentifier(name)} with (force)`));
      },
      async stop() {
        cleanup();
        stopSync();
      },
    };
  } catch (error) {
    let detail = '';
    try {
      detail = readFileSync(log, 'utf8').slice(-2000);
    } catch {
      // no log yet
    }
    cleanup();
    stopSync();
    throw new Error(`could not start PostgreSQL from ${binDir()}: ${(error as Error).message}\n${detail}`, {
      cause: error,
    });
  }
}
