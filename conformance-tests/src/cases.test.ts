import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildVectorFiles, render, VECTORS_DIR } from '../scripts/gen-vectors.js';
import { loadCases } from './cases.js';
import { REPO_ROOT } from './paths.js';

describe('case files', () => {
  const cases = loadCases();

  it('validate against the schema and have unique names', () => {
    expect(cases.length).toBeGreaterThan(100);
    expect(new Set(cases.map((c) => c.name)).size).toBe(cases.length);
  });

  it('cover every feature', () => {
    for (const feature of ['signatures', 'client', 'e2e']) {
      expect(cases.filter((c) => c.feature === feature).length, feature).toBeGreaterThan(0);
    }
  });

  it('map every code of schema/errors.json to its class, read from that file', () => {
    const errors = JSON.parse(readFileSync(join(REPO_ROOT, 'schema', 'errors.json'), 'utf8')) as {
      codes: Record<string, { class: string }>;
    };
    for (const [code, { class: cls }] of Object.entries(errors.codes)) {
      const expanded = cases.filter(
        (c) => c.feature === 'client' && (c.name.startsWith(`client: ${code} with HTTP`) || c.name.startsWith(`client: ${code} in a 200 response raises`)),
      );
      expect(expanded.length, code).toBe(2);
      for (const c of expanded) expect(c.feature === 'client' && c.expect.error?.class).toBe(cls);
    }
  });

  it('include the official Standard Webhooks vectors literally', () => {
    const text = readFileSync(join(VECTORS_DIR, 'official.json'), 'utf8');
    expect(text).toContain('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
    expect(text).toContain('v1,tZ1I4/hDygAJgO5TYxiSd6Sd0kDW6hPenDe+bTa3Kkw=');
  });

  it('give every verify case an explicit clock', () => {
    for (const c of cases) {
      if (c.feature === 'signatures' && c.request.op === 'verify') expect(typeof c.request.now, c.name).toBe('number');
    }
  });

  it('are what scripts/gen-vectors.ts generates (not stale, not hand-edited)', () => {
    for (const [name, content] of Object.entries(buildVectorFiles())) {
      expect(readFileSync(join(VECTORS_DIR, name), 'utf8'), `cases/signatures/${name} is stale: run npm run generate:vectors`).toBe(
        render(content),
      );
    }
  });
});

describe('loadCases', () => {
  function dirWith(files: Record<string, unknown>): string {
    const dir = mkdtempSync(join(tmpdir(), 'hookline-cases-'));
    mkdirSync(join(dir, 'x'));
    for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, 'x', name), JSON.stringify(content));
    return dir;
  }
  const verifyCase = (name: string, extra: Record<string, unknown> = {}) => ({
    name,
    request: { op: 'verify', secrets: ['whsec_x'], headers: {}, body: '', now: 1, ...extra },
    expect: { ok: true, result: { verified: true } },
  });

  it('rejects a verify case without an explicit now', () => {
    const c = verifyCase('no clock');
    delete (c.request as Record<string, unknown>).now;
    expect(() => loadCases(dirWith({ 'a.json': { feature: 'signatures', cases: [c] } }))).toThrow(/case\.schema\.json/);
  });

  it('rejects duplicate names across files', () => {
    const dir = dirWith({
      'a.json': { feature: 'signatures', cases: [verifyCase('same')] },
      'b.json': { feature: 'signatures', cases: [verifyCase('same')] },
    });
    expect(() => loadCases(dir)).toThrow(/duplicate case name "same"/);
  });

  it('rejects an unknown reason and an expectation with both result and error', () => {
    const bad = { ...verifyCase('bad'), expect: { ok: false, error: { reason: 'nope' } } };
    expect(() => loadCases(dirWith({ 'a.json': { feature: 'signatures', cases: [bad] } }))).toThrow();
    const both = { ...verifyCase('both'), expect: { ok: true, result: {}, error: {} } };
    expect(() => loadCases(dirWith({ 'a.json': { feature: 'signatures', cases: [both] } }))).toThrow();
  });

  it('expands forEach rows into one case each', () => {
    const c = {
      name: 'client: status {{s}}',
      forEach: [{ s: 502 }, { s: 503 }],
      script: [{ response: { status: '{{s}}' } }],
      call: { operation: 'ListWebhooks' },
      expect: { ok: false, error: { status: '{{s}}' } },
    };
    const loaded = loadCases(dirWith({ 'a.json': { feature: 'client', cases: [c] } }));
    expect(loaded.map((l) => l.name)).toEqual(['client: status 502', 'client: status 503']);
    expect(loaded[1]!.feature === 'client' && loaded[1]!.script[0]!.response.status).toBe(503);
  });
});
