/**
 * Drives the cases through each SDK's testee and reports one line per case and
 * a summary. Signature cases are pipelined; client cases run a few at a time,
 * each against its own script on the mock server; end-to-end cases run one
 * after another against the real server (started only when one will run).
 */
import { performance } from 'node:perf_hooks';
import type { Case, ClientCase, E2eCase, SignatureCase } from './cases.js';
import { checkRequests } from './check-requests.js';
import { runE2eCase, startE2eEnvironment, type E2eEnvironment } from './e2e.js';
import { checkExpect } from './expect.js';
import { MockServer } from './mock-server.js';
import type { SdkConfig } from './sdks.js';
import { Testee, TesteeFailure } from './testee.js';

export type Status = 'pass' | 'fail' | 'skip';

export interface Outcome {
  sdk: string;
  name: string;
  status: Status;
  /** Why it failed or was skipped; mismatches one per line. */
  detail: string[];
  ms: number;
}

export interface RunOptions {
  sdks: SdkConfig[];
  cases: Case[];
  /** Only cases whose name contains this. */
  filter?: string;
  /** Where per-case lines go (default: console.log). */
  log?: (line: string) => void;
  /** Client cases run at once per SDK. */
  clientConcurrency?: number;
  /** Per-request timeout for signature and client requests. */
  requestTimeoutMs?: number;
  /** How long a testee may take to answer its first `ping`. */
  startTimeoutMs?: number;
}

export interface Summary {
  passed: number;
  failed: number;
  skipped: number;
  outcomes: Outcome[];
}

const SIGNATURE_IN_FLIGHT = 16;

/** Expands a body generator (`{"repeat", "times"}`) into the text it stands for. */
export function expandBody<T extends Record<string, unknown>>(req: T): T {
  const body = req.body as unknown;
  if (body && typeof body === 'object' && 'repeat' in body) {
    const g = body as { repeat: string; times: number };
    return { ...req, body: g.repeat.repeat(g.times) };
  }
  return req;
}

async function pool<T>(items: T[], limit: number, fn: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i]!, i);
    }
  });
  await Promise.all(workers);
}

/** Hides bearer tokens in text the runner prints (testee stderr, server output). */
export function redactTokens(line: string): string {
  return line.replace(/eyJ[\w-]+\.[\w-]+\.[\w-]+/g, '[jwt redacted]');
}

function failureText(err: unknown): string[] {
  if (err instanceof TesteeFailure) return err.message.split('\n').map(redactTokens);
  return [`runner error: ${(err as Error)?.stack ?? String(err)}`];
}

/** Runs every selected case for every SDK; never throws for a failing case. */
export async function run(opts: RunOptions): Promise<Summary> {
  const log = opts.log ?? ((line: string) => console.log(line));
  const selected = opts.cases.filter((c) => !opts.filter || c.name.includes(opts.filter));
  const outcomes: Outcome[] = [];
  const needsMock = opts.sdks.some((s) => s.features.includes('client')) && selected.some((c) => c.feature === 'client');
  const needsE2e = opts.sdks.some((s) => s.features.includes('e2e')) && selected.some((c) => c.feature === 'e2e');
  const mock = needsMock ? await MockServer.start() : undefined;
  let e2e: E2eEnvironment | undefined;
  let e2eError: unknown;
  if (needsE2e) {
    try {
      e2e = await startE2eEnvironment(log);
    } catch (err) {
      e2eError = err;
      log(`FAIL the end-to-end environment did not start: ${redactTokens((err as Error)?.message ?? String(err))}`);
    }
  }
  const stopAll = async () => {
    await mock?.close();
    await e2e?.stop();
  };
  const onSignal = () => {
    void stopAll().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    for (const sdk of opts.sdks) {
      const testee = new Testee({ name: sdk.sdk, command: sdk.command, cwd: sdk.cwd, env: sdk.env });
      const known = new Set(sdk.knownFailing);
      const record = (c: Case, status: Status, detail: string[], ms: number) => {
        let final = status;
        let lines = detail;
        if (known.has(c.name)) {
          if (status === 'pass') {
            final = 'fail';
            lines = ['listed in knownFailing but passes: remove it from the list'];
          } else if (status === 'fail') {
            final = 'skip';
            lines = ['known failing:', ...detail];
          }
        }
        const o: Outcome = { sdk: sdk.sdk, name: c.name, status: final, detail: lines, ms };
        outcomes.push(o);
        const label = final === 'pass' ? 'PASS' : final === 'fail' ? 'FAIL' : 'SKIP';
        const why = final === 'skip' ? `  (${lines[0]})` : '';
        log(`${label} [${sdk.sdk}] ${c.name} (${Math.round(ms)} ms)${why}`);
        if (final === 'fail') for (const l of lines) log(`       ${l}`);
      };
      const mine = selected.filter((c) => {
        if (sdk.features.includes(c.feature)) return true;
        record(c, 'skip', [`feature ${c.feature} not listed in sdks/${sdk.sdk}.json`], 0);
        return false;
      });
      let startError: unknown;
      if (mine.length) await testee.ready(opts.startTimeoutMs).catch((err: unknown) => (startError = err));
      try {
        if (startError) {
          for (const c of mine) record(c, 'fail', ['the testee did not start:', ...failureText(startError)], 0);
          mine.length = 0;
        }
        await pool(
          mine.filter((c): c is SignatureCase => c.feature === 'signatures'),
          SIGNATURE_IN_FLIGHT,
          async (c) => {
            const t0 = performance.now();
            try {
              const got = await testee.request(expandBody(c.request), opts.requestTimeoutMs ?? 15000);
              const errs = checkExpect(c.expect, got);
              record(c, errs.length ? 'fail' : 'pass', errs, performance.now() - t0);
            } catch (err) {
              record(c, 'fail', failureText(err), performance.now() - t0);
            }
          },
        );
        await pool(
          mine.filter((c): c is ClientCase => c.feature === 'client'),
          opts.clientConcurrency ?? 4,
          async (c, i) => {
            const t0 = performance.now();
            const caseId = `${sdk.sdk}-${i}`;
            mock!.register(caseId, c.script);
            try {
              const client = { token: 'conformance-token', ...c.call.client, baseUrl: mock!.url(caseId) };
              if (c.call.client?.tokenProvider) delete (client as Record<string, unknown>).token;
              const got = await testee.request({ op: 'call', ...c.call, client }, opts.requestTimeoutMs ?? 30000);
              const requests = mock!.requests(caseId);
              const errs = [...checkExpect(c.expect, got), ...checkRequests(c.requests, requests)];
              const unmatched = requests.filter((r) => r.rule < 0).length;
              if (unmatched) errs.push(`requests: ${unmatched} request(s) matched no rule of the script (answered 418)`);
              record(c, errs.length ? 'fail' : 'pass', errs, performance.now() - t0);
            } catch (err) {
              record(c, 'fail', failureText(err), performance.now() - t0);
            } finally {
              mock!.release(caseId);
            }
          },
        );
        for (const c of mine.filter((c): c is E2eCase => c.feature === 'e2e')) {
          const t0 = performance.now();
          if (!e2e) {
            record(c, 'fail', [`the end-to-end environment did not start (${String((e2eError as Error)?.message ?? e2eError).split('\n')[0]}; details above)`], 0);
            continue;
          }
          try {
            // The webhook secrets of these cases are live on the server while it runs: keep them out of the output.
            const errs = (await runE2eCase(c, testee, e2e)).map((l) => redactTokens(l).replace(/whsec_[A-Za-z0-9+/=]+/g, 'whsec_[redacted]'));
            record(c, errs.length ? 'fail' : 'pass', errs, performance.now() - t0);
          } catch (err) {
            record(c, 'fail', failureText(err), performance.now() - t0);
          }
        }
      } finally {
        await testee.stop();
        if (testee.protocolViolations.length) {
          const detail = [`the testee wrote ${testee.protocolViolations.length} line(s) to stdout that are not answers, first: ${testee.protocolViolations[0]}`];
          outcomes.push({ sdk: sdk.sdk, name: 'protocol: stdout carries only answers', status: 'fail', detail, ms: 0 });
          log(`FAIL [${sdk.sdk}] protocol: stdout carries only answers\n       ${detail[0]}`);
        }
      }
    }
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await stopAll();
  }
  const count = (s: Status) => outcomes.filter((o) => o.status === s).length;
  return { passed: count('pass'), failed: count('fail'), skipped: count('skip'), outcomes };
}
