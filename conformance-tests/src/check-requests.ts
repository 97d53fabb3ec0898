/** Checks a client case's `requests` assertions against what the mock server recorded. */
import type { RequestAssertions, RequestMatcher } from './cases.js';
import { match } from './match.js';
import type { RecordedRequest } from './mock-server.js';

function lowerKeys(headers: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
}

function matchRequest(m: RequestMatcher, r: RecordedRequest, path: string): string[] {
  const errors: string[] = [];
  if (m.method !== undefined && m.method.toUpperCase() !== r.method) errors.push(`${path}.method: expected ${m.method}, got ${r.method}`);
  if (m.headers) errors.push(...match(lowerKeys(m.headers), r.headers, `${path}.headers`));
  if (m.body !== undefined) errors.push(...match(m.body, r.json, `${path}.body`));
  return errors;
}

/** Returns every violated assertion (empty when all hold). */
export function checkRequests(a: RequestAssertions | undefined, requests: RecordedRequest[]): string[] {
  if (!a) return [];
  const errors: string[] = [];
  const n = requests.length;
  if (typeof a.count === 'number' && n !== a.count) errors.push(`requests: expected ${a.count}, the mock received ${n}`);
  if (a.count !== undefined && typeof a.count === 'object') {
    if (a.count.min !== undefined && n < a.count.min) errors.push(`requests: expected at least ${a.count.min}, the mock received ${n}`);
    if (a.count.max !== undefined && n > a.count.max) errors.push(`requests: expected at most ${a.count.max}, the mock received ${n}`);
  }
  if (a.each) requests.forEach((r, i) => errors.push(...matchRequest(a.each!, r, `requests[${i}]`)));
  for (const at of a.at ?? []) {
    const r = requests[at.index];
    if (!r) errors.push(`requests[${at.index}]: expected a request, the mock received ${n}`);
    else errors.push(...matchRequest(at, r, `requests[${at.index}]`));
  }
  for (const name of a.sameHeader ?? []) {
    const key = name.toLowerCase();
    const values = requests.map((r) => r.headers[key]);
    if (values.some((v) => !v)) errors.push(`requests: header ${key} missing on some request: ${JSON.stringify(values)}`);
    else if (new Set(values).size > 1) errors.push(`requests: header ${key} differs between requests: ${JSON.stringify(values)}`);
  }
  for (const name of a.distinctHeader ?? []) {
    const key = name.toLowerCase();
    const values = requests.map((r) => r.headers[key]);
    if (values.some((v) => !v)) errors.push(`requests: header ${key} missing on some request: ${JSON.stringify(values)}`);
    else if (new Set(values).size !== values.length) errors.push(`requests: header ${key} repeats between requests: ${JSON.stringify(values)}`);
  }
  for (const gap of a.minGapMs ?? []) {
    const before = requests[gap.after];
    const after = requests[gap.after + 1];
    if (!before || !after) {
      errors.push(`requests: gap after request ${gap.after} needs request ${gap.after + 1}, the mock received ${n}`);
      continue;
    }
    const ms = after.arrivedAt - before.arrivedAt;
    if (ms < gap.ms) errors.push(`requests: request ${gap.after + 1} came ${ms.toFixed(0)} ms after request ${gap.after}, expected at least ${gap.ms} ms`);
  }
  for (const [name, expected] of Object.entries(a.countByHeader ?? {})) {
    const key = name.toLowerCase();
    const counts: Record<string, number> = {};
    for (const r of requests) {
      const v = r.headers[key] ?? '<absent>';
      counts[v] = (counts[v] ?? 0) + 1;
    }
    for (const [value, count] of Object.entries(expected)) {
      if ((counts[value] ?? 0) !== count) {
        errors.push(`requests: expected ${count} with ${key}: ${value}, got ${counts[value] ?? 0} (all: ${JSON.stringify(counts)})`);
      }
    }
  }
  return errors;
}
