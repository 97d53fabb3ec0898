/**
 * Loads every case file under cases/, validates it against
 * schema/case.schema.json, expands `forEach` templates (the error-code table
 * comes from schema/errors.json, so that data exists once) and checks that case
 * names are unique.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Ajv } from 'ajv';
import type { MockRule } from './mock-server.js';
import { substitute } from './template.js';
import { CONFORMANCE_DIR, REPO_ROOT } from './paths.js';

export type Feature = 'signatures' | 'client' | 'e2e';

/** What a case expects the testee to answer. */
export interface Expect {
  ok: boolean;
  result?: unknown;
  error?: Record<string, unknown>;
}

export interface SignatureCase {
  feature: 'signatures';
  name: string;
  file: string;
  request: Record<string, unknown>;
  expect: Expect;
}

export type RequestCount = number | { min?: number; max?: number };
export interface RequestMatcher {
  method?: string;
  headers?: Record<string, unknown>;
  body?: unknown;
}
export interface RequestAssertions {
  count?: RequestCount;
  each?: RequestMatcher;
  at?: (RequestMatcher & { index: number })[];
  sameHeader?: string[];
  distinctHeader?: string[];
  minGapMs?: { after: number; ms: number }[];
  countByHeader?: Record<string, Record<string, number>>;
}

export interface ClientCase {
  feature: 'client';
  name: string;
  file: string;
  script: MockRule[];
  call: { client?: Record<string, unknown>; operation: string; variables?: Record<string, unknown>; idempotencyKey?: string | null; concurrency?: number };
  expect: Expect;
  requests?: RequestAssertions;
}

export interface E2eStep {
  op: 'startReceiver' | 'setReceiverSecrets' | 'setReceiverStatus' | 'receivedEvents' | 'call';
  comment?: string;
  as?: 'user' | 'service' | 'otherUser';
  expect?: Expect;
  save?: Record<string, string>;
  eventually?: { timeoutMs: number; intervalMs?: number };
  [field: string]: unknown;
}

export interface E2eCase {
  feature: 'e2e';
  name: string;
  file: string;
  steps: E2eStep[];
}

export type Case = SignatureCase | ClientCase | E2eCase;

interface ErrorsJson {
  codes: Record<string, { httpStatus: number; class: string; retryable: boolean }>;
  statusFallback: Record<string, string>;
  retryableStatuses: number[];
}

function readErrorsJson(): ErrorsJson {
  return JSON.parse(readFileSync(join(REPO_ROOT, 'schema', 'errors.json'), 'utf8')) as ErrorsJson;
}

function listJson(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? listJson(join(dir, e.name)) : e.name.endsWith('.json') ? [join(dir, e.name)] : []))
    .sort();
}

/** Rows for `forEach: "errorCodes"`: one per code in schema/errors.json. */
export function errorCodeRows(maxRetries = 1): Record<string, unknown>[] {
  const errors = readErrorsJson();
  return Object.entries(errors.codes).map(([code, e]) => ({
    code,
    httpStatus: e.httpStatus,
    class: e.class,
    retryable: e.retryable,
    requests: e.retryable ? maxRetries + 1 : 1,
  }));
}

/**
 * Rows for `forEach: "statusFallback"`: one per status of schema/errors.json's
 * statusFallback (`5xx` as 500, `other4xx` as 418), with the class and the
 * request count (retryable statuses are retried `maxRetries` times).
 */
export function statusFallbackRows(maxRetries = 1): Record<string, unknown>[] {
  const errors = readErrorsJson();
  return Object.entries(errors.statusFallback).map(([key, cls]) => {
    const status = key === '5xx' ? 500 : key === 'other4xx' ? 418 : Number(key);
    return { status, class: cls, requests: errors.retryableStatuses.includes(status) ? maxRetries + 1 : 1 };
  });
}

function expand(raw: Record<string, unknown>): Record<string, unknown>[] {
  const forEach = raw.forEach;
  if (forEach === undefined) return [raw];
  const { forEach: _, ...template } = raw;
  const rows =
    forEach === 'errorCodes'
      ? errorCodeRows(1)
      : forEach === 'statusFallback'
        ? statusFallbackRows(1)
        : (forEach as Record<string, unknown>[]);
  return rows.map((row) => substitute(template, row));
}

/** Loads and validates every case (or those of `casesDir`); throws with every problem found. */
export function loadCases(casesDir = join(CONFORMANCE_DIR, 'cases')): Case[] {
  const schema = JSON.parse(readFileSync(join(CONFORMANCE_DIR, 'schema', 'case.schema.json'), 'utf8'));
  const ajv = new Ajv({ allErrors: true, strict: false });
  const validate = ajv.compile(schema);
  const problems: string[] = [];
  const cases: Case[] = [];
  for (const path of listJson(casesDir)) {
    const file = relative(CONFORMANCE_DIR, path);
    let content: { feature: Feature; cases: Record<string, unknown>[] };
    try {
      content = JSON.parse(readFileSync(path, 'utf8'));
    } catch (err) {
      problems.push(`${file}: not JSON (${(err as Error).message})`);
      continue;
    }
    if (!validate(content)) {
      const errs = (validate.errors ?? []).slice(0, 8).map((e) => `  ${e.instancePath || '/'} ${e.message ?? ''}`);
      problems.push(`${file}: does not match case.schema.json\n${errs.join('\n')}`);
      continue;
    }
    for (const raw of content.cases) {
      for (const c of expand(raw)) cases.push({ ...c, feature: content.feature, file } as Case);
    }
  }
  const seen = new Map<string, string>();
  for (const c of cases) {
    const other = seen.get(c.name);
    if (other) problems.push(`duplicate case name "${c.name}" in ${other} and ${c.file}`);
    seen.set(c.name, c.file);
  }
  if (problems.length) throw new Error(`invalid case files:\n${problems.join('\n')}`);
  return cases;
}
