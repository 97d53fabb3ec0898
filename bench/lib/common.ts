import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { Database } from '@hookline/database';

/** Starts `lib/<name>.ts` as a tsx child process. */
export function spawnScript(name: string, env: Record<string, string>, ipc = false): ChildProcess {
  const file = fileURLToPath(new URL(`./${name}.ts`, import.meta.url));
  // BENCH_CPU_PROF=<dir> profiles the worker processes (V8 .cpuprofile files).
  const prof = process.env.BENCH_CPU_PROF && name === 'worker' ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_CPU_PROF] : [];
  return spawn(process.execPath, [...prof, '--import', 'tsx', file], {
    env: { ...process.env, ...env },
    stdio: ipc ? ['pipe', 'pipe', 'inherit', 'ipc'] : ['pipe', 'pipe', 'inherit'],
  });
}

/** Resolves with the first line of a child's stdout that matches. */
export function lineFrom(child: ChildProcess, match: (line: string) => boolean): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffer = '';
    const onData = (chunk: Buffer): void => {
      buffer += chunk.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) {
        if (match(line)) {
          child.stdout!.off('data', onData);
          resolve(line);
          return;
        }
      }
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`child exited (${code}) before printing the expected line`)));
  });
}

/** Waits for a child to exit, after sending `signal` if given. */
export function exited(child: ChildProcess, signal?: NodeJS.Signals): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  const done = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  if (signal) child.kill(signal);
  return done;
}

/** The p-th percentile (0-100) of numbers, nearest rank. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

export const now = (): number => performance.timeOrigin + performance.now();
export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A one-line description of this machine for the results. */
export function machine(): string {
  const cpu = cpus();
  return `${cpu.length} x ${cpu[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}, ${process.platform}`;
}

/** Creates a webhook as one user (create_webhook as `authenticated`), subscribed to `eventType`. */
export async function createWebhook(
  db: Database,
  userId: string,
  url: string,
  eventType: string,
  filters: Record<string, unknown> = {},
): Promise<string> {
  const { rows } = await db.withClaims({ role: 'authenticated', sub: userId }, (tx) =>
    tx.query<{ id: string }>(
      'select id from public.create_webhook(p_name => $1, p_url => $2, p_event_types => $3, p_filters => $4::jsonb)',
      [`bench ${randomUUID().slice(0, 8)}`, url, [eventType], JSON.stringify(filters)],
    ),
  );
  return rows[0]!.id;
}

export const fmt = (n: number, digits = 0): string =>
  Number.isFinite(n) ? n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }) : 'n/a';

/** CPU ticks used so far by each process whose command line contains `needle`, by pid. */
export function cpuTicksByPid(needle: string): Map<string, number> {
  const ticks = new Map<string, number>();
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
      if (!cmdline.includes(needle)) continue;
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks.set(pid, Number(fields[11]) + Number(fields[12]));
    } catch {
      // the process ended between listing and reading
    }
  }
  return ticks;
}

/**
 * CPU seconds used since `before` by the processes alive now (new ones count
 * from zero); processes that ended meanwhile are not counted.
 */
export function cpuSecondsSince(before: Map<string, number>, now: Map<string, number>): number {
  let ticks = 0;
  for (const [pid, t] of now) ticks += t - (before.get(pid) ?? 0);
  return ticks / 100;
}

/** CPU seconds used by the given child processes so far. */
export function childCpuSeconds(pids: number[]): number {
  let ticks = 0;
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // gone
    }
  }
  return ticks / 100;
}
