/**
 * The runner must be able to fail: these tests drive it with the reference
 * testee (test/reference-testee.ts), with the same testee told to answer
 * wrongly, and with testees that crash or hang.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCases, type Case } from './cases.js';
import { CONFORMANCE_DIR } from './paths.js';
import { run, type RunOptions } from './runner.js';
import type { SdkConfig } from './sdks.js';

const cases = loadCases();
const quiet = () => undefined;

function reference(mode: 'good' | 'wrong', extra: Partial<SdkConfig> = {}): SdkConfig {
  return {
    sdk: `reference-${mode}`,
    command: [process.execPath, '--import', 'tsx', join(CONFORMANCE_DIR, 'test', 'reference-testee.ts')],
    cwd: CONFORMANCE_DIR,
    features: ['signatures', 'client'],
    knownFailing: [],
    env: { REFERENCE_TESTEE_MODE: mode },
    ...extra,
  };
}

function nodeTestee(script: string): SdkConfig {
  return { sdk: 'broken', command: [process.execPath, '-e', script], cwd: CONFORMANCE_DIR, features: ['signatures', 'client'], knownFailing: [] };
}

const byName = (names: string[]): Case[] => names.map((n) => cases.find((c) => c.name === n)!);
const runWith = (opts: Omit<RunOptions, 'log'>) => run({ ...opts, log: quiet });

describe('runner', () => {
  it('passes every signature and client case with the reference testee (the cases agree with PROTOCOL.md)', async () => {
    const s = await runWith({ sdks: [reference('good')], cases: cases.filter((c) => c.feature !== 'e2e') });
    const failures = s.outcomes.filter((o) => o.status === 'fail').map((o) => `${o.name}: ${o.detail.join(' | ')}`);
    expect(failures).toEqual([]);
    expect(s.passed).toBe(cases.filter((c) => c.feature !== 'e2e').length);
  });

  it('reports failures for a testee that answers wrongly', async () => {
    const s = await runWith({ sdks: [reference('wrong')], cases: cases.filter((c) => c.feature !== 'e2e') });
    const failed = new Set(s.outcomes.filter((o) => o.status === 'fail').map((o) => o.name));
    expect(failed).toContain('signatures: official vector 1 sign');
    expect(failed).toContain('signatures: tampered body');
    expect(failed).toContain('client: HTTP 503 then success');
    expect(failed).toContain('client: NOT_FOUND with HTTP 404 raises NotFoundError');
    expect(s.failed).toBeGreaterThan(50);
  });

  it('fails a knownFailing case that passes and skips one that still fails', async () => {
    const s = await runWith({
      sdks: [
        reference('good', { knownFailing: ['signatures: official vector 1 sign'] }),
        reference('wrong', { knownFailing: ['signatures: tampered body'] }),
      ],
      cases: byName(['signatures: official vector 1 sign', 'signatures: tampered body']),
    });
    const good = s.outcomes.find((o) => o.sdk === 'reference-good' && o.name === 'signatures: official vector 1 sign')!;
    expect(good.status).toBe('fail');
    expect(good.detail.join(' ')).toMatch(/knownFailing but passes/);
    const wrong = s.outcomes.find((o) => o.sdk === 'reference-wrong' && o.name === 'signatures: tampered body')!;
    expect(wrong.status).toBe('skip');
    expect(wrong.detail[0]).toBe('known failing:');
  });

  it('skips cases of a feature the SDK does not list', async () => {
    const s = await runWith({
      sdks: [reference('good', { features: ['signatures'] })],
      cases: byName(['signatures: verify sha256', 'client: HTTP 503 then success']),
    });
    expect(s).toMatchObject({ passed: 1, failed: 0, skipped: 1 });
    expect(s.outcomes.find((o) => o.status === 'skip')!.detail[0]).toMatch(/feature client not listed/);
  });

  it('fails the case with the stderr tail when the testee crashes', async () => {
    const s = await runWith({
      sdks: [nodeTestee("process.stderr.write('panic: the verifier exploded\\n'); process.exit(3)")],
      cases: byName(['signatures: verify sha256']),
    });
    expect(s.failed).toBe(1);
    const detail = s.outcomes[0]!.detail.join('\n');
    expect(detail).toMatch(/exited \(code 3/);
    expect(detail).toContain('panic: the verifier exploded');
  });

  it('fails every case when the testee does not start', async () => {
    const s = await runWith({
      sdks: [nodeTestee("process.stdin.resume(); process.stderr.write('compiling\\n')")],
      cases: byName(['signatures: verify sha256', 'signatures: verify sha512']),
      startTimeoutMs: 500,
    });
    expect(s.failed).toBe(2);
    expect(s.outcomes[0]!.detail.join('\n')).toMatch(/did not start[\s\S]*did not answer ping within 500 ms[\s\S]*compiling/);
  });

  it('fails the case when the testee does not answer in time', async () => {
    const s = await runWith({
      sdks: [
        nodeTestee(
          "require('readline').createInterface({input:process.stdin}).on('line',l=>{const r=JSON.parse(l); if (r.op==='ping') console.log(JSON.stringify({id:r.id,ok:true,result:{}})); else process.stderr.write('thinking\\n')})",
        ),
      ],
      cases: byName(['signatures: verify sha256']),
      requestTimeoutMs: 500,
    });
    expect(s.failed).toBe(1);
    expect(s.outcomes[0]!.detail.join('\n')).toMatch(/did not answer verify within 500 ms[\s\S]*thinking/);
  });

  it('fails on a malformed answer', async () => {
    const s = await runWith({
      sdks: [nodeTestee("require('readline').createInterface({input:process.stdin}).on('line',l=>{const r=JSON.parse(l);console.log(JSON.stringify({id:r.id,ok:'yes'}))})")],
      cases: byName(['signatures: verify sha256']),
    });
    expect(s.failed).toBe(1);
    expect(s.outcomes[0]!.detail.join('\n')).toMatch(/malformed answer/);
  });
});

describe('cli', () => {
  it('exits 2 for an SDK without a features file', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', join(CONFORMANCE_DIR, 'src', 'cli.ts'), '--sdk', 'no-such-sdk'], {
      cwd: CONFORMANCE_DIR,
      encoding: 'utf8',
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/no conformance-tests\/sdks\/no-such-sdk\.json/);
  });
});

describe('protocol', () => {
  it('fails the run when a testee writes anything but answers on stdout', async () => {
    const s = await runWith({
      sdks: [nodeTestee("console.log('starting up'); require('readline').createInterface({input:process.stdin}).on('line',l=>{const r=JSON.parse(l);console.log(JSON.stringify({id:r.id,ok:true,result:{verified:true}}))})")],
      cases: byName(['signatures: verify sha256']),
    });
    expect(s.outcomes.map((o) => [o.name, o.status])).toEqual([
      ['signatures: verify sha256', 'pass'],
      ['protocol: stdout carries only answers', 'fail'],
    ]);
  });
});
