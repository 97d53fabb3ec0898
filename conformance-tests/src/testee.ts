/**
 * One SDK's testee process, driven over newline-delimited JSON on stdin/stdout
 * (see PROTOCOL.md). Requests may be pipelined; answers are tied back by `id`.
 * A request that gets no answer within its timeout, or whose testee dies, fails
 * with the tail of the testee's stderr. A testee that died is started again on
 * the next request.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

/** A testee's answer (the `id` removed). */
export type TesteeResponse =
  | { ok: true; result: unknown }
  | { ok: false; error: Record<string, unknown> };

/** How to start a testee: `command` run in `cwd` (absolute). */
export interface TesteeSpec {
  name: string;
  command: string[];
  cwd: string;
  env?: Record<string, string>;
}

/** Raised when a testee does not answer properly; the case fails with this message. */
export class TesteeFailure extends Error {}

interface Pending {
  resolve: (r: TesteeResponse) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
}

const STDERR_TAIL_LINES = 20;

/** A running (or restartable) testee. */
export class Testee {
  private child: ChildProcess | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  /** Requests given up on; a late answer to one is not a protocol violation. */
  private readonly abandoned = new Set<number>();
  private stderrTail: string[] = [];
  private partialErr = '';
  private exited: Promise<void> = Promise.resolve();
  /** Lines on stdout that were not protocol answers. */
  readonly protocolViolations: string[] = [];
  /** How many times the process was (re)started. */
  starts = 0;

  constructor(private readonly spec: TesteeSpec) {}

  /** The last lines the testee wrote to stderr. */
  stderr(): string {
    return [...this.stderrTail, this.partialErr].filter(Boolean).join('\n');
  }

  private ensureStarted(): ChildProcess {
    if (this.child && this.child.exitCode === null && this.child.signalCode === null) return this.child;
    const [cmd, ...args] = this.spec.command;
    const child = spawn(cmd!, args, {
      cwd: this.spec.cwd,
      env: { ...process.env, ...this.spec.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.starts += 1;
    this.child = child;
    this.stderrTail = [];
    this.partialErr = '';
    child.stdin!.on('error', () => undefined);
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (text: string) => {
      const lines = (this.partialErr + text).split('\n');
      this.partialErr = lines.pop() ?? '';
      this.stderrTail.push(...lines);
      if (this.stderrTail.length > STDERR_TAIL_LINES) this.stderrTail = this.stderrTail.slice(-STDERR_TAIL_LINES);
    });
    createInterface({ input: child.stdout! }).on('line', (line) => this.onLine(line));
    this.exited = new Promise<void>((resolve) => {
      const done = (code: number | null, signal: NodeJS.Signals | null, err?: Error) => {
        const why = err ? `could not start (${err.message})` : `exited (code ${code}, signal ${signal})`;
        for (const [id, p] of this.pending) {
          clearTimeout(p.timer);
          p.reject(new TesteeFailure(`testee ${this.spec.name} ${why}\n--- stderr tail ---\n${this.stderr()}`));
          this.pending.delete(id);
        }
        resolve();
      };
      child.once('error', (err) => done(null, null, err));
      child.once('exit', (code, signal) => done(code, signal));
    });
    return child;
  }

  private onLine(line: string): void {
    if (!line.trim()) return;
    let msg: { id?: unknown; ok?: unknown; result?: unknown; error?: unknown };
    try {
      msg = JSON.parse(line);
    } catch {
      this.protocolViolations.push(line.slice(0, 200));
      return;
    }
    const p = typeof msg.id === 'number' ? this.pending.get(msg.id) : undefined;
    if (!p && typeof msg.id === 'number' && this.abandoned.delete(msg.id)) return;
    if (!p) {
      this.protocolViolations.push(line.slice(0, 200));
      return;
    }
    this.pending.delete(msg.id as number);
    clearTimeout(p.timer);
    if (msg.ok === true) p.resolve({ ok: true, result: msg.result ?? null });
    else if (msg.ok === false && msg.error && typeof msg.error === 'object') {
      p.resolve({ ok: false, error: msg.error as Record<string, unknown> });
    } else p.reject(new TesteeFailure(`malformed answer from testee: ${line.slice(0, 200)}`));
  }

  /** Sends one request (`op` and fields) and waits at most `timeoutMs` for its answer. */
  request(req: Record<string, unknown>, timeoutMs: number): Promise<TesteeResponse> {
    const child = this.ensureStarted();
    const id = this.nextId++;
    return new Promise<TesteeResponse>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        this.abandoned.add(id);
        reject(
          new TesteeFailure(
            `testee ${this.spec.name} did not answer ${String(req.op)} within ${timeoutMs} ms\n--- stderr tail ---\n${this.stderr()}`,
          ),
        );
      }, timeoutMs);
      this.pending.set(id, { resolve, reject, timer });
      child.stdin!.write(`${JSON.stringify({ id, ...req })}\n`);
    });
  }

  /**
   * Starts the testee and waits for it to answer a `ping` (any answer, even the
   * TesteeError for an unknown op), so a testee that compiles itself on start
   * does not eat the first cases' timeouts.
   */
  async ready(timeoutMs = 120000): Promise<void> {
    await this.request({ op: 'ping' }, timeoutMs);
  }

  /** Asks the testee to shut down; kills it when it does not exit in time. */
  async stop(graceMs = 3000): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    this.request({ op: 'shutdown' }, graceMs).catch(() => undefined);
    child.stdin!.end();
    const timeout = (ms: number) => new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), ms).unref());
    if ((await Promise.race([this.exited, timeout(graceMs)])) === 'timeout') {
      child.kill('SIGTERM');
      if ((await Promise.race([this.exited, timeout(2000)])) === 'timeout') child.kill('SIGKILL');
      await this.exited;
    }
  }
}
